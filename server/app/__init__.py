"""The app: `create_app(config_overrides=None)` builds the Flask app from the kernel and the
feature packages, listed ONCE here (FEATURES, in dependency order). This is the only place
where blueprints are registered (each feature's `init_app`, called from here) and where the
features' tables join `db.metadata` (by importing the features).

Layers (import-linter, setup.cfg): this package (the app) imports the features and the
kernel; features import the kernel and, between them, only each other's public service
modules; the kernel imports no feature.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import swagger_ui_bundle
from flask import Flask, request, send_from_directory

from server import (
    accounts,
    catalog,
    evidence,
    inspections,
    interpretations,
    jobs,
    photos,
    planning,
    registry,
    resolver,
    rulesets,
    site,
    statistics,
    syncing,
    uploads,
)
from server.app import meta, probes
from server.interpretations.service import PUBLISHED
from server.kernel import console, encoding, limits, metrics, requestlog, runtime, signing, uow
from server.kernel.changes import install_change_hooks
from server.kernel.config import load_config
from server.kernel.database import configure_engine, engine_options
from server.kernel.errors import ClientTooOld
from server.kernel.extensions import db, make_api, migrate
from server.kernel.features import Feature
from server.kernel.http_errors import register_error_handlers
from server.rulesets.service import install_provider
from sync.protocol import PROTOCOL_HEADER, client_protocol_ok

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")

#: every feature of the server, lowest layer first (setup.cfg's server-layers contract: a
#: feature uses, through their service modules, only features of the layers below it)
FEATURES: tuple[Feature, ...] = (
    Feature("meta", api=(meta.blp, meta.metrics_blp), setup=probes.init_app),
    syncing.FEATURE, rulesets.FEATURE, evidence.FEATURE,
    accounts.FEATURE, catalog.FEATURE, photos.FEATURE,
    registry.FEATURE, uploads.FEATURE, inspections.FEATURE,
    resolver.FEATURE, interpretations.FEATURE, statistics.FEATURE, planning.FEATURE,
    jobs.FEATURE, site.FEATURE,
)


def create_app(config_overrides: Mapping[str, Any] | None = None) -> Flask:
    """Return a configured Flask app (database bound, features and error handlers registered).

    `config_overrides` wins over the environment (tests pass SQLALCHEMY_DATABASE_URI).
    Raises ValueError for malformed numeric environment variables.
    """
    app = Flask("server", instance_relative_config=True, template_folder="app/templates")
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    if config_overrides:
        app.config.update(config_overrides)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config.get("SQLALCHEMY_ENGINE_OPTIONS"))
    app.json.ensure_ascii = False
    app.json.sort_keys = False

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
    encoding.init_app(app)                # compressed request bodies decoded, answers compressed
    limits.init_app(app)                  # body size, JSON depth, security headers
    signing.init_app(app)                 # the catalog key that signs pull pages (a bad key file fails here)
    metrics.init_app(app)                 # latency by route, bytes on the wire (after compression)
    requestlog.init_app(app)              # a request id on every log line, one JSON line per request
    uow.init_app(app)
    install_provider(app, PUBLISHED)      # the one rule-set provider: push, re-scan

    for feature in FEATURES:
        feature.init_app(app, api)
    console.init_app(app)                 # the console shell, with every feature's pages on it

    @app.route("/api/v1/docs/static/<path:filename>")
    def swagger_ui_static(filename: str):
        """Serve the Swagger UI files from the pinned swagger-ui-bundle (no CDN)."""
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    @app.before_request
    def _check_protocol():
        if request.path.startswith("/api/") and not client_protocol_ok(request.headers.get(PROTOCOL_HEADER)):
            raise ClientTooOld()

    install_change_hooks()
    return app


runtime.set_factory(create_app)
