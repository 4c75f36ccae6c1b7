"""Tables of the interpretation workflow.

Officers' questions; the published, pulled record of an interpretation (`Interpretation`:
one row per id, the newest version, with the version history inside `data`); every
published version, answers, the expert queue and the experts' fields, the Chinese search
index and question→candidate matches.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import Json, Synced, Timestamp


class Question(db.Model):
    """An interpretation question from an officer (pushed by the tablet)."""

    __tablename__ = "questions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    asked_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    jurisdiction_path: Mapped[str] = mapped_column(String(200))
    inspection_id: Mapped[str | None] = mapped_column(String(36))
    indicator_id: Mapped[str | None] = mapped_column(String(200))
    edition_id: Mapped[str | None] = mapped_column(String(80))
    clause: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    data: Mapped[dict] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class Interpretation(Synced, db.Model):
    """The pulled record of an official interpretation: its newest version (`data` holds the
    version history too)."""

    __tablename__ = "interpretations"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80), index=True)
    clause: Mapped[str | None] = mapped_column(String(40))
    effective: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(Timestamp)


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


Index("ix_search_terms_doc", SearchTerm.doc_kind, SearchTerm.doc_id)
Index("ix_question_answers_interpretation", Answer.interpretation_id)
