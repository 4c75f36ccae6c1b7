"""The catalog as devices receive it: standards, editions, clauses, indicators, rule-set
versions, interpretations and the product registry.

Each synced row keeps `version` (bumped only when its content changes), `content_hash`
(SHA-256 of its canonical JSON) and `data` (exactly what a pull serves), so an import can
tell in one query which rows changed. `deleted_at` marks a withdrawn row (a tombstone
travels in the change log).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models._types import Json, Timestamp


class _Synced:
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(Json)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)
    deleted_at: Mapped[datetime | None] = mapped_column(Timestamp)


class Standard(_Synced, db.Model):
    __tablename__ = "standards"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)  # "GB 18401"
    title: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(40))
    mandatory: Mapped[bool] = mapped_column(default=True)


class Edition(_Synced, db.Model):
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


class Indicator(_Synced, db.Model):
    __tablename__ = "indicators"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80), index=True)
    clause: Mapped[str] = mapped_column(String(40))


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


class Interpretation(_Synced, db.Model):
    """An official interpretation attached to a clause (issue 6 extends it)."""

    __tablename__ = "interpretations"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80), index=True)
    clause: Mapped[str | None] = mapped_column(String(40))
    effective: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(Timestamp)


class Product(_Synced, db.Model):
    """The product registry: GTIN-14 → product, company, standards (issue 4 extends it)."""

    __tablename__ = "products"
    gtin: Mapped[str] = mapped_column(String(14), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(60))
    product_class: Mapped[str | None] = mapped_column(String(10))
    company_name: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))


Index("ix_clauses_edition", Clause.edition_id)
