"""The live standards catalog as a `rules.catalog.Catalog`, rebuilt from the synced rows.

Built from exactly the `data` that devices pull (standards, editions, indicators that are
not withdrawn), so the server's resolver and a tablet's offline resolver read the same
catalog. Cached per database and per last catalog change (`changes.seq`), so a catalog
import is visible at the next request.
"""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from assets.registry import catalog_from_rows
from rules.catalog import Catalog
from server.catalog.models import Edition, Indicator, Standard
from server.kernel.changes import Change
from server.kernel.extensions import db

CATALOG_ENTITIES = ("standard", "edition", "indicator")
_cache: dict[str, tuple[int, Catalog]] = {}
_lock = threading.Lock()


def _last_catalog_seq() -> int:
    return int(db.session.execute(select(func.max(Change.seq))
                                  .where(Change.entity.in_(CATALOG_ENTITIES))).scalar() or 0)


def build_catalog() -> Catalog:
    """Return a Catalog of every live standard, edition and indicator in the database.

    Raises KeyError/ValueError when a stored row is malformed (a server bug).
    """
    standards = [r for (r,) in db.session.execute(
        select(Standard.data).where(Standard.deleted_at.is_(None)).order_by(Standard.id))]
    editions = {i: d for i, d in db.session.execute(
        select(Edition.id, Edition.data).where(Edition.deleted_at.is_(None)))}
    indicators = {i: d for i, d in db.session.execute(
        select(Indicator.id, Indicator.data).where(Indicator.deleted_at.is_(None)))}
    return catalog_from_rows(standards, editions, indicators)


def current_catalog() -> Catalog:
    """Return the live catalog (cached until the next catalog change in this database)."""
    key = str(db.engine.url)
    seq = _last_catalog_seq()
    hit = _cache.get(key)
    if hit is not None and hit[0] == seq:
        return hit[1]
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == seq:
            return hit[1]
        catalog = build_catalog()
        _cache[key] = (seq, catalog)
        return catalog
