"""A light photo server for the upload tests (server.uploads.loopback): SQLite file,
folder blobs, demo jurisdictions, users without passwords, device tokens issued directly,
and a live HTTP server on loopback for the real clients (tuspy, sync.client.uploads)."""
from __future__ import annotations

import pytest

from server.app import loopback


@pytest.fixture(params=["folder", "database"])
def photo_app(request, tmp_path):
    """The app with partial uploads in the staging folder, then in the database."""
    app = loopback.make_app(tmp_path, TESTING=True, GBFIELD_BLOB_FSYNC="0", GBFIELD_UPLOAD_STAGING=request.param)
    yield app
    loopback.dispose(app)


@pytest.fixture
def tokens(photo_app):
    """Device tokens by username (one device each)."""
    with photo_app.app_context():
        return {name: loopback.device_token(name)[1] for name, _, _ in loopback.LOOPBACK_USERS}


@pytest.fixture
def live_url(photo_app):
    with loopback.serve(photo_app) as url:
        yield url
