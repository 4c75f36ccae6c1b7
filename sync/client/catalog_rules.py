"""Provisional verdicts offline: a `rules.ruleset.RuleSet` built from the device's catalog cache.

The server sends each catalog entity's `data` as `server/services/catalog_import.py`
writes it: a `standard` lists its edition ids (`editions`), an `edition` is the edition
without its indicators plus `indicator_ids`, an `indicator` is the indicator itself, and a
`ruleset` names a version with its `effective_from`, and an `interpretation` is the
newest published version of an official interpretation with its older versions in
`history`. Putting them back together gives the
same standard dicts `rules.catalog.Catalog.from_dicts` reads, so the tablet judges with the
same rules code as the server's re-judgement, and records the rule-set version it used.

    judge = catalog_judge(store)
    records = DeviceRecords(store, judge=judge)
"""
from __future__ import annotations

from datetime import date
from typing import Any

import orjson

from sync.client.errors import SyncError
from sync.client.records import Judge
from sync.client.store import LocalStore


def catalog_dicts(store: LocalStore) -> list[dict[str, Any]]:
    """Return the cached catalog as standard dicts (with nested editions and indicators)."""
    rows: dict[str, dict[str, Any]] = {"standard": {}, "edition": {}, "indicator": {}}
    for entity, ident, data in store.db.execute(
            "SELECT entity, id, data FROM catalog WHERE entity IN ('standard', 'edition', 'indicator')"):
        rows[entity][ident] = orjson.loads(data)
    standards = []
    for code in sorted(rows["standard"]):
        std = dict(rows["standard"][code])
        editions = []
        for edition_id in std.get("editions") or ():
            ed = rows["edition"].get(edition_id)
            if ed is None:
                continue
            ed = {k: v for k, v in ed.items() if k != "indicator_ids"}
            ed["indicators"] = [rows["indicator"][i] for i in rows["edition"][edition_id].get("indicator_ids") or ()
                                if i in rows["indicator"]]
            editions.append(ed)
        if editions:
            standards.append({**std, "editions": editions})
    return standards


def cached_interpretations(store: LocalStore) -> tuple:
    """Return every pulled official interpretation version (newest and history) as
    rules.interpretation.Interpretation objects; rules picks, per indicator and inspection
    date, the version in force. Raises SyncError when a cached row cannot be read."""
    from rules.interpretation import Interpretation

    found = []
    for (data,) in store.db.execute("SELECT data FROM catalog WHERE entity = 'interpretation'"):
        newest = orjson.loads(data)
        try:
            found.extend(Interpretation.from_dict(v) for v in (newest, *(newest.get("history") or ())))
        except (KeyError, ValueError, TypeError) as exc:
            raise SyncError(f"本机解释数据无法读取 / cached interpretation unreadable: {exc}",
                            code="bad_catalog") from exc
    return tuple(found)


def ruleset_version_on(store: LocalStore, on: date | None) -> str | None:
    """Return the cached rule-set version in force on `on` — the newest effective on that
    date, or the oldest when `on` predates them all (the server's rule) — or None."""
    versions = []
    for (data,) in store.db.execute("SELECT data FROM catalog WHERE entity = 'ruleset'"):
        d = orjson.loads(data)
        versions.append((d.get("effective_from") or "", d.get("created_at") or "", d["version"]))
    if not versions:
        return None
    versions.sort()
    chosen = versions[0]
    day = (on or date.today()).isoformat()
    for row in versions:
        if row[0] <= day:
            chosen = row
    return chosen[2]


def catalog_ruleset(store: LocalStore, version: str | None = None):
    """Return a rules.ruleset.RuleSet of the cached catalog named `version` (default: the
    version in force today). Raises SyncError when the cache holds no catalog or the rows
    cannot be read as a catalog."""
    from rules.catalog import Catalog
    from rules.ruleset import RuleSet

    standards = catalog_dicts(store)
    if not standards:
        raise SyncError("本机没有标准库，请先同步 / no catalog on this device: sync first", code="no_catalog")
    try:
        catalog = Catalog.from_dicts(standards)
    except (KeyError, ValueError, TypeError) as exc:
        raise SyncError(f"本机标准库无法读取 / cached catalog unreadable: {exc}", code="bad_catalog") from exc
    return RuleSet(version or ruleset_version_on(store, None) or "device", catalog,
                   cached_interpretations(store))


def catalog_judge(store: LocalStore) -> Judge:
    """Return a Judge for `DeviceRecords` judging with the cached catalog, the pulled
    official interpretations and the rule-set version in force on the inspection date. The parsed catalog is kept until the store's
    pull cursor moves (a sync brought new catalog rows)."""
    cache: dict[str, Any] = {}

    def judge(indicator_id, measured, unit, *, on=None, product_class=None):
        cursor = store.cursor
        if cache.get("cursor") != cursor:
            cache.clear()
            cache["cursor"] = cursor
            base = catalog_ruleset(store)
            cache["catalog"], cache["interpretations"] = base.catalog, base.interpretations
        version = ruleset_version_on(store, on) or "device"
        if version not in cache:
            from rules.ruleset import RuleSet

            cache[version] = RuleSet(version, cache["catalog"], cache["interpretations"])
        return cache[version].judge_indicator(indicator_id, measured, unit, on=on, product_class=product_class)
    return judge
