"""syncing: the device sync protocol's server side: pull (the change log after a cursor,
tombstones and the horizon), push (the batch, replays, savepoints; one handler per entity,
registered by the entity's feature) and the drift digest. Public service:
`server.syncing.service`."""
from __future__ import annotations

from server.kernel.features import Feature
from server.syncing import api, models  # noqa: F401  (models: tables on db.metadata)

FEATURE = Feature("syncing", api=(api.blp,))
