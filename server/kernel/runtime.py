"""App contexts for code that runs outside a request (scheduled jobs, tools): an app built
from a config dict (never an app passed around), one app per distinct config per process.

The app factory is handed in by the app layer (`server.app` calls `set_factory` when it is
imported), so features that run jobs need not import the app.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from server.kernel.extensions import db

_apps: dict[str, Any] = {}
_lock = threading.Lock()
_factory: list[Callable[[dict], Any]] = []


def set_factory(factory: Callable[[dict], Any]) -> None:
    """Make `factory(config_overrides)` the way apps are built here (server.app.create_app)."""
    _factory[:] = [factory]


def app_for(config: Mapping[str, Any] | None):
    """Return the Flask app for `config` (create_app overrides), created once per process.
    Raises RuntimeError when no factory was set (server.app not imported)."""
    key = json.dumps(dict(config or {}), sort_keys=True, default=str)
    app = _apps.get(key)
    if app is None:
        with _lock:
            app = _apps.get(key)
            if app is None:
                if not _factory:
                    raise RuntimeError("no app factory: import server.app first")
                app = _apps[key] = _factory[0](dict(config or {}))
    return app


@contextmanager
def app_context(config: Mapping[str, Any] | None) -> Iterator[Any]:
    """Run the block inside an app context of `config`; the session is removed afterwards."""
    app = app_for(config)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()


def dispose_apps() -> None:
    """Dispose the engines of every cached app and forget them (tests; process shutdown)."""
    with _lock:
        for app in _apps.values():
            with app.app_context():
                db.session.remove()
                for engine in db.engines.values():
                    engine.dispose()
        _apps.clear()
