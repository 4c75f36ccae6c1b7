"""The catalog: standards, editions, clauses and indicators looked up by code or id
(`Catalog`), built from the plain dicts of the JSON files (`Catalog.from_dicts`, already
validated by `assets.load_catalog`); this module never reads a file. The data model's
classes are in `rules.model` and are imported from here (`from rules.catalog import
Edition`). Shapes follow docs/contracts.md.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from rules.errors import UnknownEdition, UnknownIndicator, UnknownStandard
from rules.model import (
    INDICATOR_KINDS,
    RELATION_TYPES,
    UNVERIFIED_PARTS,
    Amendment,
    Answer,
    Category,
    Clause,
    Edition,
    GradeRow,
    GradeTable,
    Indicator,
    ProductClass,
    Relation,
    Source,
    Standard,
    Transition,
    normalise_code,
    split_edition_id,
)

__all__ = [
    "INDICATOR_KINDS",
    "RELATION_TYPES",
    "UNVERIFIED_PARTS",
    "Amendment",
    "Answer",
    "Catalog",
    "Category",
    "Clause",
    "Edition",
    "GradeRow",
    "GradeTable",
    "Indicator",
    "ProductClass",
    "Relation",
    "Source",
    "Standard",
    "Transition",
    "normalise_code",
    "split_edition_id",
]

@dataclass(frozen=True)
class Catalog:
    standards: tuple[Standard, ...]
    _by_code: dict = field(init=False, repr=False, compare=False)
    _by_edition: dict = field(init=False, repr=False, compare=False)
    _by_indicator: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {s.code: s for s in self.standards}
        by_edition = {e.id: e for s in self.standards for e in s.editions}
        by_indicator = {i.id: i for e in by_edition.values() for i in e.indicators}
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_edition", by_edition)
        object.__setattr__(self, "_by_indicator", by_indicator)

    def standard(self, code: str) -> Standard:
        """Return the standard with this code ("GB 18401", "gb18401", "18401" all work;
        an edition id gives its standard). Raises UnknownStandard with close matches."""
        found = self._by_code.get(code)
        if found is not None:
            return found
        norm, _ = normalise_code(code)
        found = self._by_code.get(norm)
        if found is not None:
            return found
        raise UnknownStandard(code, self.suggest(code))

    def edition(self, edition_id: str) -> Edition:
        """Return the edition "GB 18401-2010" (loosely written works); raises UnknownEdition."""
        found = self._by_edition.get(edition_id)
        if found is None:
            norm, year = normalise_code(edition_id)
            found = self._by_edition.get(f"{norm}-{year}") if year else None
        if found is None:
            raise UnknownEdition(edition_id)
        return found

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with this id; raises UnknownIndicator."""
        try:
            return self._by_indicator[indicator_id]
        except KeyError:
            raise UnknownIndicator(indicator_id) from None

    def indicators(self) -> Iterator[Indicator]:
        """Iterate over every indicator of every edition, in catalog order."""
        for std in self.standards:
            for ed in std.editions:
                yield from ed.indicators

    def suggest(self, code: str, limit: int = 3) -> tuple[str, ...]:
        """Return up to `limit` standard codes close to `code` (for "did you mean")."""

        norm, _ = normalise_code(code)
        digits = re.sub(r"\D", "", norm)
        codes = list(self._by_code)
        close = [c for c in codes if digits and re.sub(r"\D", "", c).startswith(digits[:3])]
        close += difflib.get_close_matches(norm, codes, n=limit, cutoff=0.6)
        return tuple(dict.fromkeys(close))[:limit]

    @classmethod
    def from_dicts(cls, standards: Sequence[Mapping[str, Any]]) -> Catalog:
        """Build a catalog from standard dicts shaped like assets/schema/standard.schema.json.

        A missing `withdrawn` is filled from the replacing edition's effective date.
        Raises KeyError/ValueError/TypeError on malformed dicts (validate them first).
        """
        built = tuple(_standard_from_dict(d) for d in standards)
        return cls(tuple(_fill_withdrawn(s) for s in built))


# --- dict -> dataclass ------------------------------------------------------------------

def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _source(d: Mapping[str, Any] | None) -> Source | None:
    if d is None:
        return None
    return Source(d["title"], d.get("url"), d.get("note"))


def _grade_table(d: Mapping[str, Any] | None) -> GradeTable | None:
    if d is None:
        return None
    return GradeTable(d["measure"], d.get("unit"), tuple(GradeRow(str(r["grade"]), r["limit"]) for r in d["grades"]))


def _relation(d: Mapping[str, Any]) -> Relation:
    return Relation(d["type"], d["target"], d.get("title"), d.get("clause"), d.get("note"),
                    tuple(d.get("categories", ())), _source(d.get("source")))


def _amendment(d: Mapping[str, Any]) -> Amendment:
    return Amendment(d["id"], _date(d.get("issued")), _date(d.get("effective")), d["summary"],
                     _source(d.get("source")))


def _indicator(d: Mapping[str, Any], edition_id: str) -> Indicator:
    return Indicator(
        id=d["id"], edition_id=edition_id, clause=d["clause"], name=d["name"],
        name_en=d.get("name_en"), limit=d["limit"], unit=d.get("unit"),
        method=d.get("method", "full"), interval=d.get("interval"),
        categories=tuple(d.get("categories", ())), classes=tuple(d.get("classes", ())),
        test_method=d.get("test_method"), key=bool(d.get("key", False)),
        source=_source(d.get("source")), note=d.get("note"), kind=d.get("kind", "limit"),
        answers=tuple(Answer(a["text"], a["outcome"], a.get("text_en")) for a in d.get("answers", ())),
        grade_table=_grade_table(d.get("grade_table")), unverified=tuple(d.get("unverified", ())),
    )


def _edition(d: Mapping[str, Any], code: str) -> Edition:
    tr = d.get("transition")
    transition = None if tr is None else Transition(
        _date(tr.get("production_until")), _date(tr.get("sale_until")), tr.get("note"))
    return Edition(
        id=d["id"], standard_code=code, year=int(d["year"]), title=d["title"],
        title_en=d.get("title_en"), issued=_date(d.get("issued")),
        effective=date.fromisoformat(d["effective"]), withdrawn=_date(d.get("withdrawn")),
        replaces=tuple(d.get("replaces", ())), replaced_by=d.get("replaced_by"),
        transition=transition,
        categories=tuple(Category(c["id"], c["name"], c.get("name_en"), c.get("required_class"))
                         for c in d.get("categories", ())),
        classes=tuple(ProductClass(c["id"], c["name"], c.get("description", ""))
                      for c in d.get("classes", ())),
        clauses=tuple(Clause(c["number"], c["title"], c.get("summary")) for c in d.get("clauses", ())),
        indicators=tuple(_indicator(i, d["id"]) for i in d.get("indicators", ())),
        source=_source(d["source"]), openstd_hcno=d.get("openstd_hcno"),
        relations=tuple(_relation(r) for r in d.get("relations", ())),
        amendments=tuple(_amendment(a) for a in d.get("amendments", ())),
        unverified=tuple(d.get("unverified", ())),
    )


def _standard_from_dict(d: Mapping[str, Any]) -> Standard:
    code = d["code"]
    return Standard(
        code=code, title=d["title"], title_en=d.get("title_en"), field=d["field"],
        mandatory=bool(d.get("mandatory", True)),
        editions=tuple(_edition(e, code) for e in d["editions"]),
    )


def _fill_withdrawn(std: Standard) -> Standard:

    by_id = {e.id: e for e in std.editions}
    editions = []
    for ed in std.editions:
        if ed.withdrawn is None and ed.replaced_by in by_id:
            ed = replace(ed, withdrawn=by_id[ed.replaced_by].effective)
        editions.append(ed)
    return replace(std, editions=tuple(editions))
