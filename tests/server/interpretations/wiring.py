"""Test wiring of the interpretation package into the server, standing in for the three
lines the lead adds (docs/interpretations.md, "Wiring"): the push hook, the rule sets
with interpretations, and init_app. Import this module before building an app so the
tables exist on db.metadata."""
from __future__ import annotations

import server.interpretations.models
import server.jobs.models  # noqa: F401
from server.extensions import db


def wire(monkeypatch) -> None:
    """Patch push (question hook) and rejudge (interpretations in rule sets) for one test."""
    from server.interpretations import on_question_pushed, rules_bridge
    from server.models.records import Question
    from server.services import push, rejudge

    if hasattr(push, "_run"):          # batched push: rows exist after _run's flush
        if getattr(push._run, "_gbfield_hooked", False):
            return
        original = push._run

        def hooked(principal, raw_items, *, savepoints):
            batch, results = original(principal, raw_items, savepoints=savepoints)
            for qid in sorted(getattr(batch, "questions", ())):
                on_question_pushed(db.session.get(Question, qid))
            return batch, results

        hooked._gbfield_hooked = True
        monkeypatch.setattr(push, "_run", hooked)
    else:                              # item-by-item push: the row is in the session at once
        original_apply = push._apply_question

        def hooked_apply(batch, item):
            version = original_apply(batch, item)
            on_question_pushed(db.session.get(Question, item.id))
            return version

        monkeypatch.setattr(push, "_apply_question", hooked_apply)
    monkeypatch.setattr(rejudge, "ruleset", rules_bridge.ruleset_with_interpretations)


def make_wired_app(url: str, monkeypatch, **overrides):
    """Return a seeded test app with the interpretation package registered."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from server_testkit import make_app

    from server.interpretations import init_app

    wire(monkeypatch)
    app = make_app(url, **overrides)
    init_app(app)
    return app
