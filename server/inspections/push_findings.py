"""The findings of a push (server.inspections.push): a finding revision is checked and
judged again with the rule set in force on its inspection's date (`check_finding`, writes
nothing), then queued with the flag of a disagreement between the tablet's verdict and the
server's (`write_finding`). An inspection's initial findings are all checked before any
of them is written.
"""
from __future__ import annotations

import uuid
from datetime import date
from typing import NamedTuple

from server.inspections.history import QUEUE as HISTORY_QUEUE
from server.inspections.models import Finding, Flag, Inspection
from server.inspections.push_state import BatchState
from server.inspections.records import emit, finding_json, flag_json
from server.kernel import clock
from server.kernel.errors import ItemRejected
from server.kernel.extensions import db
from server.syncing.service import ItemConflict, PushBatch
from sync.protocol import ErrorCode


class FindingContext(NamedTuple):
    """What judging a finding needs of its inspection (as it will be after this item)."""

    inspection_id: str
    inspected_on: date
    product_class: str | None


def attach_photos(batch: PushBatch, refs: list[str] | None, record_type: str, record_id: str) -> None:
    """Queue the evidence event saying that `record_type` `record_id` references the photos `refs`."""
    if refs:
        batch.queue("photo_attachments").append((list(refs), record_type, record_id))


def check_finding(state: BatchState, data: dict, base_version: int, context: FindingContext,
                  revisions: dict[str, int]) -> dict:
    """Check one finding revision and judge it again; returns what `write_finding` stores.
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


def write_finding(batch: PushBatch, state: BatchState, f: dict, inspection: Inspection) -> int:
    """Queue the finding revision (and its flag) checked by `check_finding`; returns its revision."""
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
    attach_photos(batch, f["stored"]["photos"], "finding", f"{row.id}#{revision}")
    emit("finding", row.id, revision, finding_json(row), inspection)
    batch.queue(HISTORY_QUEUE).append(inspection.id)
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
