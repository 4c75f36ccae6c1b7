"""Resolver fixtures (shared with the registry tests through registry_kit)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "registry"))

from registry_kit import registry_app

from server.extensions import db


@pytest.fixture(scope="module")
def resolver_app(tmp_path_factory):
    app = registry_app(f"sqlite:///{tmp_path_factory.mktemp('resolver') / 'server.db'}")
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(resolver_app):
    return resolver_app.test_client()
