"""Follow-up in the console: the flags work list, one step on a flag (acknowledge, assign,
resolve with a note, reopen), and "my work" — what waits for the signed-in user."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from server.accounts import service as accounts
from server.inspections import followup, listing
from server.inspections.status import REVIEWABLE
from server.kernel import uow
from server.kernel.console import bp, lists, require_action, t
from server.kernel.errors import DomainError

PAGE_SIZE = 25
LIST_NAME = "flags"
FILTERS = (lists.Filter("state", "choice", (*followup.STATES, "unresolved", "all")),
           lists.Filter("kind", "choice", followup.KINDS), lists.Filter("mine", "flag"))
lists.register_list(LIST_NAME, "console.flags")


def _safe_back(default: str) -> str:
    target = request.values.get("back") or ""
    return target if target.startswith("/console/") and "//" not in target else default


@bp.route("/flags/")
def flags():
    """Flags of the subtree: unresolved by default, by state, kind, or assigned to me."""
    require_action("flag.follow_up")
    query = lists.read_query(FILTERS, ("created",), "created")
    state = query.values.get("state", "unresolved")
    args = {"state": None if state == "all" else state, "kind": query.values.get("kind"),
            "mine": bool(query.values.get("mine"))}
    total = followup.count_flags(g.console_user, **args)
    pager = lists.paginate(query.page, total, PAGE_SIZE)
    rows = followup.list_flags(g.console_user, descending=query.descending, limit=PAGE_SIZE,
                               offset=pager.offset, **args)
    names = accounts.display_names(r["assignee_id"] for r in rows)
    return render_template("console/flags.html", rows=rows, query=query, pager=pager, state=state,
                           states=(*followup.STATES, "unresolved", "all"), kinds=followup.KINDS, names=names,
                           views=lists.saved_views(LIST_NAME), list_name=LIST_NAME)


@bp.route("/flags/<flag_id>/act", methods=["POST"])
def act_on_flag(flag_id: str):
    """One follow-up step; back to where the form was, with what happened."""
    require_action("flag.follow_up")
    words = t()
    action = request.form.get("action", "")
    back = _safe_back(url_for("console.flags"))
    try:
        followup.act_on_flag(g.console_user, flag_id, action, note=request.form.get("note", ""),
                             assignee=request.form.get("assignee"))
    except DomainError as exc:
        uow.rollback()
        flash(exc.message, "error")
        return redirect(back)
    flash(words["flag_done_flash"].format(action=words.get(f"flag_action_{action}", action)), "success")
    return redirect(back)


@bp.route("/my/")
def my_work():
    """What waits for me: flags assigned to me, inspections awaiting review, open flags of
    my jurisdiction (supervisors); the question queue for experts."""
    require_action("console.enter")
    user = g.console_user
    if user.role == "expert":
        return redirect(url_for("console.questions"))
    mine = followup.list_flags(user, mine=True, limit=10)
    open_flags = followup.list_flags(user, state="open", limit=10)
    waiting = {s: listing.count_inspections(user, status=s) for s in REVIEWABLE}
    reviews = listing.list_inspections(user, listing.InspectionFilters(status="submitted"), sort="inspected_on",
                                       descending=False, limit=10)
    return render_template("console/my_work.html", mine=mine, mine_total=followup.count_flags(user, mine=True),
                           open_flags=open_flags, open_total=followup.count_flags(user, state="open"),
                           reviews=reviews, waiting=waiting)
