"""assets: the real standards catalog (JSON + JSON Schema), its loader and digest; the
message catalogue, fonts and the registry's views.

    from assets import load_catalog, catalog_digest, CatalogError
    catalog = load_catalog()            # packaged real data, validated, cached

The loader (and with it jsonschema) is imported on first use of one of its names: the
tablet imports `assets.messages`, `assets.registry` and the fonts, never the loader, and
its build has no jsonschema (docs/decisions.md "The tablet without orjson and jsonschema").
"""
from __future__ import annotations

import importlib
from typing import Any

from assets.errors import CatalogError

_LOADER_NAMES = ("canonical_json", "catalog_digest", "default_paths", "load_catalog")

__all__ = ["CatalogError", "canonical_json", "catalog_digest", "default_paths", "load_catalog"]


def __getattr__(name: str) -> Any:
    """The loader's names, imported when first asked for (PEP 562). Raises AttributeError."""
    if name in _LOADER_NAMES:
        return getattr(importlib.import_module("assets.loader"), name)
    raise AttributeError(f"module 'assets' has no attribute {name!r}")
