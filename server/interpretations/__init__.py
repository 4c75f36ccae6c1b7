"""Uniform interpretation: questions from the field, expert answers, published
interpretations that change judgement, the public FAQ (docs/interpretations.md).

`init_app(app)` registers the API blueprints (/api/v1/questions, /api/v1/interpretations,
/api/v1/compliance) on the app's flask-smorest Api and the public /faq pages.
`on_question_pushed(question)` is what the push service calls after storing a question.
"""
from __future__ import annotations

API_MODULES = ("server.interpretations.api_questions", "server.interpretations.api_interpretations",
               "server.interpretations.api_stats")


def init_app(app) -> None:
    """Register the API blueprints and the FAQ on `app` (idempotent)."""
    import importlib

    from server.interpretations.faq import bp

    api = app.extensions["gbfield_api"]
    for name in API_MODULES:
        blp = importlib.import_module(name).blp
        if blp.name not in app.blueprints:
            api.register_blueprint(blp)
    if bp.name not in app.blueprints:
        app.register_blueprint(bp)


def on_question_pushed(question) -> dict:
    """Match a newly stored question or queue it for experts (see questions.on_question_pushed)."""
    from server.interpretations.questions import on_question_pushed as run

    return run(question)
