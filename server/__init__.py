"""The gbfield sync server: `create_app(config_overrides=None)` builds a Flask app.

Layout (docs/server.md): models/ (Flask-SQLAlchemy), services/ (domain operations, raise
DomainError), resources/ (thin flask-smorest blueprints under /api/v1), schemas/
(marshmallow). Configuration comes from the environment (server/config.py).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, request, send_from_directory

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


def create_app(config_overrides: Mapping[str, Any] | None = None) -> Flask:
    """Return a configured Flask app (database bound, API and error handlers registered).

    `config_overrides` wins over the environment (tests pass SQLALCHEMY_DATABASE_URI).
    Raises ValueError for malformed numeric environment variables.
    """
    from server.config import load_config
    from server.db_setup import configure_engine
    from server.errors import ClientTooOld, register_error_handlers
    from server.extensions import db, make_api, migrate
    from sync.protocol import PROTOCOL_HEADER, client_protocol_ok

    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    if config_overrides:
        app.config.update(config_overrides)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    import server.models  # noqa: F401  (every table on db.metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    with app.app_context():
        for engine in db.engines.values():
            configure_engine(engine, app.config["GBFIELD_SQLITE_BUSY_TIMEOUT_MS"])

    api = make_api()
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer"})
    app.extensions["gbfield_api"] = api
    register_error_handlers(app)

    from server.resources import register_blueprints
    register_blueprints(api)

    from server.resolver import bp as resolver_bp  # public GS1-style pages at the site root
    app.register_blueprint(resolver_bp)

    from server.interpretations import init_app as init_interpretations  # questions, FAQ
    init_interpretations(app)

    from server.console import init_app as init_console  # the supervisor/expert web console
    init_console(app)

    import swagger_ui_bundle

    @app.route("/api/v1/docs/static/<path:filename>")
    def swagger_ui_static(filename: str):
        """Serve the Swagger UI files from the pinned swagger-ui-bundle (no CDN)."""
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    @app.before_request
    def _check_protocol():
        if request.path.startswith("/api/") and not client_protocol_ok(request.headers.get(PROTOCOL_HEADER)):
            raise ClientTooOld("请更新应用 / update the app: protocol too old")

    from server.services.changes import install_change_hooks
    install_change_hooks(db)
    return app
