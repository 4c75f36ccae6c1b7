"""Resolver fixtures (shared with the registry tests through registry_kit)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from server_testkit import dispose_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "registry"))

from registry_kit import registry_app


@pytest.fixture(scope="module")
def resolver_app(tmp_path_factory):
    app = registry_app(f"sqlite:///{tmp_path_factory.mktemp('resolver') / 'server.db'}")
    yield app
    dispose_app(app)


@pytest.fixture
def client(resolver_app):
    return resolver_app.test_client()
