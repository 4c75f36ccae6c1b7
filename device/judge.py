"""Provisional verdicts offline: a `rules.ruleset.RuleSet` built from the device's catalog cache.

The server sends each catalog entity's `data` as its catalog import writes it: a `standard`
lists its edition ids (`editions`), an `edition` is the edition without its indicators
plus `indicator_ids`, an `indicator` is the indicator itself, a `ruleset` names a version
with its `effective_from`, and an `interpretation` is the newest published version of an
official interpretation with its older versions in `history`. Putting them back together
gives the same standard dicts `rules.catalog.Catalog.from_dicts` reads, so the tablet
judges with the same rules code as the server's re-judgement, and records the rule-set
version it used.

    judge = catalog_judge(store)
    records = DeviceRecords(store, judge=judge)
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from device.errors import CatalogUnavailable
from device.stores.catalog import CatalogStore
from rules.catalog import Catalog, Indicator
from rules.interpretation import Interpretation
from rules.ruleset import RuleSet

#: judge(indicator_id, measured, unit, on=date|None, product_class=str|None, claimed=str|None) -> Verdict|dict|None
Judge = Callable[..., Any]


class RulesetJudge:
    """A Judge over one `rules.ruleset.RuleSet`; `indicator(id)` gives the indicator (what
    DeviceRecords checks entries against)."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset

    def __call__(self, indicator_id, measured, unit, *, on=None, product_class=None, claimed=None):
        kw = {"claimed": claimed} if claimed else {}
        return self.ruleset.judge_indicator(indicator_id, measured, unit, on=on, product_class=product_class, **kw)

    def indicator(self, indicator_id: str) -> Indicator | None:
        """Return the indicator (None when the rule set has no catalog); raises
        rules.errors.UnknownIndicator."""
        catalog = getattr(self.ruleset, "catalog", None)
        return catalog.indicator(indicator_id) if catalog is not None else None


def ruleset_judge(ruleset: RuleSet) -> Judge:
    """Return a Judge calling `rules.ruleset.RuleSet.judge_indicator` (provisional verdicts)."""
    return RulesetJudge(ruleset)


def catalog_dicts(catalog: CatalogStore) -> list[dict[str, Any]]:
    """Return the cached catalog as standard dicts (with nested editions and indicators)."""
    rows: dict[str, dict[str, Any]] = {"standard": {}, "edition": {}, "indicator": {}}
    for entity, ident, data in catalog.rows(("standard", "edition", "indicator")):
        rows[entity][ident] = data
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


def cached_interpretations(catalog: CatalogStore) -> tuple[Interpretation, ...]:
    """Return every pulled official interpretation version (newest and history) as
    rules.interpretation.Interpretation objects; rules picks, per indicator and inspection
    date, the version in force. Raises CatalogUnavailable (bad_catalog) when a cached row
    cannot be read."""
    found = []
    for _, _, newest in catalog.rows(("interpretation",)):
        try:
            found.extend(Interpretation.from_dict(v) for v in (newest, *(newest.get("history") or ())))
        except (KeyError, ValueError, TypeError) as exc:
            raise CatalogUnavailable(f"本机解释数据无法读取 / cached interpretation unreadable: {exc}",
                                     code="bad_catalog") from exc
    return tuple(found)


def ruleset_version_on(catalog: CatalogStore, on: date | None) -> str | None:
    """Return the cached rule-set version in force on `on` — the newest effective on that
    date, or the oldest when `on` predates them all (the server's rule) — or None."""
    versions = [(d.get("effective_from") or "", d.get("created_at") or "", d["version"])
                for _, _, d in catalog.rows(("ruleset",))]
    if not versions:
        return None
    versions.sort()
    chosen = versions[0]
    day = (on or date.today()).isoformat()
    for row in versions:
        if row[0] <= day:
            chosen = row
    return chosen[2]


def catalog_ruleset(catalog: CatalogStore, version: str | None = None) -> RuleSet:
    """Return a rules.ruleset.RuleSet of the cached catalog named `version` (default: the
    version in force today). Raises CatalogUnavailable when the cache holds no catalog
    (no_catalog) or the rows cannot be read as a catalog (bad_catalog)."""
    standards = catalog_dicts(catalog)
    if not standards:
        raise CatalogUnavailable("本机没有标准库，请先同步 / no catalog on this device: sync first",
                                 code="no_catalog")
    try:
        parsed = Catalog.from_dicts(standards)
    except (KeyError, ValueError, TypeError) as exc:
        raise CatalogUnavailable(f"本机标准库无法读取 / cached catalog unreadable: {exc}",
                                 code="bad_catalog") from exc
    return RuleSet(version or ruleset_version_on(catalog, None) or "device", parsed,
                   cached_interpretations(catalog))


class CatalogJudge:
    """The Judge of a DeviceStore's cached catalog (see `catalog_judge`)."""

    def __init__(self, store: Any):
        self.store = store
        self._cache: dict[str, Any] = {}

    def _base(self) -> dict[str, Any]:
        cursor = self.store.state.cursor
        if self._cache.get("cursor") != cursor or "catalog" not in self._cache:
            self._cache.clear()
            base = catalog_ruleset(self.store.catalog)
            self._cache.update(cursor=cursor, catalog=base.catalog, interpretations=base.interpretations)
        return self._cache

    def __call__(self, indicator_id, measured, unit, *, on=None, product_class=None, claimed=None):
        cache = self._base()
        version = ruleset_version_on(self.store.catalog, on) or "device"
        if version not in cache:
            cache[version] = RuleSet(version, cache["catalog"], cache["interpretations"])
        return cache[version].judge_indicator(indicator_id, measured, unit, on=on, product_class=product_class,
                                              claimed=claimed)

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the cached indicator; raises CatalogUnavailable, rules.errors.UnknownIndicator."""
        return self._base()["catalog"].indicator(indicator_id)


def catalog_judge(store: Any) -> Judge:
    """Return a Judge for `DeviceRecords` judging with the cached catalog of a DeviceStore,
    the pulled official interpretations and the rule-set version in force on the
    inspection date. The parsed catalog is kept until the store's pull cursor moves (a
    sync brought new catalog rows). The Judge raises CatalogUnavailable and rules' errors;
    its `indicator(id)` returns a cached indicator."""
    return CatalogJudge(store)
