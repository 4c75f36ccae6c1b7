"""The push handler of inspections and findings (registered with server.syncing): check
an item, then queue its writes; the server judges every finding again with the rule set
in force on the inspection date and flags a disagreement.

What the batch names is loaded in bulk first (its inspections, locked FOR UPDATE in id
order; the latest revision of its findings; its indicators): nothing here grows with the
catalog or the stored records. Status moves follow server.inspections.status.
"""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, select

from server.accounts import service as accounts
from server.catalog import service as catalog
from server.inspections.models import Finding, Flag, Inspection
from server.inspections.records import emit, finding_json, flag_json, inspection_json
from server.inspections.status import LOCKED, next_status
from server.kernel import clock
from server.kernel.access import Target, can
from server.kernel.database import in_chunks
from server.kernel.errors import ItemRejected
from server.kernel.extensions import db
from server.photos import service as photos
from server.rulesets import service as rulesets
from server.syncing.service import ItemConflict, PushBatch
from sync.protocol import ErrorCode, PushItem, is_clean_text, parse_day
from sync.protocol.signing import signed_content

STATE = "inspections"


def _add_text(ids: set[str], value: Any) -> None:
    """Add `value` to `ids` when it is clean text (other values are ignored here: the item's
    schema check rejects them, this bulk look-up must not fail the whole batch)."""
    if is_clean_text(value):
        ids.add(value)


class _State:
    """What one batch's inspection and finding items need, loaded in bulk."""

    def __init__(self, raw_items: list) -> None:
        self.judge = rulesets.judge()
        self.paths: dict[str, str | None] = {}
        self.usernames: dict[int, str] = {}
        indicator_ids, inspection_ids, finding_ids = set(), set(), set()
        for raw in raw_items:
            data = raw.get("data") if isinstance(raw, dict) else None
            if not isinstance(data, dict):
                continue
            entity = raw.get("entity")
            # only string ids are collected: a malformed item (a list or object as id) is
            # rejected by its own checks later and must not break the bulk loading here
            if entity == "finding":
                _add_text(indicator_ids, data.get("indicator_id"))
                _add_text(inspection_ids, data.get("inspection_id"))
                _add_text(finding_ids, data.get("id"))
            elif entity == "inspection":
                _add_text(inspection_ids, raw.get("id"))
                for f in data.get("findings") or () if isinstance(data.get("findings"), list) else ():
                    if isinstance(f, dict):
                        _add_text(indicator_ids, f.get("indicator_id"))
                        _add_text(finding_ids, f.get("id"))
        self.known_indicators = catalog.known_indicators(indicator_ids)
        self._finding_ids = finding_ids
        self._inspection_ids = inspection_ids
        self.load()

    def load(self) -> None:
        """(Re)load the batch's inspections (locked FOR UPDATE, in id order) and the latest
        revision of each of its findings, in bulk."""
        self.inspections: dict[str, Inspection | None] = dict.fromkeys(self._inspection_ids)
        for row in in_chunks(select(Inspection).order_by(Inspection.id).with_for_update(),
                              Inspection.id, self._inspection_ids):
            self.inspections[row.id] = row
        self.finding_revs: dict[str, tuple[int, str]] = {}
        query = select(Finding.id, func.max(Finding.revision), Finding.inspection_id) \
            .group_by(Finding.id, Finding.inspection_id)
        for ident, revision, inspection_id in in_chunks(query, Finding.id, self._finding_ids, rows=True):
            if revision > self.finding_revs.get(ident, (0, ""))[0]:
                self.finding_revs[ident] = (revision, inspection_id)

    def inspection(self, ident: str) -> Inspection | None:
        """Return the inspection `ident` (this batch's new one, a loaded one, or from the DB)."""
        if ident not in self.inspections:
            self.inspections[ident] = db.session.execute(
                select(Inspection).where(Inspection.id == ident).with_for_update()).scalar_one_or_none()
        return self.inspections[ident]

    def latest_revision(self, finding_id: str) -> tuple[int, str | None]:
        """Return (latest stored revision, its inspection id) of a finding ((0, None) if new)."""
        if finding_id not in self._finding_ids and finding_id not in self.finding_revs:
            row = db.session.execute(select(func.max(Finding.revision), Finding.inspection_id)
                                     .where(Finding.id == finding_id)
                                     .group_by(Finding.inspection_id)).first()
            self.finding_revs[finding_id] = (row[0], row[1]) if row else (0, None)
        return self.finding_revs.get(finding_id, (0, None))

    def path_of(self, code: str) -> str | None:
        if code not in self.paths:
            self.paths[code] = accounts.jurisdiction_path(code)
        return self.paths[code]

    def username(self, user_id: int) -> str:
        if user_id not in self.usernames:
            self.usernames.update(accounts.usernames([user_id]))
        return self.usernames[user_id]


class _FindingContext(NamedTuple):
    """What judging a finding needs of its inspection (as it will be after this item)."""

    inspection_id: str
    inspected_on: date
    product_class: str | None


class InspectionsPush:
    """Applies pushed inspections (with their initial findings) and finding revisions."""

    entities = ("inspection", "finding")

    def prepare(self, batch: PushBatch, raw_items: list) -> None:
        """Load (again, after a rollback) what the batch's items name."""
        state = batch.state.get(STATE)
        if state is None:
            batch.state[STATE] = _State(raw_items)
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
        """After the flush: the evidence events saying which records reference which photos."""
        attachments = batch.queue("photo_attachments")
        if attachments:
            actor = batch.state[STATE].username(batch.principal.user_id)
            for refs, record_type, record_id in attachments:
                photos.record_attached(refs, record_type=record_type, record_id=record_id, actor=actor)
            attachments.clear()


def _attach(batch: PushBatch, refs: list[str] | None, record_type: str, record_id: str) -> None:
    if refs:
        batch.queue("photo_attachments").append((list(refs), record_type, record_id))


# ---- inspections -------------------------------------------------------------------------

def _clean_inspection(batch: PushBatch, state: _State, data: dict) -> tuple[dict, str, str]:
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


def _apply_inspection(batch: PushBatch, state: _State, item: PushItem) -> int:
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
    context = _FindingContext(item.id, inspected_on, data.get("product_class"))
    prepared, revisions = [], {}
    for f in findings:
        f = {**f, "inspection_id": item.id}
        if f.get("revision") is None:
            f["revision"] = 1
        prepared.append(_check_finding(state, f, f["revision"] - 1, context, revisions))
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
    _attach(batch, data.get("photos"), "inspection", f"{row.id}#v{row.version}")
    for f in prepared:
        _write_finding(batch, state, f, row)
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

def _apply_finding_item(batch: PushBatch, state: _State, item: PushItem) -> int:
    inspection = state.inspection(item.values["inspection_id"])
    if inspection is None:
        raise ItemRejected(code=ErrorCode.UNKNOWN_INSPECTION)
    check_can_edit(batch, inspection)
    context = _FindingContext(inspection.id, inspection.inspected_on, inspection.data.get("product_class"))
    prepared = _check_finding(state, item.values, item.base_version, context, {})
    revision = _write_finding(batch, state, prepared, inspection)
    status = next_status(inspection.status, "correct")
    if status != inspection.status:
        # a correction of a returned inspection sends it back for review. The version stays:
        # it counts the officer's edits of the inspection, so an edit made offline beside
        # this correction (on the same base version) still applies.
        inspection.status = status
        inspection.updated_at = clock.now()
        emit("inspection", inspection.id, inspection.version, inspection_json(inspection), inspection)
    return revision


def _check_finding(state: _State, data: dict, base_version: int, context: _FindingContext,
                   revisions: dict[str, int]) -> dict:
    """Check one finding revision and judge it again; returns what `_write_finding` stores.
    Raises ItemRejected / ItemConflict; writes nothing."""
    revision = int(data["revision"])
    stored_rev, stored_inspection = state.latest_revision(data["id"])
    if stored_inspection is not None and stored_inspection != context.inspection_id:
        raise ItemRejected("finding_elsewhere", code=ErrorCode.VALIDATION_FAILED)
    latest_rev = revisions.get(data["id"], stored_rev)
    if revision != latest_rev + 1 or base_version != latest_rev:
        current = None
        if stored_rev:
            latest = db.session.get(Finding, (data["id"], stored_rev))
            current = finding_json(latest) if latest is not None else None
        raise ItemConflict("finding_revision", latest_rev, current, revision=latest_rev)
    revisions[data["id"]] = revision
    indicator_id = data["indicator_id"]
    if indicator_id not in state.known_indicators:
        raise ItemRejected(code=ErrorCode.UNKNOWN_INDICATOR, indicator=indicator_id)
    device_verdict = data.get("device_verdict") if isinstance(data.get("device_verdict"), dict) else None
    device_outcome = device_verdict.get("outcome") if device_verdict else None
    server = state.judge.judge(indicator_id, data["measured"], data.get("unit"), on=context.inspected_on,
                               product_class=data.get("product_class") or context.product_class)
    disagrees = device_outcome is not None and server.outcome is not None and device_outcome != server.outcome
    stored = {k: v for k, v in data.items() if k not in ("server_verdict", "disagrees")}
    stored["photos"] = list(data.get("photos") or [])
    return {"data": data, "stored": stored, "revision": revision, "indicator_id": indicator_id,
            "device_verdict": device_verdict, "device_outcome": device_outcome, "server": server,
            "disagrees": disagrees}


def _write_finding(batch: PushBatch, state: _State, f: dict, inspection: Inspection) -> int:
    """Queue the finding revision (and its flag) checked by `_check_finding`; returns its revision."""
    data, revision, server = f["data"], f["revision"], f["server"]
    now = clock.now()
    row = batch.add_row(Finding, {
        "id": data["id"], "revision": revision, "inspection_id": inspection.id, "indicator_id": f["indicator_id"],
        "measured": data["measured"], "unit": data.get("unit"), "device_outcome": f["device_outcome"],
        "device_ruleset_version": data.get("ruleset_version"), "server_outcome": server.outcome,
        "server_ruleset_version": server.ruleset_version, "server_verdict": server.verdict,
        "disagrees": f["disagrees"], "data": f["stored"], "author_id": batch.principal.user_id,
        "created_at": now})
    state.finding_revs[row.id] = (revision, inspection.id)
    _attach(batch, f["stored"]["photos"], "finding", f"{row.id}#{revision}")
    emit("finding", row.id, revision, finding_json(row), inspection)
    entry = {"finding_id": row.id, "revision": revision, "inspection_id": inspection.id,
             "server_verdict": server.verdict, "ruleset_version": server.ruleset_version,
             "device_outcome": f["device_outcome"], "disagrees": f["disagrees"]}
    batch.rejudged.append(entry)
    if f["disagrees"]:
        flag = batch.add_row(Flag, {
            "id": str(uuid.uuid4()), "finding_id": row.id, "revision": revision, "inspection_id": inspection.id,
            "data": {"device_verdict": f["device_verdict"], "server_verdict": server.verdict,
                     "indicator_id": f["indicator_id"], "measured": data["measured"], "unit": data.get("unit"),
                     "device_ruleset_version": data.get("ruleset_version"),
                     "server_ruleset_version": server.ruleset_version},
            "created_at": now, "resolved_at": None})
        inspection.has_disagreement = True
        emit("flag", flag.id, 1, flag_json(flag), inspection)
        entry["flag_id"] = flag.id
    return revision
