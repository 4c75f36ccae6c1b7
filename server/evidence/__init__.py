"""evidence: evidence integrity: an append-only, hash-chained log of evidence events
(photo uploaded, attached to a record, record reviewed, exported). ``chain`` is the pure
hashing and verification; ``service`` (the public service) appends and verifies rows."""
from __future__ import annotations

from server.evidence import models  # noqa: F401  (tables on db.metadata)
from server.kernel.features import Feature

FEATURE = Feature("evidence")
