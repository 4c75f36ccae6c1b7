"""Evidence photos that have arrived, addressed by the SHA-256 of their bytes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import BigInt, Json, Timestamp


class Photo(db.Model):
    """A verified photo; its original and derivatives are in the BlobStore
    (keys in ``server.photos.storage``). A row exists only once every byte has arrived
    and the image decoded."""

    __tablename__ = "photos"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInt)
    mime: Mapped[str] = mapped_column(String(40))
    width: Mapped[int]
    height: Mapped[int]
    #: EXIF facts kept (gps_lat, gps_lon, taken_at, make, model, original_sha256 …), strings
    exif: Mapped[dict] = mapped_column(Json)
    #: the tablet's hash of the capture before its watermark (from EXIF), if it sent one
    original_sha256: Mapped[str | None] = mapped_column(String(64))
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(String(36))
    #: jurisdiction subtree allowed to read the original (the uploader's, at upload time)
    jurisdiction_path: Mapped[str] = mapped_column(String(200), index=True)
    derivatives_ready: Mapped[bool] = mapped_column(default=False)
    arrived_at: Mapped[datetime] = mapped_column(Timestamp)
    #: a supervisor published the EXIF-free copy (/photos/<sha>/public); None: private
    published_at: Mapped[datetime | None] = mapped_column(Timestamp)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
