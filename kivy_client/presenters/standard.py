"""The tablet's standard view: a standard card's related-standards chain (editions and
what they replace, amendments, standards to be met together, test methods) and the
待核实 marks of its values, from the device's cached catalog — offline, in the tablet's
language. The same `assets.registry.chain_view` the public page and the console show, so
the three never disagree; a value no public source confirmed is never shown as confirmed.

    card = StandardPresenter(store).card(view, "zh_CN")   # a describe_standards view
    card["chain_lines"]      # ["须同时符合 GB 18401（GB 18401-2010 现行） …", …]
    card["key_indicators"][0]["mark"]   # "待核实" or None
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from assets.messages import words
from assets.registry.chain_view import chain_lines, chain_view, unverified_marks
from device.judge import catalog_dicts
from rules.catalog import Catalog
from rules.errors import RulesError

#: chain groups shown as one line on a card (the lineage, amendments and standards met
#: together stay one line per item: they change what the officer checks)
COMPACT_GROUPS = ("test_methods", "references")


class StandardPresenter:
    """Chain and marks for standard cards. The catalog is rebuilt from the device's
    cached rows only when they change (their digests)."""

    def __init__(self, store: Any, *, today: Callable[[], date] = date.today):
        self.store = store
        self.today = today
        self._cached: tuple[Any, Catalog] | None = None

    def catalog(self) -> Catalog:
        """Return the device's cached catalog as a rules Catalog (rebuilt after a pull
        changed it). Raises KeyError/ValueError for a malformed cached row."""
        key = self.store.catalog.digests()
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, Catalog.from_dicts(catalog_dicts(self.store.catalog)))
        return self._cached[1]

    def chain(self, edition_id: str | None, lang: str = "zh_CN") -> dict[str, Any]:
        """Return the chain view of `edition_id` with `lines` (one text per item); an
        edition the device does not hold gives an empty chain. Never raises."""
        w = words("chain", lang)
        if not edition_id:
            return {"title": w["title"], "none": w["none"], "empty": True, "groups": [], "lines": []}
        try:
            view = chain_view(self.catalog(), edition_id, self.today(), lang)
        except (RulesError, KeyError, ValueError):
            return {"title": w["title"], "none": w["none"], "empty": True, "groups": [], "lines": []}
        return {**view, "lines": chain_lines(view, compact=COMPACT_GROUPS)}

    def card(self, view: dict[str, Any], lang: str = "zh_CN") -> dict[str, Any]:
        """Return a standard card's view (`assets.registry.describe_standard`) with
        `chain_title`, `chain_lines`, `chain_empty`, and each key indicator's `mark`
        (待核实 / To be verified, None when confirmed) and `note`. Never raises."""
        chain = self.chain(view.get("edition"), lang)
        indicators = []
        for row in view.get("key_indicators") or ():
            try:
                marks = unverified_marks(self.catalog().indicator(row["id"]), lang)
            except (RulesError, KeyError, ValueError):
                marks = {"mark": None if row.get("confirmed", True) else words("chain", lang)["mark"], "note": None}
            indicators.append({**row, "mark": marks["mark"], "note": marks["note"]})
        return {**view, "key_indicators": indicators, "chain_title": chain["title"],
                "chain_lines": chain["lines"], "chain_empty": chain["empty"], "chain_none": chain["none"]}
