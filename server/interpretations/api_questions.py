"""/api/v1/questions: questions, the expert queue, answers, experts' fields, notifications."""
from __future__ import annotations

from flask_smorest import Blueprint

from server.accounts import service as accounts
from server.interpretations import questions as service
from server.interpretations.schemas import (
    AnswerRequest,
    AnswerSchema,
    ExpertFieldsRequest,
    ExpertFieldsSchema,
    NotificationSchema,
    QuestionListArgs,
    QuestionSchema,
)
from server.kernel.access import allow
from server.kernel.auth import current_principal

blp = Blueprint("questions", __name__, url_prefix="/api/v1/questions",
                description="Interpretation questions from the field and expert answers")


@blp.route("/")
@allow("question.read")
@blp.arguments(QuestionListArgs, location="query")
@blp.response(200, QuestionSchema(many=True))
def list_questions(args):
    """Questions the caller may see; `queue=true` lists the open expert queue of the caller's fields."""
    return service.list_questions(current_principal(), **args)


@blp.route("/<question_id>")
@allow("question.read")
@blp.response(200, QuestionSchema)
def get_question(question_id):
    """One question with its candidates and answers (404 when not visible)."""
    return service.get_question(current_principal(), question_id)


@blp.route("/<question_id>/answers", methods=["POST"])
@allow("question.answer")
@blp.arguments(AnswerRequest)
@blp.response(201, AnswerSchema)
def answer(body, question_id):
    """Answer a question; the asker's device receives it at its next pull."""
    return service.answer_question(current_principal(), question_id, body["text"])


@blp.route("/experts/<username>/fields", methods=["PUT"])
@allow("expert.fields")
@blp.arguments(ExpertFieldsRequest)
@blp.response(200, ExpertFieldsSchema)
def set_fields(body, username):
    """Set the fields an expert answers for (routing of the queue)."""
    return service.set_expert_fields(current_principal(), username, body["fields"])


@blp.route("/notifications")
@allow("account.self")
@blp.response(200, NotificationSchema(many=True))
def notifications():
    """The caller's notifications (escalated questions, reminders), newest first."""
    return accounts.notifications(current_principal())
