"""App contexts for jobs: built from a config dict (never an app passed around), one app
per distinct config per process."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

_apps: dict[str, Any] = {}
_lock = threading.Lock()


def app_for(config: Mapping[str, Any] | None):
    """Return the Flask app for `config` (create_app overrides), created once per process."""
    key = json.dumps(dict(config or {}), sort_keys=True, default=str)
    app = _apps.get(key)
    if app is None:
        with _lock:
            app = _apps.get(key)
            if app is None:
                import server.interpretations.models
                import server.jobs.models  # noqa: F401
                from server import create_app

                app = _apps[key] = create_app(dict(config or {}))
    return app


@contextmanager
def app_context(config: Mapping[str, Any] | None) -> Iterator[Any]:
    """Run the block inside an app context of `config`; the session is removed afterwards."""
    from server.extensions import db

    app = app_for(config)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()


def dispose_apps() -> None:
    """Dispose the engines of every cached app and forget them (tests; process shutdown)."""
    from server.extensions import db

    with _lock:
        for app in _apps.values():
            with app.app_context():
                db.session.remove()
                for engine in db.engines.values():
                    engine.dispose()
        _apps.clear()
