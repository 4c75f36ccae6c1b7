"""What a feature package hands to the app: its API blueprints, its page blueprints and a
setup hook. `create_app` (server.app) lists the features once and calls `init_app` on
each, in order: the only place blueprints are registered. A feature's tables are on
`db.metadata` because its package imports its models.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Flask
from flask_smorest import Api


@dataclass(frozen=True)
class Feature:
    """One feature package: `name`, its flask-smorest blueprints under /api/v1 (`api`),
    its other blueprints (public pages, template folders of console views: `pages`) and
    `setup(app)` for whatever else it wires (hooks, push handlers, extensions)."""

    name: str
    api: tuple = ()
    pages: tuple[Blueprint, ...] = ()
    setup: Callable[[Flask], None] | None = None

    def init_app(self, app: Flask, api: Api) -> None:
        """Register this feature's blueprints on `app` / `api` and run its setup."""
        for blueprint in self.api:
            api.register_blueprint(blueprint)
        for blueprint in self.pages:
            app.register_blueprint(blueprint)
        if self.setup is not None:
            self.setup(app)
