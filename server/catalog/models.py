"""The catalog as devices receive it: standards, editions, clauses, indicators (and the
status mark of each edition the nightly job keeps).

Each synced row has the columns of `server.kernel.types.Synced`, so an import can tell in
one query which rows changed. The catalog model's fields a query needs (an indicator's
`kind`, `confirmed`, `unverified`, `answers`, `grade_table`; an edition's `relations`,
`amendments`, `unverified`) are columns too, written from the same `data` by the import.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import Json, Synced, Timestamp


class Standard(Synced, db.Model):
    __tablename__ = "standards"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)  # "GB 18401"
    title: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(40))
    mandatory: Mapped[bool] = mapped_column(default=True)
    #: synthetic (load-test) data: kept out of every public page unless asked for
    test_data: Mapped[bool] = mapped_column(default=False, server_default=false())


class Edition(Synced, db.Model):
    __tablename__ = "editions"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # "GB 18401-2010"
    standard_code: Mapped[str] = mapped_column(String(60), index=True)
    effective: Mapped[date] = mapped_column(Date)
    withdrawn: Mapped[date | None] = mapped_column(Date)
    #: 部分代替 / 须同时符合 / 检验方法 / 规范性引用: [{type, target, title, clause, …}]
    relations: Mapped[list | None] = mapped_column(Json)
    #: 修改单: [{id, issued, effective, summary, source}]
    amendments: Mapped[list | None] = mapped_column(Json)
    #: the edition's parts no public source confirmed ("issued", "effective", …)
    unverified: Mapped[list | None] = mapped_column(Json)


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
    kind: Mapped[str] = mapped_column(String(20), default="limit", server_default="limit")  # limit | marking | energy_grade
    #: False when the value (or grade table) is unverified: shown 待核实, never as confirmed
    confirmed: Mapped[bool] = mapped_column(default=True, server_default=true(), index=True)
    unverified: Mapped[list | None] = mapped_column(Json)     # ["value", "clause", …]
    answers: Mapped[list | None] = mapped_column(Json)        # [{text, outcome, text_en}]
    grade_table: Mapped[dict | None] = mapped_column(Json)    # {measure, unit, grades: [{grade, limit}]}


class EditionStatusMark(db.Model):
    """The computed status (现行/即将实施/废止) of an edition at the last scheduler run."""

    __tablename__ = "edition_status_marks"
    edition_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime] = mapped_column(Timestamp)


Index("ix_clauses_edition", Clause.edition_id)
