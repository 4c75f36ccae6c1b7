"""Supervisors' side: list and read inspections in their jurisdiction, review them."""
from __future__ import annotations

import uuid

from flask import Flask, current_app
from sqlalchemy import select

from server.accounts import service as accounts
from server.evidence import service as evidence
from server.inspections.history import emit_history
from server.inspections.models import Finding, Flag, Inspection, Review
from server.inspections.records import emit, finding_json, flag_json, inspection_json, review_json
from server.inspections.status import REVIEWABLE, next_status
from server.kernel import audit, clock
from server.kernel.access import Target, can, require
from server.kernel.auth import Principal
from server.kernel.errors import Conflict, NotFound, ValidationFailed
from server.kernel.extensions import db
from server.photos import service as photos
from sync.protocol import REVIEW_OUTCOMES

LISTENERS_KEY = "gbfield_review_listeners"


def add_review_listener(app: Flask, listener) -> None:
    """Call `listener(principal, inspection, outcome)` after every review on `app`, in the
    review's transaction (`inspection`: its API shape after the status change). A feature
    above this one (planning: tasks, orders) registers it in its setup."""
    app.extensions.setdefault(LISTENERS_KEY, []).append(listener)


def _get_visible(principal: Principal, inspection_id: str, *, lock: bool = False) -> Inspection:
    query = select(Inspection).where(Inspection.id == inspection_id)
    if lock:
        query = query.with_for_update()
    row = db.session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound("inspection")
    if not can(principal, "inspection.read", inspection_target(row)):
        raise NotFound("inspection")
    return row


def inspection_target(row: Inspection, *, participants: bool = False) -> Target:
    """Return the access policy's Target of an inspection; with `participants`, the users
    who took part in it (its inspector and every finding revision's author)."""
    people = frozenset()
    if participants:
        authors = db.session.execute(select(Finding.author_id).where(Finding.inspection_id == row.id)).scalars()
        people = frozenset({row.inspector_id, *authors})
    return Target("inspection", row.jurisdiction_path, owner_id=row.inspector_id, participants=people)


def get_inspection(principal: Principal, inspection_id: str) -> dict:
    """Return one inspection with every finding revision, flags and reviews.

    Raises NotFound when it does not exist or lies outside the caller's subtree.
    """
    row = _get_visible(principal, inspection_id)
    name = accounts.usernames([row.inspector_id])[row.inspector_id]
    findings = db.session.execute(select(Finding).where(Finding.inspection_id == row.id)
                                  .order_by(Finding.id, Finding.revision)).scalars()
    flags = db.session.execute(select(Flag).where(Flag.inspection_id == row.id).order_by(Flag.created_at)).scalars()
    reviews = db.session.execute(select(Review).where(Review.inspection_id == row.id)
                                 .order_by(Review.created_at)).scalars()
    return {**inspection_json(row, name), "findings": [finding_json(f) for f in findings],
            "flags": [flag_json(f) for f in flags], "reviews": [review_json(r) for r in reviews],
            "photo_status": photo_status(row.id)}


def photo_status(inspection_id: str) -> dict:
    """Return ``{"referenced": [...], "missing": [...], "complete": bool}`` for the photos
    referenced by the latest revision of each finding of an inspection (and by the
    inspection's own ``data["photos"]``, if any). Raises nothing."""
    referenced: set[str] = set()
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is not None:
        referenced |= {p for p in (inspection.data or {}).get("photos") or () if photos.is_sha256(p)}
    latest: dict[str, tuple[int, list]] = {}
    for finding_id, revision, data in db.session.execute(
            select(Finding.id, Finding.revision, Finding.data).where(Finding.inspection_id == inspection_id)):
        if finding_id not in latest or revision > latest[finding_id][0]:
            latest[finding_id] = (revision, (data or {}).get("photos") or [])
    for _, refs in latest.values():
        referenced |= {p for p in refs if photos.is_sha256(p)}
    missing = photos.photos_missing(referenced) if referenced else set()
    return {"referenced": sorted(referenced), "missing": sorted(missing), "complete": not missing}


def visible_photo_status(principal: Principal, inspection_id: str) -> dict:
    """Return photo_status of an inspection the caller may see. Raises NotFound (unknown or
    outside the caller's subtree)."""
    _get_visible(principal, inspection_id)
    return photo_status(inspection_id)


def review_inspection(principal: Principal, inspection_id: str, outcome: str, comment: str = "") -> dict:
    """Record a supervisor's review and change the inspection's status; returns the review.

    Raises NotFound (unknown/outside), Forbidden (not a supervisor/admin), ValidationFailed
    (bad outcome, returned/rejected without a comment), Conflict (not awaiting review).
    """
    require(principal, "inspection.review")
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationFailed("outcome", outcome=repr(outcome), details={"outcome": list(REVIEW_OUTCOMES)})
    if outcome != "approved" and not (comment or "").strip():
        raise ValidationFailed("comment_required",
                               details={"comment": ["required"]})
    row = db.session.execute(select(Inspection).where(Inspection.id == inspection_id)
                             .with_for_update()).scalar_one_or_none()
    if row is None:
        raise NotFound("inspection")
    require(principal, "inspection.review", inspection_target(row, participants=True))   # outside: 404
    if row.status not in REVIEWABLE:
        raise Conflict("not_reviewable", status=row.status,
                       details={"status": [row.status]})
    now = clock.now()
    review = Review(id=str(uuid.uuid4()), inspection_id=row.id, reviewer_id=principal.user_id, outcome=outcome,
                    comment=comment or "", inspection_version=row.version, created_at=now)
    db.session.add(review)
    row.status = next_status(row.status, outcome)
    row.version += 1
    row.updated_at = now
    name = accounts.usernames([row.inspector_id])[row.inspector_id]
    emit("review", review.id, 1, review_json(review), row)
    emit("inspection", row.id, row.version, inspection_json(row, name), row)
    emit_history([row])
    evidence.append_event("reviewed", actor=principal.username, record_type="inspection", record_id=row.id,
                          details={"outcome": outcome, "version": row.version})
    for listener in current_app.extensions.get(LISTENERS_KEY, ()):
        listener(principal, inspection_json(row, name), outcome)
    return review_json(review)


def may_reopen(principal: Principal, inspection_id: str) -> bool:
    """True when `principal` may reopen this inspection now (approved, in their subtree,
    and they took no part in it). Raises nothing."""
    row = db.session.get(Inspection, inspection_id)
    return row is not None and row.status == "approved" and \
        can(principal, "inspection.reopen", inspection_target(row, participants=True))


def reopen_inspection(principal: Principal, inspection_id: str, reason: str) -> dict:
    """Send an approved inspection back to its officer (status returned, a new version the
    tablet pulls) with `reason`: a review of outcome returned carrying the reason, an
    evidence event `reviewed` {outcome: reopened} and an audit entry, so the history keeps
    the approval and the reopening.

    Raises NotFound (unknown/outside), Forbidden (not a supervisor/admin, or one who took
    part in it), ValidationFailed (no reason), Conflict (not approved).
    Returns {review, company_name}.
    """
    require(principal, "inspection.reopen")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("reason_required", details={"reason": ["required"]})
    row = db.session.execute(select(Inspection).where(Inspection.id == inspection_id)
                             .with_for_update()).scalar_one_or_none()
    if row is None:
        raise NotFound("inspection")
    require(principal, "inspection.reopen", inspection_target(row, participants=True))
    if row.status != "approved":
        raise Conflict("not_approved", details={"status": [row.status]})
    new_status = next_status(row.status, "reopen")
    now = clock.now()
    review = Review(id=str(uuid.uuid4()), inspection_id=row.id, reviewer_id=principal.user_id, outcome="returned",
                    comment=reason, inspection_version=row.version, created_at=now)
    db.session.add(review)
    row.status, row.version, row.updated_at = new_status, row.version + 1, now
    name = accounts.usernames([row.inspector_id])[row.inspector_id]
    emit("review", review.id, 1, review_json(review), row)
    emit("inspection", row.id, row.version, inspection_json(row, name), row)
    evidence.append_event("reviewed", actor=principal.username, record_type="inspection", record_id=row.id,
                          details={"outcome": "reopened", "review_id": review.id, "version": row.version,
                                   "reason": reason[:500]})
    audit.record(principal, "inspection.reopen", row.id, reason=reason)
    return {"review": review_json(review), "company_name": row.company_name}
