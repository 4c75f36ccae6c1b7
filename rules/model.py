"""The catalog's data model: standards, editions, clauses, indicators, their sources,
categories, classes, grade tables, relations and amendments (frozen dataclasses, pure),
and how a standard's code is written (`normalise_code`, `split_edition_id`). Import these
names from `rules.catalog`, which builds a `Catalog` of them from the JSON files' dicts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rules.errors import UnknownEdition

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
