"""Running the photo server on loopback for tests, bench/photos.py and demos.

``serve(app)`` runs a real HTTP server (werkzeug, threaded) on 127.0.0.1 with a free port
in a thread; ``device_token(username)`` issues a device token the way enrolment does
(a Device row and a Token row), for tools that cannot scan a QR code.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import WSGIRequestHandler, make_server

from server.accounts import devices as tablets
from server.accounts import service as accounts
from server.accounts.models import User
from server.app import create_app
from server.app.demo import seed_jurisdictions
from server.kernel import clock
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # no access log lines in tests and bench
        pass


@contextmanager
def serve(app, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` on ``host`` and ``port`` (0: a free one) until the block ends; yield its base URL."""
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def device_token(username: str, *, label: str = "loopback", ttl_days: int = 30) -> tuple[str, str]:
    """Create a device for ``username`` and return (device_id, token). Commits.

    Raises LookupError for an unknown user. Needs an app context."""
    with unit_of_work():
        return tablets.issue_device_token(username, label=label, ttl_days=ttl_days)


#: (username, role, jurisdiction) of the accounts make_app creates
LOOPBACK_USERS = (("insp_chaoyang", "inspector", "110105"), ("insp_pudong", "inspector", "310115"),
                  ("sup_chaoyang", "supervisor", "110105"), ("admin", "admin", "110000"),
                  ("expert", "expert", "110000"))


def make_app(folder, db_url: str | None = None, **overrides):
    """Return an app for loopback use: SQLite in ``folder`` (unless ``db_url``), blobs in
    ``folder/blobs``, the demo jurisdictions and LOOPBACK_USERS (no passwords: use
    ``device_token``)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url or f"sqlite:///{os.path.join(folder, 'photos.db')}",
                      "GBFIELD_BLOB_DIR": os.path.join(folder, "blobs"), **overrides})
    with app.app_context(), unit_of_work():
        db.create_all()
        seed_jurisdictions()
        for username, role, code in LOOPBACK_USERS:
            if accounts.find_user(username) is None:
                db.session.add(User(username=username, password_hash="!", role=role, jurisdiction_code=code,
                                    created_at=clock.now()))
    return app


def dispose(app) -> None:
    """Close the app's database connections."""
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
