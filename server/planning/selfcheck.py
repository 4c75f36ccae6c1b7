"""合规自查清单: every indicator a product (or a product category) must meet, so a company can
check itself before an inspector comes.

    checklist_for_product(catalog, product, on=date.today())     # a registry product's data
    checklist_for_category(catalog, "textile", "infant", "A", on=...)   # a category (and class)

Each section is one standard: the edition in force on `on` (by dates, `rules.editions`),
the category and class that apply, and one row per applicable indicator — clause, limit as
the standard writes it, unit, judgement method, test-method standard. Standards a listed
one must be met together with (须同时符合: `rules.chain.together_editions`, transitively —
GB 31701 products must also meet GB 18401) follow, marked `required_by`. Raises nothing for
unknown standards: they are listed in `missing` so the page can say so.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import date
from typing import Any

from rules.catalog import Catalog, Edition, Standard
from rules.chain import together_editions
from rules.editions import applicable_indicators, edition_in_force, required_class, status
from rules.errors import RulesError

METHOD_LABELS = {"full": "全数值比较法", "rounded": "修约值比较法"}


@dataclass(frozen=True)
class Row:
    indicator_id: str
    clause: str
    name: str
    limit: str
    unit: str | None
    classes: tuple[str, ...]
    method: str                  # 全数值比较法 | 修约值比较法
    test_method: str | None
    key: bool


@dataclass(frozen=True)
class Section:
    edition_id: str
    title: str
    status: str                  # 现行 | 即将实施 | 废止
    category: str | None
    category_name: str | None
    product_class: str | None
    rows: tuple[Row, ...]
    source_url: str | None = None
    required_by: str | None = None   # the listed standard that requires this one too


@dataclass
class Checklist:
    title: str
    subject: dict[str, Any]      # {kind: product|category, name, gtin?, company_name?, category, product_class}
    on: date
    sections: list[Section] = _field(default_factory=list)
    missing: list[str] = _field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the list."""
        return {"title": self.title, "subject": self.subject, "on": self.on.isoformat(),
                "missing": self.missing,
                "sections": [{"edition": s.edition_id, "title": s.title, "status": s.status,
                              "category": s.category, "category_name": s.category_name,
                              "product_class": s.product_class, "source_url": s.source_url,
                              "required_by": s.required_by,
                              "rows": [r.__dict__ | {"classes": list(r.classes)} for r in s.rows]}
                             for s in self.sections]}


def _section(standard: Standard, edition: Edition, category: str | None, product_class: str | None,
             on: date, required_by: str | None) -> Section:
    known = category if category and edition.category(category) else None
    cls = product_class or required_class(edition, known)
    rows = tuple(Row(indicator_id=i.id, clause=i.clause, name=i.name, limit=i.limit, unit=i.unit,
                     classes=tuple(i.classes), method=METHOD_LABELS.get(i.method, i.method),
                     test_method=i.test_method, key=i.key)
                 for i in applicable_indicators(edition, known, cls))
    found = edition.category(known) if known else None
    return Section(edition_id=edition.id, title=edition.title, status=status(edition, on, standard),
                   category=known, category_name=found.name if found else None,
                   product_class=cls if edition.classes else None, rows=rows,
                   source_url=edition.source.url if edition.source else None, required_by=required_by)


def _build(catalog: Catalog, entries: Iterable[Mapping[str, Any]], on: date) -> tuple[list[Section], list[str]]:
    sections: list[Section] = []
    missing: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        code = entry["standard"]
        try:
            standard = catalog.standard(code)
            edition = standard.edition(entry["edition"]) if entry.get("edition") else edition_in_force(standard, on)
        except RulesError:
            missing.append(entry.get("edition") or code)
            continue
        if standard.code in seen:
            continue
        seen.add(standard.code)
        classes = entry.get("classes") or []
        cls = classes[0] if classes else None
        category = entry.get("category")
        sections.append(_section(standard, edition, category, cls, on, None))
        for link in together_editions(catalog, edition.id, on, category):   # 须同时符合, transitively
            if link.edition_id is None:
                missing.append(f"{link.target}（{edition.id} 要求同时符合）")
                continue
            other = catalog.edition(link.edition_id)
            if other.standard_code in seen:
                continue
            seen.add(other.standard_code)
            sections.append(_section(catalog.standard(other.standard_code), other, category, cls, on,
                                     link.from_edition))
    return sections, missing


def checklist_for_product(catalog: Catalog, product: Mapping[str, Any], *, on: date) -> Checklist:
    """The list for a registry product (its `standards` entries say edition, category, class)."""
    sections, missing = _build(catalog, product.get("standards") or [], on)
    subject = {"kind": "product", "name": product.get("name"), "gtin": product.get("gtin"),
               "company_name": product.get("company_name"), "category": product.get("category"),
               "product_class": product.get("product_class")}
    return Checklist(title=f"合规自查清单：{product.get('name') or product.get('gtin')}", subject=subject, on=on,
                     sections=sections, missing=missing)


def checklist_for_category(catalog: Catalog, field: str, category: str, product_class: str | None = None, *,
                           on: date) -> Checklist:
    """The list for a product category of a field ("textile", "infant"): every standard of that
    field whose editions know the category (category ids are the standards' own, so the
    field keeps GB 4806.7's "infant" food-contact category out of a textile list)."""
    entries = [{"standard": s.code, "category": category, "classes": [product_class] if product_class else []}
               for s in catalog.standards if s.field == field and any(e.category(category) for e in s.editions)]
    sections, missing = _build(catalog, entries, on)
    names = [s.category_name for s in sections if s.category_name]
    name = names[0] if names else category
    return Checklist(title=f"合规自查清单：{name}" + (f"（{product_class}类）" if product_class else ""),
                     subject={"kind": "category", "name": name, "field": field, "category": category,
                              "product_class": product_class},
                     on=on, sections=sections, missing=missing)
