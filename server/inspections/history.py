"""回头看 for the tablets: one `history` row per inspection (drafts left out) with its
current findings, scoped to the inspection's jurisdiction, so every other officer of the
jurisdiction pulls it (server/syncing/pull.py `visibility`; its own officer has the records)
while it changed within the window (GBFIELD_HISTORY_MONTHS, default 24). The tablet's HistoryPresenter
reads it (kivy_client/presenters/history.py).

Row: {id, credit_code, company_name, inspected_on, status, inspector, findings:
[{indicator_id, measured, unit, outcome}]}.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from server.inspections.models import Finding, Inspection
from server.kernel.changes import record_upsert
from server.kernel.database import in_chunks
from sync.protocol import HISTORY

#: the batch queue of inspections whose history row is written after the flush
QUEUE = "history_rows"


def history_row(row: Inspection, revisions: list[Finding]) -> tuple[int, dict]:
    """Return (version, data) of the inspection's history row from its finding `revisions`
    (every revision; the newest of each finding counts): the version grows with every
    edit, review and finding revision (so a device takes the newest)."""
    current: dict[str, Finding] = {}
    for finding in revisions:
        if finding.id not in current or finding.revision > current[finding.id].revision:
            current[finding.id] = finding
    findings = sorted(current.values(), key=lambda f: (f.created_at, f.id))
    return row.version * 100_000 + sum(f.revision for f in findings), {
        "id": row.id, "credit_code": row.credit_code, "company_name": row.company_name,
        "inspected_on": row.inspected_on.isoformat(), "status": row.status,
        "inspector": row.data.get("inspector") or "",
        "findings": [{"indicator_id": f.indicator_id, "measured": f.measured, "unit": f.unit,
                      "outcome": f.server_outcome or f.device_outcome or "inconclusive"} for f in findings]}


def emit_history(rows: Iterable[Inspection]) -> None:
    """Queue the changes of the inspections' history rows (none for a draft); their
    findings are read in chunked IN queries (a push batch touches many)."""
    rows = [r for r in rows if r.status != "draft"]
    if not rows:
        return
    revisions: dict[str, list[Finding]] = {}
    for finding in in_chunks(select(Finding), Finding.inspection_id, [r.id for r in rows]):
        revisions.setdefault(finding.inspection_id, []).append(finding)
    for row in rows:
        version, data = history_row(row, revisions.get(row.id, []))
        record_upsert(HISTORY, row.id, version, data, scope_path=row.jurisdiction_path,
                      owner_user_id=row.inspector_id)
