"""Resumable photo uploads speaking tus 1.0.0 (core, creation, checksum, termination,
expiration) under /api/v1/uploads, plus the photo endpoints under /api/v1/photos.

Both are flask-smorest blueprints named ``blp`` in ``server.uploads.routes`` and
``server.photos.routes``: list those modules in ``server.resources.BLUEPRINT_MODULES``,
or call ``init_app(app)`` (idempotent) after ``create_app``.
"""
from __future__ import annotations


def init_app(app) -> None:
    """Register the uploads and photos blueprints on ``app`` unless already there."""
    from server.photos.routes import blp as photos_blp
    from server.uploads.routes import blp as uploads_blp

    api = app.extensions.get("gbfield_api")
    for blp in (uploads_blp, photos_blp):
        if blp.name in app.blueprints:
            continue
        if api is not None:
            api.register_blueprint(blp)
        else:
            app.register_blueprint(blp)
