"""uploads: resumable photo uploads speaking tus 1.0.0 (core, creation, checksum,
termination, expiration) under /api/v1/uploads; a complete upload becomes a photo
(server.photos). Public service: `server.uploads.service`."""
from __future__ import annotations

from server.kernel.features import Feature
from server.uploads import api, models  # noqa: F401 — the staging tables join db.metadata

FEATURE = Feature("uploads", api=(api.blp,))
