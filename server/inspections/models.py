"""What officers produce and supervisors decide on: inspections, append-only finding
revisions, flags (disagreements, changed verdicts, 回头看 reminders), signatures, reviews."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import BigInt, Json, Timestamp


class Inspection(db.Model):
    __tablename__ = "inspections"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), index=True)
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), index=True)
    jurisdiction_path: Mapped[str] = mapped_column(String(200), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(String(36))
    inspected_on: Mapped[date] = mapped_column(Date)
    company_name: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    has_disagreement: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class Finding(db.Model):
    """One revision of a finding; revisions are never updated, a correction is n+1."""

    __tablename__ = "findings"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id"), index=True)
    indicator_id: Mapped[str] = mapped_column(String(200))
    measured: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str | None] = mapped_column(String(30))
    device_outcome: Mapped[str | None] = mapped_column(String(20))
    device_ruleset_version: Mapped[str | None] = mapped_column(String(40))
    server_outcome: Mapped[str | None] = mapped_column(String(20))
    server_ruleset_version: Mapped[str | None] = mapped_column(String(40))
    server_verdict: Mapped[dict | None] = mapped_column(Json)
    disagrees: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict] = mapped_column(Json)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class Flag(db.Model):
    """Something on an inspection a supervisor must follow up: the tablet's and the server's
    verdicts disagree, a publication changed a verdict, a 回头看 is due. Open until resolved;
    acknowledged, assigned, resolved with a note and reopened through `FlagAction`s."""

    __tablename__ = "flags"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    finding_id: Mapped[str] = mapped_column(String(36), index=True)
    revision: Mapped[int]
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id"), index=True)
    data: Mapped[dict] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    resolved_at: Mapped[datetime | None] = mapped_column(Timestamp)
    acknowledged_at: Mapped[datetime | None] = mapped_column(Timestamp)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    resolution: Mapped[str | None] = mapped_column(Text)


class FlagAction(db.Model):
    """One step of a flag's follow-up, never changed: acknowledged, assigned, resolved,
    reopened; who, when, to whom, and the note."""

    __tablename__ = "flag_actions"
    id: Mapped[int] = mapped_column(BigInt, primary_key=True, autoincrement=True)
    flag_id: Mapped[str] = mapped_column(ForeignKey("flags.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class Signature(db.Model):
    """A signature drawn on the tablet at 完成检查 (or the party's refusal), bound to the
    record hash of what the signer read; `hash_matches` says whether that hash is the
    server's own of the inspection and its findings when it arrived (None: not checked)."""

    __tablename__ = "signatures"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    record_hash: Mapped[str] = mapped_column(String(64))
    hash_matches: Mapped[bool | None]
    refused: Mapped[bool] = mapped_column(default=False)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(Json)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class Review(db.Model):
    __tablename__ = "reviews"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    inspection_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class RecheckReminder(db.Model):
    """A 回头看 reminder sent for a failed finding (one per finding; the flag carries it)."""

    __tablename__ = "recheck_reminders"
    finding_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id"), index=True)
    flag_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


Index("ix_findings_inspection_revision", Finding.inspection_id, Finding.id, Finding.revision)
# the work list (newest first, in a subtree, by status or disagreement) and its count — bench/console.py
Index("ix_inspections_updated_at_id", Inspection.updated_at, Inspection.id)
Index("ix_inspections_status_updated_at", Inspection.status, Inspection.updated_at)
Index("ix_inspections_disagreement_updated_at", Inspection.updated_at,
      postgresql_where=Inspection.has_disagreement.is_(True), sqlite_where=Inspection.has_disagreement.is_(True))
# LIKE '<path>%' as an index range on PostgreSQL whatever the database's collation
Index("ix_inspections_path_pattern", Inspection.jurisdiction_path,
      postgresql_ops={"jurisdiction_path": "varchar_pattern_ops"})
# the filtered pages' counts inside a subtree as index-only scans (migration d4a7c2e9f1b6)
Index("ix_inspections_status_path", Inspection.status, Inspection.jurisdiction_path,
      postgresql_ops={"jurisdiction_path": "varchar_pattern_ops"})
Index("ix_inspections_disagreement_path", Inspection.jurisdiction_path,
      postgresql_ops={"jurisdiction_path": "varchar_pattern_ops"},
      postgresql_where=Inspection.has_disagreement.is_(True), sqlite_where=Inspection.has_disagreement.is_(True))
