"""JSON shapes of officers' records as pulled by devices and shown to supervisors, and
the change rows that carry them."""
from __future__ import annotations

from server.inspections.models import Finding, Flag, Inspection, Review
from server.kernel import clock
from server.kernel.changes import record_upsert


def iso(value):
    """Return a stored timestamp as ISO 8601 UTC text (None stays None)."""
    return clock.as_utc(value).isoformat() if value is not None else None


def inspection_json(row: Inspection, inspector: str | None = None) -> dict:
    """Return the pull/API shape of an inspection (device data + server fields)."""
    return {**row.data, "id": row.id, "version": row.version, "status": row.status,
            "jurisdiction": row.jurisdiction_code, "inspector_id": row.inspector_id,
            "inspector": inspector if inspector is not None else row.data.get("inspector"),
            "inspected_on": row.inspected_on.isoformat(), "has_disagreement": row.has_disagreement,
            "updated_at": iso(row.updated_at)}


def finding_json(row: Finding) -> dict:
    """Return the pull/API shape of one finding revision (both verdicts)."""
    return {**row.data, "id": row.id, "revision": row.revision, "inspection_id": row.inspection_id,
            "indicator_id": row.indicator_id, "measured": row.measured, "unit": row.unit,
            "server_verdict": row.server_verdict, "server_ruleset_version": row.server_ruleset_version,
            "disagrees": row.disagrees, "created_at": iso(row.created_at)}


def flag_json(row: Flag) -> dict:
    """Return the pull/API shape of a flag."""
    return {**row.data, "id": row.id, "finding_id": row.finding_id, "revision": row.revision,
            "inspection_id": row.inspection_id, "created_at": iso(row.created_at),
            "resolved_at": iso(row.resolved_at)}


def review_json(row: Review) -> dict:
    """Return the pull/API shape of a review."""
    return {"id": row.id, "inspection_id": row.inspection_id, "outcome": row.outcome,
            "comment": row.comment, "reviewer_id": row.reviewer_id,
            "inspection_version": row.inspection_version, "created_at": iso(row.created_at)}


def emit(entity: str, ident: str, version: int, data: dict, inspection: Inspection | None = None,
         *, scope_path: str | None = None, owner: int | None = None) -> None:
    """Queue an upsert change of a record scoped like `inspection` (or scope_path/owner)."""
    if inspection is not None:
        scope_path, owner = inspection.jurisdiction_path, inspection.inspector_id
    record_upsert(entity, ident, version, data, scope_path=scope_path, owner_user_id=owner)
