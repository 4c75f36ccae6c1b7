"""Fixtures: a seeded app on SQLite/PostgreSQL and the job `config` naming its database."""
from __future__ import annotations

import pytest
from server_testkit import Api, dispose_app, make_app


@pytest.fixture
def app(db_url):
    app = make_app(db_url)
    yield app
    from server.kernel.runtime import dispose_apps
    dispose_apps()
    dispose_app(app)


@pytest.fixture
def api(app):
    return Api(app)


@pytest.fixture
def config(app, tmp_path):
    """What a job receives: create_app overrides (its own app, same database)."""
    return {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
            "GBFIELD_BLOB_DIR": str(tmp_path / "blobs"), "GBFIELD_RECHECK_DAYS": 30,
            "GBFIELD_QUESTION_ESCALATE_HOURS": 48}
