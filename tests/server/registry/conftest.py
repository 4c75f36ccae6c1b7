"""Registry fixtures: an app on SQLite with the registry API and resolver registered and
the demo products imported."""
from __future__ import annotations

import pytest
from registry_kit import registry_app
from server_testkit import Api

from server.extensions import db


@pytest.fixture
def reg_app(sqlite_url):
    app = registry_app(sqlite_url)
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def reg_api(reg_app):
    return Api(reg_app)
