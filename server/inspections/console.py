"""Inspections: the list (filters, pages), one inspection with its findings, flags, photos
and reviews, the review form, and the photos served with the session's authority."""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for

from server.accounts import service as accounts
from server.catalog import service as catalog
from server.inspections import activity, followup, listing, present
from server.inspections import review as review_service
from server.inspections.signatures import signatures_of
from server.inspections.status import REVIEWABLE
from server.kernel import uow
from server.kernel.changes import savepoint
from server.kernel.console import bp, lists, require_action, t
from server.kernel.errors import Conflict, DomainError, NotFound, ValidationFailed
from server.photos import service as photo_service

PAGE_SIZE = 25
BULK_LIMIT = 200
LIST_NAME = "inspections"
#: statuses a supervisor filters by (drafts never reach the server)
LIST_STATUSES = ("submitted", "resubmitted", "returned", "approved", "rejected")
FILTERS = (
    lists.Filter("status", "choice", LIST_STATUSES), lists.Filter("disagreement", "flag"),
    lists.Filter("q"), lists.Filter("inspector", max_length=80), lists.Filter("jurisdiction", max_length=12),
    lists.Filter("date_from", "date"), lists.Filter("date_to", "date"),
    lists.Filter("outcome", "choice", listing.OUTCOMES), lists.Filter("standard", max_length=60),
    lists.Filter("product", max_length=100), lists.Filter("flagged", "choice", listing.FLAG_KINDS),
    lists.Filter("interpretation", max_length=60),
)
lists.register_list(LIST_NAME, "console.inspections")


def list_query() -> lists.ListQuery:
    """Return the inspections list's query read from the request (the exports read the same)."""
    return lists.read_query(FILTERS, listing.SORTS, "updated")


def list_filters(query: lists.ListQuery) -> listing.InspectionFilters:
    """Return the service's filters for a list query (the disagreement flag only narrows)."""
    values = dict(query.values)
    if not values.get("disagreement"):
        values.pop("disagreement", None)
    return listing.InspectionFilters.of(values)


@bp.route("/inspections/")
def inspections():
    """The inspections of the signed-in supervisor's subtree: filtered, sorted, numbered
    pages that stay in range, saved views, bulk approve and exports of what is shown."""
    require_action("inspection.list")
    query = list_query()
    filters = list_filters(query)
    total = listing.count_inspections(g.console_user, filters)
    pager = lists.paginate(query.page, total, PAGE_SIZE)
    rows = listing.list_inspections(g.console_user, filters, sort=query.sort, descending=query.descending,
                                    limit=PAGE_SIZE, offset=pager.offset, summary=True)
    counts = {row["id"]: row["summary"] for row in rows}
    names = accounts.jurisdiction_names(r.get("jurisdiction") for r in rows)
    return render_template("console/inspections.html", rows=rows, counts=counts, names=names, query=query,
                           pager=pager, statuses=LIST_STATUSES, outcomes=listing.OUTCOMES,
                           flag_kinds=listing.FLAG_KINDS, jurisdictions=accounts.jurisdictions_in(g.console_user),
                           inspectors=accounts.inspectors_in(g.console_user),
                           standards=sorted(catalog.standard_titles().items()),
                           views=lists.saved_views(LIST_NAME), list_name=LIST_NAME,
                           reviewable=REVIEWABLE)


@bp.route("/inspections/bulk-approve", methods=["POST"])
def bulk_approve():
    """Approve the ticked inspections one by one (each in its own savepoint: one refused
    never blocks the others) and show the result of each."""
    require_action("inspection.review")
    words = t()
    ids = list(dict.fromkeys(i for i in request.form.getlist("ids") if i))[:BULK_LIMIT]
    comment = (request.form.get("comment") or "").strip()[:2000]
    results = []
    for inspection_id in ids:
        try:
            with savepoint():
                review_service.review_inspection(g.console_user, inspection_id, "approved", comment)
            results.append({"id": inspection_id, "ok": True, "message": words["outcome_approved"]})
        except Conflict as exc:
            results.append({"id": inspection_id, "ok": False, "message": words["not_reviewable"].format(
                status=words.get(f"status_{exc.params.get('status')}", exc.params.get("status") or ""))})
        except NotFound:
            results.append({"id": inspection_id, "ok": False, "message": words["bulk_not_found"]})
        except DomainError as exc:
            results.append({"id": inspection_id, "ok": False, "message": exc.message})
    companies = listing.company_names(g.console_user, [r["id"] for r in results])
    for item in results:
        item["company"] = companies.get(item["id"])
    status = 200 if ids else 400
    return render_template("console/bulk_result.html", results=results, back=_back_url(),
                           approved=sum(r["ok"] for r in results)), status


def _detail_context(inspection_id: str) -> dict:
    detail = review_service.get_inspection(g.console_user, inspection_id)
    groups = present.group_findings(detail["findings"])
    indicators = catalog.indicator_info([f["indicator_id"] for f in detail["findings"]]
                                        + [f.get("indicator_id") for f in detail["flags"]])
    reviewers = accounts.display_names(r["reviewer_id"] for r in detail["reviews"])
    names = accounts.jurisdiction_names([detail.get("jurisdiction")])
    photos = photo_captions(detail, groups, indicators)
    followups = followup.followups([f["id"] for f in detail["flags"]])
    people = accounts.display_names({uid for fu in followups.values()
                                     for uid in (fu["assignee_id"], *(h["actor_id"] for h in fu["history"]),
                                                 *(h["assignee_id"] for h in fu["history"]))})
    history = activity.activity(detail, followups, indicators)
    people.update(accounts.display_names({h.get("actor_id") for h in history} - set(people)))
    return {"d": detail, "groups": groups, "history": history, "indicators": indicators, "reviewers": reviewers,
            "names": names, "photos": photos, "products": present.products_of(detail),
            "summary": present.summary(detail), "reviewable": detail["status"] in REVIEWABLE,
            "may_reopen": review_service.may_reopen(g.console_user, inspection_id),
            "signatures": signatures_of(inspection_id),
            "back": _back_url(), "followups": followups, "people": people,
            "assignees": accounts.inspectors_in(g.console_user) if detail["flags"] else []}


def photo_captions(detail: dict, groups: list[dict], indicators: dict) -> list[dict]:
    """Return the inspection's photos in order (each finding's, then the inspection's own):
    {sha256, missing, finding (indicator name), taken_at, place (GPS from EXIF), inspector}."""
    status = detail.get("photo_status") or {}
    missing = set(status.get("missing") or [])
    order: dict[str, str | None] = {}
    for group in groups:
        latest = group["latest"]
        name = indicators.get(latest["indicator_id"], {}).get("name") or latest["indicator_id"]
        for sha in latest.get("photos") or ():
            order.setdefault(sha, name)
    for sha in status.get("referenced") or ():
        order.setdefault(sha, None)
    out = []
    for sha, finding in order.items():
        item = {"sha256": sha, "missing": sha in missing, "finding": finding, "inspector": detail.get("inspector"),
                "taken_at": None, "place": None}
        if not item["missing"]:
            try:
                exif = photo_service.get_photo(g.console_user, sha, original=True).exif or {}
            except photo_service.PhotoError:
                exif = {}
            item["taken_at"] = exif.get("taken_at")
            if exif.get("gps_lat") and exif.get("gps_lon"):
                item["place"] = f"{exif['gps_lat']}, {exif['gps_lon']}"
        out.append(item)
    return out


@bp.route("/inspections/<inspection_id>/photos/<int:number>")
def photo_viewer(inspection_id: str, number: int):
    """One photo of an inspection, large, with its caption, zoom and previous / next."""
    require_action("photo.read")
    context = _detail_context(inspection_id)
    photos = context["photos"]
    if not photos:
        abort(404)
    number = max(1, min(number, len(photos)))
    try:
        zoom = max(1, min(int(request.args.get("zoom", "1")), 3))
    except ValueError:
        zoom = 1
    return render_template("console/photo.html", photo=photos[number - 1], number=number, zoom=zoom, **context)


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
    elif outcome == "rejected" and request.form.get("confirm") != "1" and _reviewable(inspection_id):
        detail = review_service.get_inspection(g.console_user, inspection_id)
        return render_template("console/confirm_reject.html", d=detail, comment=comment, back=_back_url())
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


def _reviewable(inspection_id: str) -> bool:
    """True when the inspection (visible to the caller) awaits review. Raises NotFound."""
    return review_service.get_inspection(g.console_user, inspection_id)["status"] in REVIEWABLE


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
