"""Registry fixtures: an app on SQLite with the registry API and resolver registered and
the demo products imported."""
from __future__ import annotations

import pytest
from registry_kit import registry_app
from server_testkit import Api, dispose_app


@pytest.fixture
def reg_app(sqlite_url):
    app = registry_app(sqlite_url)
    yield app
    dispose_app(app)


@pytest.fixture
def reg_api(reg_app):
    return Api(reg_app)
