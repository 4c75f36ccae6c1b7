"""assets: the real standards catalog (JSON + JSON Schema), its loader and digest.

    from assets import load_catalog, catalog_digest, CatalogError
    catalog = load_catalog()            # packaged real data, validated, cached
"""
from assets.loader import (
    CatalogError,
    canonical_json,
    catalog_digest,
    default_paths,
    load_catalog,
)

__all__ = ["CatalogError", "canonical_json", "catalog_digest", "default_paths", "load_catalog"]
