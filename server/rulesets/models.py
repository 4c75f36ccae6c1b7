"""Stored rule-set versions: the catalog each one judges with, frozen."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import Json, Timestamp


class RuleSetVersion(db.Model):
    """A rule-set version: the catalog (and interpretations) it judges with, frozen.

    `snapshot` is the zlib-compressed canonical JSON of the catalog's standard dicts, so
    the server can re-judge with exactly the rule set in force on an inspection date.
    """

    __tablename__ = "rulesets"
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    catalog_digest: Mapped[str] = mapped_column(String(80), index=True)
    engine_version: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    source: Mapped[str | None] = mapped_column(String(200))
    snapshot: Mapped[bytes] = mapped_column(LargeBinary)
    interpretation_ids: Mapped[list] = mapped_column(Json, default=list)
