"""Processed push mutations: a replayed item is answered from here."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import Json, Timestamp


class ProcessedMutation(db.Model):
    """A push item already answered: a replay returns `result` (same hash) or conflicts."""

    __tablename__ = "processed_mutations"
    mutation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str | None] = mapped_column(String(36), index=True)
    user_id: Mapped[int]
    item_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
