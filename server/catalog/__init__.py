"""catalog: the standards catalog as devices receive it (standards, editions, clauses,
indicators), its import, the live catalog as a `rules.catalog.Catalog`, edition status.
Public service: `server.catalog.service`."""
from __future__ import annotations

from server.catalog import models  # noqa: F401  (tables on db.metadata)
from server.kernel.features import Feature

FEATURE = Feature("catalog")
