"""The append-only, hash-chained log of evidence events (server.evidence.chain)."""
from __future__ import annotations

from sqlalchemy import String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.errors import ServerError
from server.kernel.extensions import db
from server.kernel.types import BigInt


class EvidenceEvent(db.Model):
    """One event: uploaded, attached, reviewed or exported. ``seq`` is assigned by the
    appender (last + 1, under a lock); ``prev_hash`` is unique, so the chain cannot fork.
    ``at`` is the ISO 8601 UTC text that was hashed; ``details`` is canonical JSON text."""

    __tablename__ = "evidence_events"
    seq: Mapped[int] = mapped_column(BigInt, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    photo_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    record_type: Mapped[str | None] = mapped_column(String(20))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[str] = mapped_column(String(40))
    details: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    row_hash: Mapped[str] = mapped_column(String(64), unique=True)


class EvidenceLogIsAppendOnly(ServerError):
    """Raised when code tries to update or delete an evidence event through the ORM."""


@event.listens_for(EvidenceEvent, "before_update")
def _refuse_update(_mapper, _connection, target):  # pragma: no cover - trivial
    raise EvidenceLogIsAppendOnly(f"evidence event #{target.seq} cannot be changed")


@event.listens_for(EvidenceEvent, "before_delete")
def _refuse_delete(_mapper, _connection, target):  # pragma: no cover - trivial
    raise EvidenceLogIsAppendOnly(f"evidence event #{target.seq} cannot be deleted")
