"""The push handler of inspections and findings (registered with server.syncing): check
an item, then queue its writes; the server judges every finding again with the rule set
in force on the inspection date and flags a disagreement.

What the batch names is loaded in bulk first (server.inspections.push_state); findings are
checked, judged and written by server.inspections.push_findings. Status moves follow
server.inspections.status.
"""
from __future__ import annotations

from sqlalchemy import select

from server.inspections.history import QUEUE as HISTORY_QUEUE
from server.inspections.history import emit_history
from server.inspections.models import Inspection
from server.inspections.push_findings import (
    FindingContext,
    attach_photos,
    check_finding,
    write_finding,
)
from server.inspections.push_state import STATE, BatchState
from server.inspections.records import emit, inspection_json
from server.inspections.status import LOCKED, next_status
from server.kernel import clock
from server.kernel.access import Target, can
from server.kernel.database import in_chunks
from server.kernel.errors import ItemRejected
from server.photos import service as photos
from server.syncing.service import ItemConflict, PushBatch
from sync.protocol import ErrorCode, PushItem, parse_day
from sync.protocol.signing import signed_content

__all__ = ["STATE", "InspectionsPush", "check_can_edit"]


class InspectionsPush:
    """Applies pushed inspections (with their initial findings) and finding revisions."""

    entities = ("inspection", "finding")

    def prepare(self, batch: PushBatch, raw_items: list) -> None:
        """Load (again, after a rollback) what the batch's items name."""
        state = batch.state.get(STATE)
        if state is None:
            batch.state[STATE] = BatchState(raw_items)
        else:
            state.load()

    def apply(self, batch: PushBatch, item: PushItem) -> int:
        """Check an inspection or finding item, queue its writes; return its version (a
        finding: its revision). Raises ItemRejected, ItemConflict."""
        role = batch.principal.role
        if not can(batch.principal, "inspection.write"):
            raise ItemRejected("role_cannot_push", code=ErrorCode.FORBIDDEN, role=role, entity=item.entity)
        if item.entity == "inspection":
            return _apply_inspection(batch, batch.state[STATE], item)
        return _apply_finding_item(batch, batch.state[STATE], item)

    def finish(self, batch: PushBatch) -> None:
        """After the flush: the evidence events saying which records reference which photos,
        and the 回头看 rows of the inspections the batch changed."""
        touched = batch.queue(HISTORY_QUEUE)
        if touched:
            emit_history(in_chunks(select(Inspection), Inspection.id, set(touched)))
            touched.clear()
        attachments = batch.queue("photo_attachments")
        if attachments:
            actor = batch.state[STATE].username(batch.principal.user_id)
            for refs, record_type, record_id in attachments:
                photos.record_attached(refs, record_type=record_type, record_id=record_id, actor=actor)
            attachments.clear()


# ---- inspections -------------------------------------------------------------------------

def _clean_inspection(batch: PushBatch, state: BatchState, data: dict) -> tuple[dict, str, str]:
    """Return (the inspection's values to store, its jurisdiction code and path); `data` is
    the item's values the schema checked. Raises ItemRejected for a jurisdiction unknown
    or outside the caller's subtree."""
    principal = batch.principal
    clean = {k: v for k, v in data.items() if k != "findings"}
    code = data.get("jurisdiction") or principal.jurisdiction_code
    path = state.path_of(str(code))
    if path is None:
        raise ItemRejected(code=ErrorCode.UNKNOWN_JURISDICTION, details={"data.jurisdiction": ["unknown"]},
                           jurisdiction=code)
    if not can(principal, "inspection.write", Target("inspection", path)):
        raise ItemRejected(code=ErrorCode.OUTSIDE_JURISDICTION, details={"data.jurisdiction": ["outside"]},
                           jurisdiction=code)
    clean["jurisdiction"] = code
    if "photos" in data and clean.get("photos") is None:
        clean["photos"] = []
    return clean, str(code), path


def _apply_inspection(batch: PushBatch, state: BatchState, item: PushItem) -> int:
    principal = batch.principal
    data, code, path = _clean_inspection(batch, state, item.values)
    findings = item.values.get("findings") or []
    inspected_on = parse_day(data["inspected_on"])
    existing = state.inspection(item.id)
    if existing is None:
        if item.base_version != 0:
            raise ItemConflict("no_inspection", 0, None)
    else:
        check_can_edit(batch, existing)
        _check_not_completed(existing, data)
        if item.base_version != existing.version:
            raise ItemConflict("inspection_changed", existing.version, inspection_json(existing),
                               version=existing.version)
    # check every finding before anything is written
    context = FindingContext(item.id, inspected_on, data.get("product_class"))
    prepared, revisions = [], {}
    for f in findings:
        f = {**f, "inspection_id": item.id}
        if f.get("revision") is None:
            f["revision"] = 1
        prepared.append(check_finding(state, f, f["revision"] - 1, context, revisions))
    now = clock.now()
    draft = data.get("status") == "draft"
    if existing is None:
        data["inspector"] = state.username(principal.user_id)
        row = Inspection(id=item.id, version=1, status=next_status(None, "create_draft" if draft else "create"),
                         jurisdiction_code=code, jurisdiction_path=path,
                         inspector_id=principal.user_id, device_id=principal.device_id,
                         inspected_on=inspected_on, company_name=data.get("company_name"),
                         credit_code=data.get("credit_code"), has_disagreement=False, data=data,
                         created_at=now, updated_at=now)
        state.inspections[row.id] = row
        batch.add_object(row)
    else:
        row = existing
        data["inspector"] = row.data.get("inspector")
        row.version += 1
        row.status = next_status(row.status, "edit_draft" if draft else "edit")
        row.jurisdiction_code, row.jurisdiction_path = code, path
        row.inspected_on = inspected_on
        row.company_name, row.credit_code = data.get("company_name"), data.get("credit_code")
        row.data = data
        row.updated_at = now
    emit("inspection", row.id, row.version, inspection_json(row), row)
    batch.queue(HISTORY_QUEUE).append(row.id)
    attach_photos(batch, data.get("photos"), "inspection", f"{row.id}#v{row.version}")
    for f in prepared:
        write_finding(batch, state, f, row)
    return row.version


def check_can_edit(batch: PushBatch, row: Inspection) -> None:
    """Raise ItemRejected unless the caller may change what belongs to `row` (their own
    inspection in their subtree, not approved or rejected)."""
    principal = batch.principal
    if not can(principal, "inspection.write", Target("inspection", row.jurisdiction_path)):
        raise ItemRejected("inspection_outside", code=ErrorCode.FORBIDDEN)
    if not can(principal, "inspection.write", Target("inspection", row.jurisdiction_path, owner_id=row.inspector_id)):
        raise ItemRejected("not_own_inspection", code=ErrorCode.FORBIDDEN)
    if row.status in LOCKED:
        raise ItemRejected("approved" if row.status == "approved" else "rejected", code=ErrorCode.INSPECTION_LOCKED)


def _check_not_completed(row: Inspection, data: dict) -> None:
    """Raise ItemRejected when `row` was completed on the tablet (完成检查) and `data`
    changes what was signed, or the completion itself: from then on it changes only by
    correction revisions of its findings."""
    if not row.data.get("completed_at"):
        return
    stored, new = signed_content(row.data, ()), signed_content(data, ())
    if stored != new or any(row.data.get(k) != data.get(k) for k in ("completed_at", "record_hash")):
        raise ItemRejected("completed", code=ErrorCode.INSPECTION_LOCKED)


# ---- findings ----------------------------------------------------------------------------

def _apply_finding_item(batch: PushBatch, state: BatchState, item: PushItem) -> int:
    inspection = state.inspection(item.values["inspection_id"])
    if inspection is None:
        raise ItemRejected(code=ErrorCode.UNKNOWN_INSPECTION)
    check_can_edit(batch, inspection)
    context = FindingContext(inspection.id, inspection.inspected_on, inspection.data.get("product_class"))
    prepared = check_finding(state, item.values, item.base_version, context, {})
    revision = write_finding(batch, state, prepared, inspection)
    status = next_status(inspection.status, "correct")
    if status != inspection.status:
        # a correction of a returned inspection sends it back for review. The version stays:
        # it counts the officer's edits of the inspection, so an edit made offline beside
        # this correction (on the same base version) still applies.
        inspection.status = status
        inspection.updated_at = clock.now()
        emit("inspection", inspection.id, inspection.version, inspection_json(inspection), inspection)
    return revision
