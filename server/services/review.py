"""Supervisors' side: list and read inspections in their jurisdiction, review them."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from server import clock
from server.auth import Principal, require_subtree
from server.errors import Conflict, Forbidden, NotFound, ValidationFailed
from server.evidence.service import append_event
from server.extensions import db
from server.models.accounts import User
from server.models.records import Finding, Flag, Inspection, Review
from server.photos.service import inspection_photo_status
from server.services.records import emit, finding_json, flag_json, inspection_json, review_json
from sync.protocol import INSPECTION_STATUSES, REVIEW_OUTCOMES

REVIEWABLE = ("submitted", "resubmitted")


def _get_visible(principal: Principal, inspection_id: str, *, lock: bool = False) -> Inspection:
    query = select(Inspection).where(Inspection.id == inspection_id)
    if lock:
        query = query.with_for_update()
    row = db.session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound("未找到检查记录 / inspection not found")
    require_subtree(principal, row.jurisdiction_path, write=False)
    if principal.role == "expert":
        raise NotFound("未找到检查记录 / inspection not found")
    return row


def list_inspections(principal: Principal, *, status: str | None = None,
                     disagreement: bool | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
    """Return inspections inside the caller's subtree (newest first), filtered.

    Raises ValidationFailed for an unknown status, Forbidden for experts.
    """
    if principal.role == "expert":
        raise Forbidden("专家不能查看检查记录 / experts cannot list inspections")
    query = select(Inspection, User.username).join(User, Inspection.inspector_id == User.id)
    if principal.role != "admin":
        query = query.where(Inspection.jurisdiction_path.startswith(principal.jurisdiction_path, autoescape=True))
    if status is not None:
        if status not in INSPECTION_STATUSES:
            raise ValidationFailed(f"未知状态 / unknown status {status}", details={"status": list(INSPECTION_STATUSES)})
        query = query.where(Inspection.status == status)
    if disagreement is not None:
        query = query.where(Inspection.has_disagreement.is_(disagreement))
    rows = db.session.execute(query.order_by(Inspection.updated_at.desc(), Inspection.id)
                              .limit(limit).offset(offset)).all()
    return [inspection_json(row, name) for row, name in rows]


def get_inspection(principal: Principal, inspection_id: str) -> dict:
    """Return one inspection with every finding revision, flags and reviews.

    Raises NotFound when it does not exist or lies outside the caller's subtree.
    """
    row = _get_visible(principal, inspection_id)
    name = db.session.get(User, row.inspector_id).username
    findings = db.session.execute(select(Finding).where(Finding.inspection_id == row.id)
                                  .order_by(Finding.id, Finding.revision)).scalars()
    flags = db.session.execute(select(Flag).where(Flag.inspection_id == row.id).order_by(Flag.created_at)).scalars()
    reviews = db.session.execute(select(Review).where(Review.inspection_id == row.id)
                                 .order_by(Review.created_at)).scalars()
    return {**inspection_json(row, name), "findings": [finding_json(f) for f in findings],
            "flags": [flag_json(f) for f in flags], "reviews": [review_json(r) for r in reviews],
            "photo_status": inspection_photo_status(row.id)}


def review_inspection(principal: Principal, inspection_id: str, outcome: str, comment: str = "") -> dict:
    """Record a supervisor's review and change the inspection's status; returns the review.

    Raises NotFound (unknown/outside), Forbidden (not a supervisor/admin), ValidationFailed
    (bad outcome, returned/rejected without a comment), Conflict (not awaiting review).
    """
    if principal.role not in ("supervisor", "admin"):
        raise Forbidden("只有科室负责人可以审核 / only supervisors review")
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationFailed(f"未知审核结果 / unknown outcome {outcome!r}", details={"outcome": list(REVIEW_OUTCOMES)})
    if outcome != "approved" and not (comment or "").strip():
        raise ValidationFailed("退回或驳回必须填写意见 / a comment is required to return or reject",
                               details={"comment": ["required"]})
    row = _get_visible(principal, inspection_id, lock=True)
    if row.status not in REVIEWABLE:
        raise Conflict(f"检查记录状态为 {row.status}，不能审核 / inspection is {row.status}, not awaiting review",
                       details={"status": [row.status]})
    now = clock.now()
    review = Review(id=str(uuid.uuid4()), inspection_id=row.id, reviewer_id=principal.user_id, outcome=outcome,
                    comment=comment or "", inspection_version=row.version, created_at=now)
    db.session.add(review)
    row.status = outcome
    row.version += 1
    row.updated_at = now
    name = db.session.get(User, row.inspector_id).username
    emit("review", review.id, 1, review_json(review), row)
    emit("inspection", row.id, row.version, inspection_json(row, name), row)
    append_event("reviewed", actor=principal.username, record_type="inspection", record_id=row.id,
                 details={"outcome": outcome, "version": row.version})
    db.session.commit()
    return review_json(review)
