"""registry: the product registry (GTIN → product, company, applicable standards): the API,
CSV imports with row reports, the `product` changes devices pull. Public service:
`server.registry.service`."""
from __future__ import annotations

from server.kernel.features import Feature
from server.registry import api, models  # noqa: F401  (models: tables on db.metadata)

FEATURE = Feature("registry", api=(api.blp,))
