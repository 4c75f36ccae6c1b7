"""Fixtures for the tablet tests: Kivy env set before any kivy import; a real server
(create_app, demo users/catalog/products) and a device store synced from it in-process."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# KIVY_LOG_MODE=MIXED: Kivy's handlers go on Kivy's own logger (not the root logger) and
# sys.stderr is left to pytest. In the default KIVY mode Kivy replaces sys.stderr with a
# stream that logs each line as a warning, so a root handler that fails and reports its
# failure on sys.stderr logs again, for ever. The test process has such a handler: the
# migrations' env.py (`fileConfig` of alembic.ini) puts a StreamHandler on the root logger
# bound to the sys.stderr of the test that ran them (tests/cli/test_server_cli.py: capsys's
# stream, closed after it); Kivy's first warning ("Config: Older configuration version
# detected", a fresh KIVY_HOME) then hit it and the setup of the first window test on that
# xdist worker died in a RecursionError.
_KIVY_HOME = tempfile.mkdtemp(prefix="gbfield-kivy-")
for _key, _value in {"KIVY_NO_ARGS": "1", "KIVY_NO_FILELOG": "1", "KIVY_NO_CONSOLELOG": "1",
                     "KIVY_LOG_MODE": "MIXED", "KIVY_HOME": _KIVY_HOME, "SDL_VIDEODRIVER": "offscreen",
                     "KIVY_CLIPBOARD": "dummy"}.items():
    os.environ.setdefault(_key, _value)

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from server_testkit import dispose_app, make_app

    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.db'}")
    yield app
    dispose_app(app)


@pytest.fixture(scope="module")
def device_token(server):
    from server_testkit import Api

    return Api(server).device("insp_chaoyang")


@pytest.fixture
def wsgi_factory(server):
    """transport_factory for SyncPresenter: the real app in-process with the saved token."""
    from sync.client import WsgiTransport

    return lambda creds: WsgiTransport(server, creds["token"])


@pytest.fixture
def synced_store(tmp_path, server, device_token):
    """A device store enrolled and synced once (the catalog and product registry)."""
    from device import open_store
    from sync.client import SyncClient, WsgiTransport

    store = open_store(tmp_path / "tablet.sqlite")
    store.state.save_credentials({"server_url": "http://gbfield.test", "device_id": "t", "token": device_token,
                                  "user": {"username": "insp_chaoyang"}})
    assert SyncClient(store, WsgiTransport(server, device_token)).sync().ok
    yield store
    store.close()
