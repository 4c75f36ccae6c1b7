"""photos: evidence photos: verification and derivatives (imaging), storage keys in the
blob store, arrival tracking, the photo API. A photo's id is the SHA-256 (hex) of the bytes
the tablet uploads. Blob keys: ``photos/original/<sha>``, ``photos/thumb/<sha>``,
``photos/screen/<sha>``, ``photos/public/<sha>``. Public service: `server.photos.service`.
"""
from __future__ import annotations

from server.kernel.features import Feature
from server.photos import api, models  # noqa: F401  (models: tables on db.metadata)

FEATURE = Feature("photos", api=(api.blp,))
