"""Questions from the field: matching on push, the expert queue, answers, expert fields.

`on_question_pushed(question)` is called by the question push handler right after the
batch stored a question (same transaction): the question is matched against published interpretations and
earlier answers (server.interpretations.search); candidates above the threshold go into
the question's data (the device receives them as a `question` change at its next pull);
a question nothing answers goes to the expert queue of its standard's field.
"""
from __future__ import annotations

import os
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from server.accounts import service as accounts
from server.catalog import service as catalog
from server.interpretations import search
from server.interpretations.models import (
    Answer,
    ExpertField,
    ExpertQueueEntry,
    InterpretationVersion,
    Question,
    QuestionCandidate,
)
from server.kernel import audit, clock
from server.kernel.access import Target, can, list_filter, require
from server.kernel.auth import Principal
from server.kernel.changes import record_upsert
from server.kernel.errors import NotFound, ValidationFailed
from server.kernel.extensions import db
from server.kernel.i18n import stored_message

GENERAL_FIELD = "general"
DEFAULT_THRESHOLD = 0.35
EXCERPT = 240


def _threshold() -> float:
    """Return the match threshold (app config, else env GBFIELD_QUESTION_MATCH_THRESHOLD, else 0.35)."""
    value = current_app.config.get("GBFIELD_QUESTION_MATCH_THRESHOLD") \
        or os.environ.get("GBFIELD_QUESTION_MATCH_THRESHOLD") or DEFAULT_THRESHOLD
    return float(value)


def save_question(row: Question, **changes) -> None:
    """Merge `changes` into the question's data, bump its version and queue the change the
    asking inspector's devices (and experts) pull."""
    row.data = {**(row.data or {}), **changes}
    row.version += 1
    record_upsert("question", row.id, row.version, question_json(row), scope_path=row.jurisdiction_path,
                  owner_user_id=row.asked_by)


def question_json(row: Question) -> dict:
    """Return the pull/API shape of a question."""
    return {**row.data, "id": row.id, "version": row.version, "status": row.status,
            "text": row.text, "created_at": clock.as_utc(row.created_at).isoformat()}


def field_of(row: Question) -> str:
    """Return the field ("textile", "food", ...) of the standard the question is about,
    from its indicator or edition; GENERAL_FIELD when neither is known."""
    edition_id = row.edition_id
    if not edition_id and row.indicator_id:
        edition_id = catalog.indicator_editions([row.indicator_id]).get(row.indicator_id)
    if not edition_id:
        return GENERAL_FIELD
    return catalog.edition_field(edition_id) or GENERAL_FIELD


def _candidate(hit: search.Hit) -> dict | None:
    if hit.doc_kind == "interpretation":
        row = db.session.execute(select(InterpretationVersion)
                                 .where(InterpretationVersion.interpretation_id == hit.doc_id)
                                 .order_by(InterpretationVersion.version.desc()).limit(1)).scalar()
        if row is None:
            return None
        return {"kind": "interpretation", "id": row.interpretation_id, "interpretation_id": row.interpretation_id,
                "version": row.version, "title": row.title, "text": row.text[:EXCERPT],
                "clause": f"{row.edition_id} 第{row.clause}条", "effective": row.effective.isoformat(),
                "score": round(hit.normalised, 3)}
    answer = db.session.get(Answer, hit.doc_id)
    if answer is None:
        return None
    return {"kind": "answer", "id": answer.id, "question_id": answer.question_id, "title": hit.title,
            "text": answer.text[:EXCERPT], "interpretation_id": answer.interpretation_id,
            "score": round(hit.normalised, 3)}


def match_question(row: Question, *, limit: int = 3) -> list[dict]:
    """Search published interpretations and earlier answers for `row`; store and return the
    candidates (best first) whose normalised score reaches the threshold."""
    hits = [h for h in search.search(row.text, limit=limit + 1, threshold=_threshold())
            if not (h.doc_kind == "answer" and _answer_question_id(h.doc_id) == row.id)][:limit]
    db.session.execute(delete(QuestionCandidate).where(QuestionCandidate.question_id == row.id))
    out, now = [], clock.now()
    for rank, hit in enumerate(hits, 1):
        cand = _candidate(hit)
        if cand is None:
            continue
        out.append(cand)
        db.session.add(QuestionCandidate(question_id=row.id, doc_kind=hit.doc_kind, doc_id=hit.doc_id,
                                         score=hit.normalised, rank=rank, created_at=now))
    return out


def _answer_question_id(answer_id: str) -> str | None:
    return db.session.execute(select(Answer.question_id).where(Answer.id == answer_id)).scalar()


def on_question_pushed(row: Question | None) -> dict:
    """Match a newly pushed question (already flushed); queue it for experts when nothing
    matches. A question already matched (version > 1) or None is left alone.

    Returns {"candidates": [...], "queued": bool, "field": str}. Raises database errors only.
    """
    if row is None or row.version > 1 or row.status != "open":
        return {"candidates": [], "queued": False, "field": None}
    db.session.flush()
    field = field_of(row)
    candidates = match_question(row)
    queued = not candidates
    if queued:
        db.session.add(ExpertQueueEntry(question_id=row.id, field=field, created_at=clock.now()))
    row.status = "matched" if candidates else "queued"
    save_question(row, candidates=candidates, field=field)
    return {"candidates": candidates, "queued": queued, "field": field}


def _question(question_id: str) -> Question:
    row = db.session.get(Question, question_id)
    if row is None:
        raise NotFound("question")
    return row


def question_target(row: Question) -> Target:
    """Return the access policy's Target of a question (server.kernel.access)."""
    return Target("question", row.jurisdiction_path, owner_id=row.asked_by)


def _can_read(principal: Principal, row: Question) -> bool:
    return can(principal, "question.read", question_target(row))


def get_question(principal: Principal, question_id: str) -> dict:
    """Return a question with candidates and answers; raises NotFound (also when the caller
    may not see it)."""
    row = _question(question_id)
    if not _can_read(principal, row):
        raise NotFound("question")
    return question_json(row)


def list_questions(principal: Principal, *, status: str | None = None, field: str | None = None,
                   queue: bool = False, limit: int = 100, offset: int = 0) -> list[dict]:
    """Return questions the caller may see, newest first. `queue=True` (experts): only open
    queue entries of the expert's fields (every field when they have none recorded)."""
    stmt = select(Question).order_by(Question.created_at.desc(), Question.id)
    if queue:
        stmt = stmt.join(ExpertQueueEntry, ExpertQueueEntry.question_id == Question.id) \
            .where(ExpertQueueEntry.closed_at.is_(None))
        fields = expert_fields(principal.user_id) if principal.role == "expert" else []
        if fields:
            stmt = stmt.where(ExpertQueueEntry.field.in_(fields))
        if field:
            stmt = stmt.where(ExpertQueueEntry.field == field)
    scope = list_filter(principal, "question.read", Question.jurisdiction_path, Question.asked_by)
    if scope is not None:
        stmt = stmt.where(scope)
    if status:
        stmt = stmt.where(Question.status == status)
    rows = db.session.execute(stmt.limit(limit).offset(offset)).scalars()
    return [question_json(r) for r in rows]


def answer_question(principal: Principal, question_id: str, text: str) -> dict:
    """Store an expert's answer, close the queue entry, index the answer for later
    questions and send the updated question to the asker. Returns the answer dict.
    Raises Forbidden (not an expert/admin), NotFound, ValidationFailed (empty text)."""
    require(principal, "question.answer")
    if not text or not text.strip():
        raise ValidationFailed("answer_empty", details={"text": ["required"]})
    row = _question(question_id)
    now = clock.now()
    answer = Answer(id=str(uuid.uuid4()), question_id=row.id, expert_id=principal.user_id, text=text.strip(),
                    created_at=now)
    db.session.add(answer)
    entry = db.session.get(ExpertQueueEntry, row.id)
    if entry is not None and entry.closed_at is None:
        entry.closed_at = now
    search.index_document("answer", answer.id, row.text, answer.text)
    answers = [*row.data.get("answers", []), answer_json(answer, principal.username)]
    row.status = "answered"
    save_question(row, answers=answers)
    return answer_json(answer, principal.username)


def answer_json(row: Answer, expert: str | None = None) -> dict:
    """Return the API/pull shape of an answer."""
    return {"id": row.id, "question_id": row.question_id, "text": row.text, "expert": expert,
            "interpretation_id": row.interpretation_id,
            "created_at": clock.as_utc(row.created_at).isoformat()}


def expert_fields(user_id: int) -> list[str]:
    """Return the fields an expert answers for (sorted)."""
    return sorted(db.session.execute(select(ExpertField.field).where(ExpertField.user_id == user_id)).scalars())


def set_expert_fields(principal: Principal, username: str, fields: list[str]) -> dict:
    """Replace the fields of expert `username` (admin only). Returns {username, fields}.
    Raises Forbidden, NotFound (unknown user), ValidationFailed (not an expert)."""
    require(principal, "expert.fields")
    user = accounts.find_user(username)
    if user is None:
        raise NotFound("user", username=username)
    if user.role != "expert":
        raise ValidationFailed("not_an_expert", username=username, details={"username": ["not an expert"]})
    db.session.execute(delete(ExpertField).where(ExpertField.user_id == user.id))
    for name in sorted(set(fields)):
        db.session.add(ExpertField(user_id=user.id, field=name))
    audit.record(principal, "expert.fields", username, fields=",".join(sorted(set(fields))) or "—")
    return {"username": username, "fields": sorted(set(fields))}


def escalate_overdue(now, hours: int) -> list[str]:
    """Escalate queued questions unanswered for `hours`: mark them escalated (the asker's
    devices and experts pull the change) and notify the field's experts and every admin.
    Returns the escalated question ids."""
    cutoff = now - timedelta(hours=hours)
    entries = db.session.execute(select(ExpertQueueEntry).where(
        ExpertQueueEntry.closed_at.is_(None), ExpertQueueEntry.escalated_at.is_(None),
        ExpertQueueEntry.created_at <= cutoff).order_by(ExpertQueueEntry.created_at)).scalars().all()
    admins = accounts.user_ids(role="admin")
    done = []
    for entry in entries:
        entry.escalated_at = now
        question = db.session.get(Question, entry.question_id)
        experts = db.session.execute(select(ExpertField.user_id).where(ExpertField.field == entry.field)).scalars().all()
        accounts.notify([*experts, *admins], "question_escalated",
                        {"question_id": entry.question_id, "field": entry.field, "text": question.text if question else "",
                         **stored_message("message.question_escalated", hours=hours)})
        if question is not None:
            save_question(question, escalated=True, escalated_at=now.isoformat())
        done.append(entry.question_id)
    return done


def asked(question_id: str) -> tuple[int | None, str | None]:
    """Return (who asked, the inspection it was asked from) of a question; (None, None) when
    there is no such question. Callers have already checked that the reader may see it."""
    row = db.session.get(Question, question_id)
    return (row.asked_by, row.inspection_id) if row is not None else (None, None)
