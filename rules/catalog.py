"""The catalog data model: standards, editions, clauses and indicators (frozen, pure).

Shapes follow docs/contracts.md. `Catalog.from_dicts` builds a catalog from the plain
dicts of the JSON files (already validated by `assets.load_catalog`); this module never
reads a file.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from rules.errors import UnknownEdition, UnknownIndicator, UnknownStandard

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

#: "limit": judged against `limit` (numbers, grades, 不得检出, words); "marking": a required
#: label/marking item, answered present / absent / wrong; "energy_grade": the grade (1 best)
#: is computed from the measured value with `grade_table`, and `limit` is the minimum
#: (能效限定值).
INDICATOR_KINDS = ("limit", "marking", "energy_grade")
#: what a public source did NOT confirm for an indicator or an edition
UNVERIFIED_PARTS = ("value", "clause", "test_method", "unit", "scope", "wording", "grade_table",
                    "issued", "effective", "transition", "amendment")
#: relation types between an edition and another standard (full replacement stays in
#: replaces / replaced_by): 部分代替, 须同时符合, 检验方法, 规范性引用
RELATION_TYPES = ("replaces_part", "together", "test_method", "refers")


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Category:
    """A product category. `required_class` is the least class its products must meet
    (GB 18401: infant products -> "A"); None when the edition has no classes."""
    id: str
    name: str
    name_en: str | None = None
    required_class: str | None = None


@dataclass(frozen=True)
class ProductClass:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Clause:
    number: str
    title: str
    summary: str | None = None


@dataclass(frozen=True)
class Transition:
    """How the edition that a new edition replaces phases out."""
    production_until: date | None = None
    sale_until: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Answer:
    """One accepted answer of a word indicator or a marking item (the tablet's pick list):
    `outcome` "pass" or "fail" is the verdict that answer gives."""
    text: str
    outcome: str
    text_en: str | None = None


@dataclass(frozen=True)
class GradeRow:
    """One row of a grade table: `grade` ("1" best) and the limit its value must meet."""
    grade: str
    limit: str


@dataclass(frozen=True)
class GradeTable:
    """An energy-efficiency grade table: what is measured, its unit, the rows best first."""
    measure: str
    unit: str | None
    grades: tuple[GradeRow, ...]


@dataclass(frozen=True)
class Relation:
    """A relation of an edition to another standard: `type` in RELATION_TYPES, `target` a
    standard number with or without year ("GB 18401", "GB/T 2912.1-2009"), `title` for a
    target outside the catalog, `clause` of this edition that makes the relation."""
    type: str
    target: str
    title: str | None = None
    clause: str | None = None
    note: str | None = None
    categories: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Amendment:
    """An amendment sheet (修改单) of an edition: `id` "XG1-2020"; full number
    "<edition id>/<id>" (GB 20891-2014/XG1-2020)."""
    id: str
    issued: date | None
    effective: date | None
    summary: str
    source: Source | None = None


@dataclass(frozen=True)
class Indicator:
    id: str
    edition_id: str
    clause: str
    name: str
    name_en: str | None
    limit: str
    unit: str | None
    method: str = "full"
    interval: str | None = None
    categories: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    test_method: str | None = None
    key: bool = False
    source: Source | None = None
    note: str | None = None
    kind: str = "limit"
    answers: tuple[Answer, ...] = ()
    grade_table: GradeTable | None = None
    unverified: tuple[str, ...] = ()

    @property
    def confirmed(self) -> bool:
        """True when a public source confirmed the value (no "value"/"grade_table" in
        `unverified`)."""
        return not ({"value", "grade_table"} & set(self.unverified))


@dataclass(frozen=True)
class Edition:
    id: str
    standard_code: str
    year: int
    title: str
    title_en: str | None
    issued: date | None
    effective: date
    withdrawn: date | None
    replaces: tuple[str, ...]
    replaced_by: str | None
    transition: Transition | None
    categories: tuple[Category, ...]
    classes: tuple[ProductClass, ...]
    clauses: tuple[Clause, ...]
    indicators: tuple[Indicator, ...]
    source: Source
    openstd_hcno: str | None = None
    relations: tuple[Relation, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    unverified: tuple[str, ...] = ()

    def category(self, category_id: str) -> Category | None:
        """Return the category with this id, or None."""
        return next((c for c in self.categories if c.id == category_id), None)

    def clause(self, number: str) -> Clause | None:
        """Return the clause with this number, or None."""
        return next((c for c in self.clauses if c.number == number), None)


@dataclass(frozen=True)
class Standard:
    code: str
    title: str
    title_en: str | None
    field: str
    mandatory: bool
    editions: tuple[Edition, ...]

    def edition(self, edition_id: str) -> Edition:
        """Return this standard's edition `edition_id`; raises UnknownEdition."""
        for ed in self.editions:
            if ed.id == edition_id:
                return ed
        raise UnknownEdition(edition_id)

    def latest(self) -> Edition:
        """Return the edition with the latest effective date."""
        return max(self.editions, key=lambda e: e.effective)


_CODE_RE = re.compile(r"^\s*([A-Za-z]+(?:\s*/\s*[A-Za-z])?)\s*(\d+(?:\.\d+)*)\s*(?:[-—–]\s*(\d{2,4}))?\s*$")


def normalise_code(text: str) -> tuple[str, str | None]:
    """Return (standard code, year or None) from a loosely written number.

    "gb18401" -> ("GB 18401", None); "GB/T 8170-2008" -> ("GB/T 8170", "2008");
    "18401" -> ("GB 18401", None). Text that is no standard number comes back stripped
    and upper-cased with year None. Raises nothing.
    """
    raw = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)*(?:\s*-\s*\d{2,4})?", raw):
        raw = "GB " + raw
    m = _CODE_RE.match(raw)
    if not m:
        return raw.upper(), None
    prefix = re.sub(r"\s+", "", m.group(1)).upper()
    return f"{prefix} {m.group(2)}", m.group(3)


def split_edition_id(edition_id: str) -> tuple[str, int]:
    """Return (standard code, year) of "GB 18401-2010"; raises ValueError if malformed."""
    code, year = normalise_code(edition_id)
    if year is None or len(year) != 4:
        raise ValueError(f"not an edition id: {edition_id!r}")
    return code, int(year)


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
