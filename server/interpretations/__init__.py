"""interpretations: uniform interpretation: questions from the field (pushed, matched
against published interpretations, queued for the experts of their field, escalated),
expert answers, published interpretations that change judgement, the public FAQ
(docs/interpretations.md). Public service: `server.interpretations.service`."""
from __future__ import annotations

from flask import Blueprint, Flask

from server.interpretations import (  # noqa: F401
    api_interpretations,
    api_questions,
    console,
    console_manage,
    faq,
    models,
)
from server.interpretations.push import QuestionsPush
from server.kernel.features import Feature
from server.syncing.service import register_handler


def _setup(app: Flask) -> None:
    register_handler(app, QuestionsPush())


FEATURE = Feature("interpretations", api=(api_questions.blp, api_interpretations.blp),
                  pages=(faq.bp, Blueprint("interpretations_pages", __name__, template_folder="templates")),
                  setup=_setup)
