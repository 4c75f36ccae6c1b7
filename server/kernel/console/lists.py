"""The console's list machinery, the same for every work list: the query string of a list
(filters, date range, sort, page) read into one `ListQuery`, numbered pages that stay in
range, sort links, and views saved by name per user (server.kernel.console.saved).

A feature's list view declares its filters (`Filter`) and sort keys, calls `read_query`,
asks its service for the page and the total, then `paginate` clamps the page; the shell's
macros (`console/_list.html`: filter bar, sort headers, pager, bulk bar) draw every list
the same way.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from flask import flash, g, redirect, request, url_for

from server.kernel.console import bp, require_action, saved, t
from server.kernel.errors import NotFound

MAX_PAGE = 100_000
MAX_SAVED_VIEWS = saved.MAX_SAVED_VIEWS


@dataclass(frozen=True)
class Filter:
    """One filter of a list: `name` in the query string, `kind` "text" | "choice" | "flag" |
    "date"; `choices` the accepted values of a choice (anything else is ignored)."""
    name: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    max_length: int = 100


@dataclass
class ListQuery:
    """What a list page was asked for: `values` {filter name: value} (only filters given,
    in a readable form), `sort` (a declared key), `descending`, `page` (1-based, not yet
    clamped), and `problems` ({filter name: the text that could not be read})."""
    values: dict = field(default_factory=dict)
    sort: str = ""
    descending: bool = True
    page: int = 1
    problems: dict = field(default_factory=dict)
    default_sort: str = ""

    def args(self, **override) -> dict:
        """Return the query-string arguments that reproduce this list (page left out unless
        given in `override`); `override` values of None drop a key."""
        out = {name: (value.isoformat() if isinstance(value, date) else ("1" if value is True else value))
               for name, value in self.values.items()}
        if self.sort and (self.sort != self.default_sort or not self.descending):
            out["sort"] = self.sort
            out["order"] = "desc" if self.descending else "asc"
        out.update(override)
        return {k: v for k, v in out.items() if v not in (None, "", False)}

    def sort_args(self, key: str) -> dict:
        """Return the arguments of the header link sorting by `key` (toggles the order when
        the list is already sorted by it; back to page 1)."""
        descending = not self.descending if key == self.sort else True
        return self.args(sort=key, order="desc" if descending else "asc", page=None)


def read_query(filters: Iterable[Filter], sorts: Iterable[str], default_sort: str,
               args: Mapping[str, str] | None = None) -> ListQuery:
    """Read a list's query string (`request.args` unless `args`) against its declared
    filters and sort keys. Unknown choices and sorts are ignored; an unreadable date is kept
    in `problems` so the page can say so (never silently replaced). Raises nothing."""
    args = request.args if args is None else args
    query = ListQuery(sort=default_sort, default_sort=default_sort)
    for item in filters:
        raw = (args.get(item.name) or "").strip()
        if not raw:
            continue
        if item.kind == "flag":
            if raw in ("1", "true", "on"):
                query.values[item.name] = True
        elif item.kind == "choice":
            if raw in item.choices:
                query.values[item.name] = raw
        elif item.kind == "date":
            try:
                query.values[item.name] = date.fromisoformat(raw)
            except ValueError:
                query.problems[item.name] = raw[:40]
        else:
            query.values[item.name] = raw[:item.max_length]
    sort = args.get("sort") or ""
    if sort in tuple(sorts):
        query.sort = sort
    query.descending = (args.get("order") or "desc") != "asc"
    try:
        query.page = max(1, min(int(args.get("page", "1")), MAX_PAGE))
    except ValueError:
        query.page = 1
    return query


@dataclass(frozen=True)
class Pager:
    """A page of a list: `page` within 1..`pages`, `total` rows, `size` a page, `numbers`
    the page numbers to show (None marks a gap), `offset` of the page's first row."""
    page: int
    pages: int
    total: int
    size: int
    numbers: tuple[int | None, ...]

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else self.offset + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.offset + self.size)


def paginate(page: int, total: int, size: int, *, around: int = 2) -> Pager:
    """Return the Pager of `page` for `total` rows: the page clamped into range (a page past
    the end shows the last page, never "第 999/3 页"), numbers 1, …, page±around, …, last.
    Raises nothing."""
    pages = max(1, -(-total // size))
    page = max(1, min(page, pages))
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:      # type: ignore[operator]
            numbers.append(None)
        numbers.append(number)
    return Pager(page=page, pages=pages, total=total, size=size, numbers=tuple(numbers))


def saved_views(list_name: str) -> dict[str, dict]:
    """Return {view name: query args} the signed-in user saved for the list `list_name`."""
    return saved.views_of(g.console_user.user_id, list_name)


def save_view(list_name: str, name: str, args: Mapping[str, str]) -> None:
    """Keep `args` under `name` for `list_name` for the signed-in user (newest replaces a
    same-named view; at most MAX_SAVED_VIEWS a list). Raises nothing."""
    saved.keep(g.console_user.user_id, list_name, name,
               {k: v for k, v in args.items() if k not in ("page", "csrf_token", "lang")})


def delete_view(list_name: str, name: str) -> None:
    """Forget the signed-in user's saved view `name` of `list_name`. Raises nothing."""
    saved.forget(g.console_user.user_id, list_name, name)


#: {list name: endpoint of its page}, filled by the features' console modules
LIST_ENDPOINTS: dict[str, str] = {}


def register_list(list_name: str, endpoint: str) -> None:
    """Let list `list_name` (shown by `endpoint`) keep saved views."""
    LIST_ENDPOINTS[list_name] = endpoint


def _list_endpoint(list_name: str) -> str:
    endpoint = LIST_ENDPOINTS.get(list_name)
    if endpoint is None:
        raise NotFound("page")
    return endpoint


@bp.route("/views/<list_name>/save", methods=["POST"])
def save_view_route(list_name: str):
    """Save the list's current filters (`arg_*` fields) under the typed name; back to it."""
    require_action("console.enter")
    endpoint = _list_endpoint(list_name)
    args = {k[4:]: v for k, v in request.form.items() if k.startswith("arg_") and v}
    name = (request.form.get("name") or "").strip()[:40]
    if name:
        save_view(list_name, name, args)
        flash(t()["view_saved"].format(name=name), "success")
    return redirect(url_for(endpoint, **args))


@bp.route("/views/<list_name>/delete", methods=["POST"])
def delete_view_route(list_name: str):
    """Forget a saved view; back to the list."""
    require_action("console.enter")
    endpoint = _list_endpoint(list_name)
    delete_view(list_name, (request.form.get("name") or "").strip())
    return redirect(url_for(endpoint))
