"""Reopening an approved inspection (管理: 重新打开): the confirmation page with the reason,
and the act (review.reopen_inspection: the officer gets it back as returned; the approval,
the reopening and its reason stay in the record's history and the audit log)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from server.inspections import review as review_service
from server.kernel import uow
from server.kernel.console import bp, require_action, t
from server.kernel.errors import Conflict, ValidationFailed

REASON_MAX = 2000


@bp.route("/inspections/<inspection_id>/reopen", methods=["GET", "POST"])
def reopen(inspection_id: str):
    """GET: the confirmation page (the reason to give). POST: reopen; a missing or long
    reason re-renders the page with 400, an inspection no longer approved with 409;
    someone who took part in it gets the 403 page; outside the subtree 404."""
    require_action("inspection.reopen")
    words = t()
    reason = (request.form.get("reason") or "").strip()
    if request.method == "POST" and reason and len(reason) <= REASON_MAX:
        try:     # the policy's own answer first (outside the subtree: 404; took part: 403)
            done = review_service.reopen_inspection(g.console_user, inspection_id, reason)
        except (ValidationFailed, Conflict) as exc:
            uow.rollback()
            detail = review_service.get_inspection(g.console_user, inspection_id)
            return render_template("console/confirm_reopen.html", d=detail, reason=reason, error=exc.message), \
                409 if isinstance(exc, Conflict) else 400
        flash(words["reopened_flash"].format(company=done["company_name"] or inspection_id[:8]), "success")
        return redirect(url_for("console.inspection", inspection_id=inspection_id))
    detail = review_service.get_inspection(g.console_user, inspection_id)      # 404 outside
    if request.method == "GET":
        return render_template("console/confirm_reopen.html", d=detail, reason="", error=None)
    error = words["reopen_reason_required"] if not reason else f"≤ {REASON_MAX}"
    return render_template("console/confirm_reopen.html", d=detail, reason=reason, error=error), 400
