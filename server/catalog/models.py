"""The catalog as devices receive it: standards, editions, clauses, indicators (and the
status mark of each edition the nightly job keeps).

Each synced row has the columns of `server.kernel.types.Synced`, so an import can tell in
one query which rows changed.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import Synced, Timestamp


class Standard(Synced, db.Model):
    __tablename__ = "standards"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)  # "GB 18401"
    title: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(40))
    mandatory: Mapped[bool] = mapped_column(default=True)


class Edition(Synced, db.Model):
    __tablename__ = "editions"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # "GB 18401-2010"
    standard_code: Mapped[str] = mapped_column(String(60), index=True)
    effective: Mapped[date] = mapped_column(Date)
    withdrawn: Mapped[date | None] = mapped_column(Date)


class Clause(db.Model):
    """Clause numbers and titles (they travel inside their edition's `data`)."""

    __tablename__ = "clauses"
    edition_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)


class Indicator(Synced, db.Model):
    __tablename__ = "indicators"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80), index=True)
    clause: Mapped[str] = mapped_column(String(40))


class EditionStatusMark(db.Model):
    """The computed status (现行/即将实施/废止) of an edition at the last scheduler run."""

    __tablename__ = "edition_status_marks"
    edition_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime] = mapped_column(Timestamp)


Index("ix_clauses_edition", Clause.edition_id)
