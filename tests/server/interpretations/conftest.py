"""Fixtures: the seeded server app (SQLite and PostgreSQL) with the interpretation
package wired in, and helpers to ask, answer and publish."""
from __future__ import annotations

import pytest
from server_testkit import Api

from server.extensions import db
from tests.server.interpretations.wiring import make_wired_app


@pytest.fixture
def app(db_url, monkeypatch):
    app = make_wired_app(db_url, monkeypatch)
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def api(app):
    return Api(app)
