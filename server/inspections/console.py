"""Inspections: the list (filters, pages), one inspection with its findings, flags, photos
and reviews, the review form, and the photos served with the session's authority."""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for

from server.accounts import service as accounts
from server.catalog import service as catalog
from server.inspections import present
from server.inspections import review as review_service
from server.inspections.status import REVIEWABLE
from server.kernel import uow
from server.kernel.console import bp, require_action, t
from server.kernel.errors import Conflict, ValidationFailed
from server.photos import service as photo_service

PAGE_SIZE = 25
#: statuses a supervisor filters by (drafts never reach the server)
LIST_STATUSES = ("submitted", "resubmitted", "returned", "approved", "rejected")
def _filters() -> dict:
    status = request.args.get("status") or None
    if status not in LIST_STATUSES:
        status = None
    try:
        page = max(1, min(int(request.args.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    return {"status": status, "disagreement": request.args.get("disagreement") == "1",
            "q": (request.args.get("q") or "").strip()[:100], "page": page}


def _page_of_inspections(filters: dict) -> tuple[list[dict], int]:
    """Return (rows of this page with their summaries, total matching) from the service."""
    args = {"status": filters["status"], "disagreement": True if filters["disagreement"] else None,
            "q": filters["q"] or None}
    offset = (filters["page"] - 1) * PAGE_SIZE
    rows = review_service.list_inspections(g.console_user, limit=PAGE_SIZE, offset=offset, summary=True, **args)
    return rows, review_service.count_inspections(g.console_user, **args)


@bp.route("/inspections/")
def inspections():
    """The inspections of the signed-in supervisor's subtree, filtered and paginated."""
    require_action("inspection.list")
    filters = _filters()
    rows, total = _page_of_inspections(filters)
    counts = {row["id"]: row["summary"] for row in rows}
    names = accounts.jurisdiction_names(r.get("jurisdiction") for r in rows)
    base = {k: v for k, v in (("status", filters["status"]), ("q", filters["q"]),
                              ("disagreement", "1" if filters["disagreement"] else None)) if v}
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("console/inspections.html", rows=rows, counts=counts, names=names,
                           filters=filters, statuses=LIST_STATUSES, has_next=filters["page"] < pages,
                           base=base, total=total, pages=pages)


def _detail_context(inspection_id: str) -> dict:
    detail = review_service.get_inspection(g.console_user, inspection_id)
    groups = present.group_findings(detail["findings"])
    indicators = catalog.indicator_info([f["indicator_id"] for f in detail["findings"]]
                                        + [f.get("indicator_id") for f in detail["flags"]])
    reviewers = accounts.display_names(r["reviewer_id"] for r in detail["reviews"])
    names = accounts.jurisdiction_names([detail.get("jurisdiction")])
    status = detail.get("photo_status") or {}
    missing = set(status.get("missing") or [])
    photos = [{"sha256": sha, "missing": sha in missing} for sha in status.get("referenced") or []]
    return {"d": detail, "groups": groups, "indicators": indicators, "reviewers": reviewers,
            "names": names, "photos": photos, "products": present.products_of(detail),
            "summary": present.summary(detail), "reviewable": detail["status"] in REVIEWABLE,
            "back": _back_url()}


def _back_url() -> str:
    target = request.values.get("back") or ""
    return target if target.startswith("/console/inspections/") and "//" not in target \
        else url_for("console.inspections")


@bp.route("/inspections/<inspection_id>")
def inspection(inspection_id: str):
    """One inspection (404 outside the subtree, as the service decides)."""
    require_action("inspection.read")
    return render_template("console/inspection.html", form={}, errors={}, **_detail_context(inspection_id))


@bp.route("/inspections/<inspection_id>/review", methods=["POST"])
def review(inspection_id: str):
    """Record a review through review_inspection; back to the list with a flash message, or
    the detail page again with the error (400 invalid form, 409 not awaiting review)."""
    require_action("inspection.review")
    words = t()
    outcome = request.form.get("outcome", "")
    comment = (request.form.get("comment") or "").strip()
    form, errors, status = {"outcome": outcome, "comment": comment}, {}, 400
    if outcome not in ("approved", "returned", "rejected"):
        errors["outcome"] = words["choose_outcome"]
    elif outcome != "approved" and not comment:
        errors["comment"] = words["comment_required"]
    elif len(comment) > 2000:
        errors["comment"] = "≤ 2000"
    else:
        try:
            review_service.review_inspection(g.console_user, inspection_id, outcome, comment)
        except ValidationFailed as exc:
            uow.rollback()
            errors["form"] = exc.message
        except Conflict:
            uow.rollback()
            current = review_service.get_inspection(g.console_user, inspection_id)["status"]
            errors["form"] = words["not_reviewable"].format(status=words.get(f"status_{current}", current))
            status = 409
        else:
            detail = review_service.get_inspection(g.console_user, inspection_id)
            flash(words["reviewed_flash"].format(company=detail.get("company_name") or inspection_id[:8],
                                                 outcome=words[f"outcome_{outcome}"]), "success")
            return redirect(_back_url())
    return render_template("console/inspection.html", form=form, errors=errors,
                           **_detail_context(inspection_id)), status


@bp.route("/photos/<sha256>/<any(thumb, screen):kind>")
def photo(sha256: str, kind: str):
    """A photo's thumbnail or screen copy for a caller whose subtree holds it (else 404)."""
    require_action("photo.read")
    item = photo_service.get_photo(g.console_user, sha256, original=True)
    photo_service.ensure_derivatives(item)
    store, key = photo_service.blob_store(), photo_service.blob_key(kind, item.sha256)
    etag = f'"{kind}-{item.sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        return Response(status=304, headers={"ETag": etag})
    if not store.exists(key):
        abort(404)
    response = Response(store.iter_chunks(key), mimetype="image/jpeg", direct_passthrough=True)
    response.headers.update({"ETag": etag, "Content-Length": str(store.stat(key).size),
                             "Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"})
    return response
