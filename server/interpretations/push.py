"""The push handler of officers' questions (registered with server.syncing): a question is
created once (never edited by push); after the batch's flush each new question is matched
against published interpretations or queued for experts (questions.on_question_pushed)."""
from __future__ import annotations

from server.interpretations.models import Question
from server.interpretations.questions import on_question_pushed, question_json, question_target
from server.kernel import clock
from server.kernel.access import can
from server.kernel.changes import record_upsert
from server.kernel.errors import ItemRejected
from server.kernel.extensions import db
from server.syncing.service import ItemConflict, PushBatch
from sync.protocol import ErrorCode, PushItem

QUEUE = "new_questions"


class QuestionsPush:
    """Applies pushed questions (any signed-in role may ask)."""

    entities = ("question",)

    def prepare(self, batch: PushBatch, raw_items: list) -> None:
        """Nothing to load in bulk: questions are looked up one by one."""

    def apply(self, batch: PushBatch, item: PushItem) -> int:
        """Check a question item and queue the new question; returns 1. Raises ItemConflict
        (the question exists, or the item edits one), ItemRejected (empty text)."""
        principal = batch.principal
        data = dict(item.values)
        existing = db.session.get(Question, item.id)
        if item.id in batch.queue(QUEUE):
            raise ItemConflict("question_exists", 1, None)
        if existing is not None:
            # the current question only for a caller who may read it (no cross-district disclosure)
            readable = can(principal, "question.read", question_target(existing))
            raise ItemConflict("question_exists", existing.version if readable else None,
                               question_json(existing) if readable else None)
        if item.base_version != 0:
            raise ItemConflict("no_question", 0, None)
        if not str(data.get("text", "")).strip():
            raise ItemRejected("question_empty", code=ErrorCode.VALIDATION_FAILED)
        row = Question(id=item.id, version=1, asked_by=principal.user_id,
                       jurisdiction_path=principal.jurisdiction_path, inspection_id=data.get("inspection_id"),
                       indicator_id=data.get("indicator_id"), edition_id=data.get("edition_id"),
                       clause=data.get("clause"), text=str(data["text"]), status="open", data=data,
                       created_at=clock.now())
        batch.add_object(row)
        batch.queue(QUEUE).append(row.id)
        record_upsert("question", row.id, 1, question_json(row), scope_path=principal.jurisdiction_path,
                      owner_user_id=principal.user_id)
        return 1

    def finish(self, batch: PushBatch) -> None:
        """Match each new question against published interpretations (or queue it)."""
        queued = batch.queue(QUEUE)
        for question_id in sorted(set(queued)):
            question = db.session.get(Question, question_id)
            if question is not None:
                on_question_pushed(question)
        queued.clear()
