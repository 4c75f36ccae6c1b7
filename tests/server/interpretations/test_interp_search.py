"""Chinese matching of questions against published interpretations, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

import pytest

from server.interpretations import publishing, search
from server.kernel.auth import Principal
from server.kernel.extensions import db
from tests.server.interpretations.samples import (
    EBIKE_SPEED,
    INFANT_CLASS_A,
    INFANT_QUESTION,
    UNRELATED_QUESTION,
)

EXPERT = Principal(8, "expert", "expert", "110000", "/110000/", None, "t")


def _publish(sample):
    body = {**sample, "effective": date.fromisoformat(sample["effective"])}
    return publishing.publish(EXPERT, **body)["interpretation"]["id"]


@pytest.fixture
def published(app):
    with app.app_context():
        from server.accounts.models import User
        EXPERT_ID = db.session.query(User.id).filter_by(username="expert").scalar()
        globals()["EXPERT"] = Principal(EXPERT_ID, "expert", "expert", "110000", "/110000/", None, "t")
        ids = {"infant": _publish(INFANT_CLASS_A), "ebike": _publish(EBIKE_SPEED)}
        db.session.commit()
    return ids


def test_infant_question_finds_the_class_a_interpretation(app, published):
    with app.app_context():
        hits = search.search(INFANT_QUESTION, ("interpretation",), threshold=0.3)
    assert hits, "the infant formaldehyde question matched nothing"
    assert hits[0].doc_id == published["infant"]
    assert all(h.doc_id != published["ebike"] for h in hits)


@pytest.mark.parametrize("question", [UNRELATED_QUESTION, "今天天气怎么样", "玩具中可迁移元素的测定"])
def test_unrelated_questions_stay_below_the_threshold(app, published, question):
    with app.app_context():
        assert search.search(question, ("interpretation",), threshold=0.3) == []


def test_scores_are_ranked_and_normalised(app, published):
    with app.app_context():
        strong = search.search("婴幼儿纺织产品甲醛A类判定", ("interpretation",))
        weak = search.search("甲醛", ("interpretation",))
    assert strong[0].doc_id == published["infant"] and weak[0].doc_id == published["infant"]
    assert 0.5 < strong[0].normalised <= 1.5
    assert strong[0].score > weak[0].score


def test_reindexing_replaces_the_old_terms(app, published):
    with app.app_context():
        search.index_document("interpretation", published["infant"], "电动自行车车速", "车速")
        db.session.commit()
        hits = search.search(INFANT_QUESTION, ("interpretation",), threshold=0.3)
    assert hits == []
