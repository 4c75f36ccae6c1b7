"""Partial uploads kept in the database (`GBFIELD_UPLOAD_STAGING=database`): one row per
upload and one per received chunk, so a PATCH may land on any worker of any machine."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import BigInt, Json, Timestamp


class StagedUpload(db.Model):
    """An unfinished upload: its facts (`info`, staging.UploadInfo) and bytes kept so far."""

    __tablename__ = "staged_uploads"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    info: Mapped[dict] = mapped_column(Json)
    offset: Mapped[int] = mapped_column(BigInt, default=0)
    expires_at: Mapped[datetime] = mapped_column(Timestamp, index=True)


class StagedChunk(db.Model):
    """The bytes one PATCH added at `offset` (chunks never overlap: offsets only grow)."""

    __tablename__ = "staged_chunks"
    upload_id: Mapped[str] = mapped_column(String(32), ForeignKey("staged_uploads.id", ondelete="CASCADE"),
                                           primary_key=True)
    offset: Mapped[int] = mapped_column(BigInt, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
