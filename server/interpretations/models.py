"""Tables of the interpretation workflow (issue 6).

The published, pulled record of an interpretation is `server.models.catalog.Interpretation`
(one row per id: the newest version, with the version history inside `data`). The tables
here hold what the workflow needs besides: every published version, answers, the expert
queue and the experts' fields, the Chinese search index, question→candidate matches,
notifications, 回头看 reminders and nightly compliance statistics.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models._types import Json, Timestamp


class InterpretationVersion(db.Model):
    """One published version of an interpretation; a later version supersedes (history kept)."""

    __tablename__ = "interpretation_versions"
    interpretation_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80), index=True)
    clause: Mapped[str] = mapped_column(String(40))
    clauses: Mapped[list] = mapped_column(Json)            # [{"edition_id", "clause"}, ...]
    indicator_ids: Mapped[list] = mapped_column(Json)      # resolved: never empty when clauses > 1
    effective: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    effect: Mapped[dict] = mapped_column(Json)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    question_id: Mapped[str | None] = mapped_column(String(36))
    answer_id: Mapped[str | None] = mapped_column(String(36))
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(Timestamp)
    superseded_at: Mapped[datetime | None] = mapped_column(Timestamp)


class Answer(db.Model):
    """An expert's answer to a question (may later be published as an interpretation)."""

    __tablename__ = "question_answers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    interpretation_id: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class QuestionCandidate(db.Model):
    """A published interpretation or earlier answer matched to a question by search."""

    __tablename__ = "question_candidates"
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    doc_kind: Mapped[str] = mapped_column(String(20), primary_key=True)   # interpretation | answer
    doc_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class ExpertQueueEntry(db.Model):
    """A question nothing answered, waiting for an expert of its standard's field."""

    __tablename__ = "expert_queue"
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    escalated_at: Mapped[datetime | None] = mapped_column(Timestamp)
    closed_at: Mapped[datetime | None] = mapped_column(Timestamp)


class ExpertField(db.Model):
    """Which fields (Standard.field: "textile", "food", ...) an expert answers for."""

    __tablename__ = "expert_fields"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)


class SearchDoc(db.Model):
    """A searchable document (interpretation or answer) and its token count (BM25 length)."""

    __tablename__ = "search_docs"
    doc_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    length: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))


class SearchTerm(db.Model):
    """Inverted index: a zhsearch token of a document and how often it occurs (tf)."""

    __tablename__ = "search_terms"
    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    doc_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    tf: Mapped[int] = mapped_column(Integer)


class Notification(db.Model):
    """A message for a user (escalated questions for experts/admins, reminders)."""

    __tablename__ = "notifications"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    read_at: Mapped[datetime | None] = mapped_column(Timestamp)


class RecheckReminder(db.Model):
    """A 回头看 reminder sent for a failed finding (one per finding; the flag carries it)."""

    __tablename__ = "recheck_reminders"
    finding_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id"), index=True)
    flag_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class ComplianceStat(db.Model):
    """Nightly compliance figures per inspection day × jurisdiction × standard."""

    __tablename__ = "compliance_stats"
    __table_args__ = (UniqueConstraint("day", "jurisdiction_code", "standard_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    jurisdiction_code: Mapped[str] = mapped_column(String(6))
    jurisdiction_path: Mapped[str] = mapped_column(String(200), index=True)
    standard_code: Mapped[str] = mapped_column(String(60))
    inspections: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer)
    passed: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    inconclusive: Mapped[int] = mapped_column(Integer)
    disagreements: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(Timestamp)


Index("ix_search_terms_doc", SearchTerm.doc_kind, SearchTerm.doc_id)
Index("ix_question_answers_interpretation", Answer.interpretation_id)
