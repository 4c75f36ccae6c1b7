"""The change log devices pull from, processed push mutations and sync bookkeeping."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models._types import BigInt, Json, Timestamp


class Change(db.Model):
    """One change devices must see. `seq` order equals commit order (see services/changes).

    Audience: `scope_path` NULL = every device (catalog); otherwise the record's
    jurisdiction path (supervisors of that subtree see it) and `owner_user_id` (the
    inspector whose devices see it).
    """

    __tablename__ = "changes"
    seq: Mapped[int] = mapped_column(BigInt, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(200))
    op: Mapped[str] = mapped_column(String(10))
    version: Mapped[int]
    data: Mapped[dict | None] = mapped_column(Json)
    scope_path: Mapped[str | None] = mapped_column(String(200))
    owner_user_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(Timestamp)


Index("ix_changes_entity_id", Change.entity, Change.entity_id)
Index("ix_changes_owner_seq", Change.owner_user_id, Change.seq)
Index("ix_changes_op_created", Change.op, Change.created_at)


class ProcessedMutation(db.Model):
    """A push item already answered: a replay returns `result` (same hash) or conflicts."""

    __tablename__ = "processed_mutations"
    mutation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str | None] = mapped_column(String(36), index=True)
    user_id: Mapped[int]
    item_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class SyncState(db.Model):
    """Small key/value facts about the log (e.g. `tombstone_horizon`)."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInt)
