"""Thin flask-smorest blueprints under /api/v1: load with a schema, call a service, dump.

`register_blueprints(api)` registers every blueprint; add yours to BLUEPRINT_MODULES.
"""
from __future__ import annotations

import importlib

#: modules exposing `blp` (a flask_smorest.Blueprint). Others add theirs here.
BLUEPRINT_MODULES = (
    "server.resources.meta",
    "server.resources.auth",
    "server.resources.devices",
    "server.resources.sync",
    "server.resources.inspections",
    "server.uploads.routes",
    "server.photos.routes",
    "server.registry.resources",
)


def register_blueprints(api) -> None:
    """Register every blueprint of BLUEPRINT_MODULES on the flask-smorest `api`."""
    for name in BLUEPRINT_MODULES:
        api.register_blueprint(importlib.import_module(name).blp)
