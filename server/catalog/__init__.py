"""catalog: the standards catalog as devices receive it (standards, editions, clauses,
indicators), its import, the live catalog as a `rules.catalog.Catalog`, edition status,
and the console's standard view (`/console/standards/`).
Public service: `server.catalog.service`."""
from __future__ import annotations

from flask import Blueprint

from server.catalog import api, console, models  # noqa: F401  (console: the standard view; models: tables)
from server.kernel.features import Feature

FEATURE = Feature("catalog", api=(api.blp,), pages=(Blueprint("catalog_pages", __name__, template_folder="templates"),))
