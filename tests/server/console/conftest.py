"""Console fixtures: the server app (SQLite and PostgreSQL via db_url) with blobs in tmp."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server_testkit import Api, dispose_app, make_app


@pytest.fixture
def app(db_url, tmp_path):
    app = make_app(db_url, GBFIELD_BLOB_DIR=str(tmp_path / "blobs"))
    yield app
    dispose_app(app)


@pytest.fixture
def api(app):
    return Api(app)


@pytest.fixture
def client(app):
    return app.test_client()
