"""The tables of the enforcement cycle (双随机、一公开): the two directories (一单两库), the
inspection-item list, plans and their draws, tasks, orders to correct and published results.

Jurisdictions are stored as the code and its path (`accounts.service.jurisdiction_path`), so
the access policy's subtree filter (`server.kernel.access.subtree_filter`) works on them as
on inspections.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import Json, Timestamp


class Enterprise(db.Model):
    """检查对象名录库: one enterprise of the directory, keyed by its credit code."""

    __tablename__ = "enterprises"
    credit_code: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    jurisdiction_code: Mapped[str] = mapped_column(String(12), index=True)
    jurisdiction_path: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str] = mapped_column(String(10))
    risk_class: Mapped[str] = mapped_column(String(1))
    products: Mapped[list] = mapped_column(Json)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class RosterInspector(db.Model):
    """执法检查人员名录库: one officer of the roster, keyed by the 执法证号. `account` is the
    user name of their login (whose tablets receive their tasks), when they have one."""

    __tablename__ = "roster_inspectors"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(18))
    jurisdiction_code: Mapped[str] = mapped_column(String(12), index=True)
    jurisdiction_path: Mapped[str] = mapped_column(String(200), index=True)
    competences: Mapped[list] = mapped_column(Json)
    conflicts: Mapped[list] = mapped_column(Json)
    account: Mapped[str | None] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class InspectionItem(db.Model):
    """随机抽查事项清单: what is checked, on what legal basis, by whom (competence)."""

    __tablename__ = "inspection_items"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    competence: Mapped[str] = mapped_column(String(40))
    legal_basis: Mapped[str] = mapped_column(String(400))
    category: Mapped[str | None] = mapped_column(String(60))
    standards: Mapped[list] = mapped_column(Json)
    indicators: Mapped[list] = mapped_column(Json)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class Plan(db.Model):
    """A sampling plan: `body` is `sampling.Plan.to_dict()`; state draft → committed → drawn."""

    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    jurisdiction_code: Mapped[str] = mapped_column(String(12), index=True)
    jurisdiction_path: Mapped[str] = mapped_column(String(200), index=True)
    body: Mapped[dict] = mapped_column(Json)
    state: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class Draw(db.Model):
    """The draw of a plan: the committed document (published before the draw, no seed), the
    seed kept secret until the reveal, then the revealed document (seed and result). The
    documents name officers only by pseudonym; `pseudonyms` ({pseudonym: roster code}) is
    never published."""

    __tablename__ = "draws"
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    commitment_sha256: Mapped[str] = mapped_column(String(64))
    committed: Mapped[dict] = mapped_column(Json)
    seed: Mapped[str] = mapped_column(String(64))
    revealed: Mapped[dict | None] = mapped_column(Json)
    pseudonyms: Mapped[dict] = mapped_column(Json)
    committed_at: Mapped[datetime] = mapped_column(Timestamp)
    drawn_at: Mapped[datetime | None] = mapped_column(Timestamp)


class Task(db.Model):
    """One visit to make: a drawn target (`planned`) or a 回头看 after an order (`reinspection`).
    `data` is exactly what devices pull (see `records.task_json`)."""

    __tablename__ = "tasks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    jurisdiction_code: Mapped[str] = mapped_column(String(12))
    jurisdiction_path: Mapped[str] = mapped_column(String(200), index=True)
    inspectors: Mapped[list] = mapped_column(Json)
    user_ids: Mapped[list] = mapped_column(Json)
    state: Mapped[str] = mapped_column(String(20), index=True)
    due: Mapped[date | None] = mapped_column(Date)
    order_id: Mapped[str | None] = mapped_column(String(36))
    inspection_id: Mapped[str | None] = mapped_column(String(36), index=True)
    outcome: Mapped[str | None] = mapped_column(String(10))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    data: Mapped[dict] = mapped_column(Json)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class Order(db.Model):
    """责令改正: issued on the tablet (pushed) or by a supervisor; state open → reinspecting →
    closed | escalated."""

    __tablename__ = "orders"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    inspection_id: Mapped[str] = mapped_column(String(36), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    jurisdiction_code: Mapped[str] = mapped_column(String(12))
    jurisdiction_path: Mapped[str] = mapped_column(String(200), index=True)
    finding_ids: Mapped[list] = mapped_column(Json)
    requirement: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    issued_by: Mapped[str] = mapped_column(String(80))
    issued_at: Mapped[datetime] = mapped_column(Timestamp)
    reinspection_task_id: Mapped[str | None] = mapped_column(String(36))
    closed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    data: Mapped[dict] = mapped_column(Json)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class Publication(db.Model):
    """一公开: the public row of one reviewed planned task (`opendata.public_row`, no officer
    data); `published_on` is None until the supervisor (or the deadline job) publishes it."""

    __tablename__ = "publications"
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    enterprise: Mapped[str] = mapped_column(String(200))
    row: Mapped[dict] = mapped_column(Json)
    reviewed_on: Mapped[date] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date, index=True)
    published_by: Mapped[str | None] = mapped_column(String(80))
    #: the last withdrawal (assignments.withdraw_result): when, by whom, why
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_by: Mapped[str | None] = mapped_column(String(80))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


Index("ix_tasks_plan_credit", Task.plan_id, Task.credit_code)
