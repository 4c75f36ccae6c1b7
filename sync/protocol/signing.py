"""What a signature on site signs: the hash of an inspection and the finding revisions
the party read, computed the same way on the tablet (before the pen touches the screen)
and on the server (to check that a signature belongs to the record it names).

    digest = record_hash(inspection_data, [finding revision data, ...])
    signature = {"inspection_id": ..., "record_hash": digest, "image": sha256 of the PNG, ...}

The signed content keeps only what the 现场笔录 shows — the inspection's own fields and,
for each finding, the revision read to the party — so a sync that adds server-side fields
(status, versions, verdicts) never changes the hash; a correction made afterwards is a
new revision the signature does not cover.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from sync.protocol.hashing import canonical_json
from sync.protocol.schema import FINDING, INSPECTION

__all__ = ["SIGNED_FINDING_FIELDS", "SIGNED_INSPECTION_FIELDS", "record_hash", "signed_content"]

SIGNED_INSPECTION_FIELDS = (
    "id", "inspected_on", "company_name", "credit_code", "address", "site", "product_name", "gtin",
    "batch", "product_class", "started_at", "ended_at", "position", "party", "officers", "note",
)
SIGNED_FINDING_FIELDS = (
    "id", "revision", "indicator_id", "sample", "measured", "unit", "claimed_grade", "note", "photos",
)


def _given(value: Any) -> bool:
    return value not in (None, "", [], {})


def signed_content(inspection: Mapping[str, Any], findings: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Return the content a signature signs: the inspection's signed fields and each
    finding's signed fields with the device's verdict outcome, findings by id (absent,
    null and empty values left out, so an optional field added later changes nothing).
    Values are normalised by the record schema first (credit code, position, photo
    hashes), so the tablet's copy and the server's stored one hash alike."""
    inspection = INSPECTION.check(inspection).values
    head = {k: inspection[k] for k in SIGNED_INSPECTION_FIELDS if _given(inspection.get(k))}
    rows = []
    for finding in findings:
        finding = FINDING.check(finding).values
        row = {k: finding[k] for k in SIGNED_FINDING_FIELDS if _given(finding.get(k))}
        outcome = (finding.get("device_verdict") or {}).get("outcome")
        if outcome:
            row["outcome"] = outcome
        rows.append(row)
    rows.sort(key=lambda r: str(r.get("id")))
    return {"inspection": head, "findings": rows}


def record_hash(inspection: Mapping[str, Any], findings: Iterable[Mapping[str, Any]]) -> str:
    """Return the SHA-256 hex of the canonical JSON of `signed_content(...)`. Raises
    ProtocolError for values JSON cannot carry."""
    return hashlib.sha256(canonical_json(signed_content(inspection, findings)).encode("utf-8")).hexdigest()
