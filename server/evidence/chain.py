"""The evidence hash chain, pure: canonical hashing of event rows and chain verification.

Each event row holds ``prev_hash`` (the previous row's ``row_hash``; GENESIS for the
first) and ``row_hash = sha256(canonical_json(fields) + prev_hash)``. Changing, removing
or reordering any row breaks the link at that row or the next one; ``verify_chain`` names
the first broken link.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
#: The fields that are hashed, in the order they appear in the canonical JSON (sorted anyway).
HASHED_FIELDS = ("seq", "kind", "photo_sha256", "record_type", "record_id", "actor", "at", "details")
#: what happened; the enforcement cycle (server/planning) adds directory imports, draws, orders and publications
EVENT_KINDS = ("uploaded", "attached", "reviewed", "exported", "imported", "committed", "drawn", "ordered",
               "order_closed", "order_escalated", "published", "task_reassigned", "task_cancelled", "result_withdrawn",
               "photo_published", "photo_withdrawn")  # the last two: a supervisor publishes / withdraws a photo's public copy


def canonical_json(fields: Mapping[str, Any]) -> str:
    """Return the one JSON text of ``fields``: sorted keys, no spaces, UTF-8 kept, no NaN.

    Raises ValueError for values JSON cannot represent exactly (floats are refused:
    use strings)."""
    def refuse_floats(value):
        if isinstance(value, float):
            raise ValueError("floats are not allowed in evidence events; use strings")  # noqa: TRY004
        if isinstance(value, Mapping):
            for item in value.values():
                refuse_floats(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                refuse_floats(item)

    refuse_floats(fields)
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def row_hash(fields: Mapping[str, Any], prev_hash: str) -> str:
    """Return the hex SHA-256 of ``canonical_json(fields)`` followed by ``prev_hash``."""
    hashed = {name: fields.get(name) for name in HASHED_FIELDS}
    return hashlib.sha256((canonical_json(hashed) + prev_hash).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    """Where and why the chain breaks."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"event #{self.seq}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    """Result of a verification: ``ok`` with ``count`` events and the ``head`` hash, or
    the ``first_broken`` link."""

    count: int
    head: str
    first_broken: BrokenLink | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify_chain(rows: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Check rows (mappings with HASHED_FIELDS, ``prev_hash``, ``row_hash``) in ``seq`` order.

    Returns a ChainReport; stops at the first broken link. Never raises for bad data."""
    expected_prev = GENESIS
    count = 0
    last_seq = None
    for row in rows:
        seq = row.get("seq")
        if last_seq is not None and (not isinstance(seq, int) or seq <= last_seq):
            return ChainReport(count, expected_prev, BrokenLink(seq, "序号乱序 / sequence out of order"))
        if row.get("prev_hash") != expected_prev:
            return ChainReport(count, expected_prev, BrokenLink(
                seq, "前一哈希不符（之前的事件被删除、插入或改动）/ prev_hash does not match the "
                     "previous event (an event before it was removed, inserted or changed)"))
        try:
            recomputed = row_hash(row, row["prev_hash"])
        except (ValueError, TypeError) as exc:
            return ChainReport(count, expected_prev, BrokenLink(seq, f"字段无法规范化 / fields not hashable: {exc}"))
        if recomputed != row.get("row_hash"):
            return ChainReport(count, expected_prev, BrokenLink(
                seq, "本行哈希不符（内容被改动）/ row_hash does not match the row's content (the row was altered)"))
        expected_prev = row["row_hash"]
        last_seq = seq
        count += 1
    return ChainReport(count, expected_prev)
