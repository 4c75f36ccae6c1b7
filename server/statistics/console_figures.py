"""统计图表: live compliance figures of the supervisor's subtree for a period, by standard,
indicator, jurisdiction or month, as a chart and a table whose every number links to the
inspections behind it; the same figures as CSV or XLSX."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, g, render_template, url_for

from server.kernel import clock
from server.kernel.console import bp, lists, require_action, t, tables
from server.statistics import figures as figures_service

DEFAULT_DAYS = 365
FILTERS = (lists.Filter("from", "date"), lists.Filter("to", "date"),
           lists.Filter("by", "choice", figures_service.DIMENSIONS))
COLUMNS = ("fig_group", "col_inspections", "col_findings", "fig_passed", "fig_failed", "fig_inconclusive",
           "fig_rate", "fig_disagreements")


def _period(query: lists.ListQuery) -> tuple[date, date, str, list[str]]:
    """Return (start, end, dimension, notes): the last DEFAULT_DAYS days unless given; a
    reversed or too long period is refused with a note (never silently replaced)."""
    words = t()
    today = clock.now().date()
    start = query.values.get("from") or today - timedelta(days=DEFAULT_DAYS - 1)
    end = query.values.get("to") or today
    notes = [words["bad_filter_value"].format(field=words[f"fig_{name}"], value=raw)
             for name, raw in query.problems.items()]
    if start > end:
        notes.append(words["fig_reversed"].format(start=start, end=end))
        start, end = end, start
    if (end - start).days > figures_service.MAX_DAYS:
        notes.append(words["fig_too_long"].format(days=figures_service.MAX_DAYS))
        start = end - timedelta(days=figures_service.MAX_DAYS)
    return start, end, query.values.get("by", "standard"), notes


def _link(by: str, row: dict, start: date, end: date, **extra) -> str:
    args = {"date_from": start.isoformat(), "date_to": end.isoformat(), **extra}
    if by == "month":
        first, last = figures_service.month_bounds(row["key"])
        args.update(date_from=max(first, start).isoformat(), date_to=min(last, end).isoformat())
    elif by == "jurisdiction":
        args["jurisdiction"] = row["key"]
    elif by == "standard":
        args["standard"] = row["key"]
    else:
        args["standard"] = row["key"].split("/")[0]
    return url_for("console.inspections", **args)


@bp.route("/figures/")
def figures():
    """The figures page: chart, table with links, exports."""
    require_action("statistics.read")
    query = lists.read_query(FILTERS, (), "")
    start, end, by, notes = _period(query)
    words = t()
    rows = figures_service.figures(g.console_user, start, end, by)
    for row in rows:
        row["link"] = _link(by, row, start, end)
        row["fail_link"] = _link(by, row, start, end, outcome="fail")
        row["disagree_link"] = _link(by, row, start, end, disagreement="1")
    if by == "month":
        chart = figures_service.trend_chart(rows, [r["link"] for r in rows], title=words["fig_trend_title"],
                                            rate_word=words["fig_rate"], fail_word=words["fig_failed"])
    else:
        chart = figures_service.rate_chart(rows, [r["link"] for r in rows], rate_word=words["fig_rate"],
                                           title=words["fig_rate_title"].format(by=words[f"fig_by_{by}"]))
    total = {k: sum(r[k] for r in rows) for k in ("findings", "passed", "failed", "inconclusive", "disagreements")}
    judged = total["passed"] + total["failed"]
    total["rate"] = total["passed"] / judged if judged else None
    args = {"from": start.isoformat(), "to": end.isoformat(), "by": by}
    return render_template("console/figures.html", rows=rows, chart=chart if rows else None, by=by,
                           dimensions=figures_service.DIMENSIONS, start=start, end=end, notes=notes, total=total,
                           args=args)


@bp.route("/figures/export.<fmt>")
def figures_export(fmt: str):
    """The same figures as CSV or XLSX."""
    require_action("statistics.read")
    if fmt not in tables.FORMATS:
        abort(404)
    query = lists.read_query(FILTERS, (), "")
    start, end, by, _ = _period(query)
    words = t()
    rows = figures_service.figures(g.console_user, start, end, by)
    body = ([r["label"], r["inspections"], r["findings"], r["passed"], r["failed"], r["inconclusive"],
             round(r["rate"] * 100, 1) if r["rate"] is not None else None, r["disagreements"]] for r in rows)
    name = f"{words['figures']}-{words['fig_by_' + by]}-{start}-{end}"
    return tables.download(fmt, name, words["figures"], [words[c] for c in COLUMNS], body)
