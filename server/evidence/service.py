"""Appending to and verifying the evidence chain stored in ``evidence_events``.

``append_event`` runs inside the caller's transaction (the event commits or rolls back
with the action it records). Appenders are serialised: on PostgreSQL by an advisory
transaction lock held to commit; on SQLite by BEGIN IMMEDIATE (server.db_setup). The
unique ``seq``/``prev_hash`` columns make a fork impossible even if that ever failed.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import select, text

from server.evidence.chain import (
    EVENT_KINDS,
    GENESIS,
    ChainReport,
    canonical_json,
    row_hash,
    verify_chain,
)
from server.evidence.models import EvidenceEvent
from server.kernel import clock
from server.kernel.errors import ValidationFailed
from server.kernel.extensions import db

EVIDENCE_LOCK = 0x67626576  # "gbev"
_BATCH = 1000


def _iso(moment) -> str:
    return clock.as_utc(moment).isoformat(timespec="microseconds").replace("+00:00", "Z")


def append_event(kind: str, *, actor: str, photo_sha256: str | None = None, record_type: str | None = None,
                 record_id: str | None = None, details: Mapping[str, Any] | None = None) -> EvidenceEvent:
    """Add one event at the head of the chain (flushed, not committed) and return it.

    Raises ValidationFailed for an unknown kind or details JSON cannot hash (floats)."""
    if kind not in EVENT_KINDS:
        raise ValidationFailed("evidence_kind", kind=kind)
    try:
        details_text = canonical_json(dict(details or {}))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("evidence_details", problem=str(exc)) from exc
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": EVIDENCE_LOCK})
    last = db.session.execute(
        select(EvidenceEvent.seq, EvidenceEvent.row_hash).order_by(EvidenceEvent.seq.desc()).limit(1)).first()
    seq, prev = (last.seq + 1, last.row_hash) if last else (1, GENESIS)
    fields = {"seq": seq, "kind": kind, "photo_sha256": photo_sha256, "record_type": record_type,
              "record_id": record_id, "actor": actor, "at": _iso(clock.now()), "details": json.loads(details_text)}
    event = EvidenceEvent(**{**fields, "details": details_text}, prev_hash=prev, row_hash=row_hash(fields, prev))
    db.session.add(event)
    db.session.flush()
    return event


def _rows() -> Iterator[dict]:
    table = EvidenceEvent.__table__
    after = 0
    while True:
        batch = db.session.execute(
            select(table).where(table.c.seq > after).order_by(table.c.seq).limit(_BATCH)).mappings().all()
        if not batch:
            return
        for row in batch:
            row = dict(row)
            try:
                row["details"] = json.loads(row["details"])
            except (TypeError, ValueError):
                row["details"] = {"<unparseable>": str(row["details"])}
            yield row
        after = batch[-1]["seq"]


def verify() -> ChainReport:
    """Return the ChainReport of the whole stored chain (reads in batches of 1000)."""
    return verify_chain(_rows())


def events_for_photo(photo_sha256: str) -> list[EvidenceEvent]:
    """Return the events naming a photo, oldest first."""
    return list(db.session.execute(
        select(EvidenceEvent).where(EvidenceEvent.photo_sha256 == photo_sha256).order_by(EvidenceEvent.seq)
    ).scalars())


def events_for_record(record_type: str, record_id: str) -> list[EvidenceEvent]:
    """Return the events naming a record (`record_type`, `record_id`), oldest first."""
    return list(db.session.execute(
        select(EvidenceEvent).where(EvidenceEvent.record_type == record_type, EvidenceEvent.record_id == record_id)
        .order_by(EvidenceEvent.seq)).scalars())
