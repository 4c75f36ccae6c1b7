"""Server fixtures: an app on SQLite (tmp file) and on PostgreSQL (`pg_url`), seeded with
the demo jurisdictions, users and the real catalog."""
from __future__ import annotations

import pytest
from server_testkit import Api, dispose_app, make_app


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture
def app(db_url):
    app = make_app(db_url)
    yield app
    dispose_app(app)


@pytest.fixture
def api(app):
    return Api(app)
