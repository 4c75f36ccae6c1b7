"""Pure view of a registry product: which standards apply, their status and key indicators.

A product record (the `data` a pull serves for entity "product") names its standards as
`standards: [{standard, edition?, category?, classes}]` (older records: plain codes
"GB 18401"). `describe_standards(product, catalog, on)` returns one JSON-ready dict per
standard; the public resolver (server) and the tablet's offline resolver (sync.client)
both call it, so a consumer's phone and an officer's tablet show the same answer.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from rules.catalog import Catalog, Edition, Indicator, Standard
from rules.editions import (
    CURRENT,
    UPCOMING,
    WITHDRAWN,
    applicable_indicators,
    edition_in_force,
    status,
)
from rules.errors import NoEditionInForce, RulesError

PACKAGE_DIR = Path(__file__).resolve().parent
DEMO_CSV = PACKAGE_DIR / "demo_products.csv"
CONSUMER_CHECKS = PACKAGE_DIR / "consumer_checks.json"
MAX_FALLBACK_INDICATORS = 6
_STATUS_KEYS = {CURRENT: "current", UPCOMING: "upcoming", WITHDRAWN: "withdrawn"}


def status_key(label: str | None) -> str | None:
    """Return "current" / "upcoming" / "withdrawn" for 现行 / 即将实施 / 废止 (None stays None)."""
    return _STATUS_KEYS.get(label) if label else None


def catalog_from_rows(standards: Iterable[Mapping[str, Any]], editions: Mapping[str, Mapping[str, Any]],
                      indicators: Mapping[str, Mapping[str, Any]]) -> Catalog:
    """Return a rules Catalog rebuilt from pulled rows: standard data (code, title, field,
    mandatory, editions: [ids]), edition data by id (with `indicator_ids`) and indicator
    data by id. Editions or indicators that are missing are skipped.

    Raises KeyError/ValueError/TypeError when a row is malformed (as Catalog.from_dicts).
    """
    dicts = []
    for std in standards:
        eds = []
        for edition_id in std.get("editions", ()):
            ed = editions.get(edition_id)
            if ed is None:
                continue
            inds = [indicators[i] for i in ed.get("indicator_ids", ()) if i in indicators]
            eds.append({**ed, "indicators": inds})
        if eds:
            dicts.append({**std, "editions": eds})
    return Catalog.from_dicts(dicts)


@functools.cache
def _checks_file() -> dict[str, list[dict[str, Any]]]:
    return json.loads(CONSUMER_CHECKS.read_text(encoding="utf-8"))


def consumer_checks(standard_code: str | None, *, category: str | None = None,
                    product_class: str | None = None) -> list[dict[str, Any]]:
    """Return the consumer checks of a standard ("*" = checks for every product) whose
    `when` (classes / categories) matches; each {title, text, title_en, text_en}."""
    out = []
    for item in _checks_file().get(standard_code or "*", ()):
        when = item.get("when") or {}
        if when.get("classes") and product_class not in when["classes"]:
            continue
        if when.get("categories") and category not in when["categories"]:
            continue
        out.append({k: item.get(k) for k in ("title", "text", "title_en", "text_en")})
    return out


def standard_refs(product: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the product's standard references as [{standard, edition, category, classes}]
    (plain codes such as "GB 18401" and edition ids become dicts). Raises nothing."""
    refs = []
    for item in product.get("standards") or ():
        if isinstance(item, str):
            code, _, year = item.strip().rpartition("-") if "-" in item else (item.strip(), "", "")
            edition = item.strip() if year.isdigit() and len(year) == 4 else None
            refs.append({"standard": code if edition else item.strip(), "edition": edition,
                         "category": None, "classes": []})
        elif isinstance(item, Mapping) and item.get("standard"):
            refs.append({"standard": str(item["standard"]), "edition": item.get("edition"),
                         "category": item.get("category"), "classes": list(item.get("classes") or [])})
    return refs


def _pick_edition(std: Standard, pinned: str | None, on: date) -> Edition:
    if pinned:
        return std.edition(pinned)
    try:
        return edition_in_force(std, on)
    except NoEditionInForce:
        return min(std.editions, key=lambda e: e.effective)


def _indicator_row(ind: Indicator, edition: Edition) -> dict[str, Any]:
    clause = edition.clause(ind.clause)
    return {"id": ind.id, "name": ind.name, "name_en": ind.name_en, "limit": ind.limit,
            "unit": ind.unit, "clause": ind.clause, "clause_title": clause.title if clause else None,
            "test_method": ind.test_method, "classes": list(ind.classes),
            "confirmed": ind.confirmed, "unverified": list(ind.unverified)}


def edition_row(edition: Edition, std: Standard, on: date) -> dict[str, Any]:
    """Return a JSON-ready summary of an edition with its status on `on`."""
    label = status(edition, on, std)
    return {"id": edition.id, "title": edition.title, "title_en": edition.title_en,
            "effective": edition.effective.isoformat(),
            "withdrawn": edition.withdrawn.isoformat() if edition.withdrawn else None,
            "issued": edition.issued.isoformat() if edition.issued else None,
            "replaces": list(edition.replaces), "replaced_by": edition.replaced_by,
            "status": label, "status_key": status_key(label),
            "transition": (edition.transition.note if edition.transition else None),
            "openstd_hcno": edition.openstd_hcno}


def key_indicators(edition: Edition, category: str | None, product_class: str | None) -> list[dict[str, Any]]:
    """Return the key indicators that apply to the product (all applicable ones, at most
    MAX_FALLBACK_INDICATORS, when the edition marks none as key)."""
    applicable = applicable_indicators(edition, category, product_class)
    chosen = [i for i in applicable if i.key] or list(applicable[:MAX_FALLBACK_INDICATORS])
    return [_indicator_row(i, edition) for i in chosen]


def describe_standard(catalog: Catalog, ref: Mapping[str, Any], on: date, *,
                      product_category: str | None = None, product_class: str | None = None) -> dict[str, Any]:
    """Return the view of one standard reference for a product on date `on`: code, title,
    edition, status (现行/即将实施/废止) and status_key, category, classes, key indicators,
    the next edition if one is coming, consumer checks. A standard the catalog does not
    hold gives `known: False` and a Chinese note. Raises nothing."""
    code = ref["standard"]
    try:
        std = catalog.standard(code)
        edition = _pick_edition(std, ref.get("edition"), on)
    except RulesError:
        return {"code": code, "known": False, "edition": ref.get("edition"), "title": None,
                "status": None, "status_key": None, "classes": [], "key_indicators": [],
                "consumer_checks": consumer_checks(code),
                "note": "本机标准库中暂无此标准，请同步后再查 (standard not in the local catalog)"}
    category_id = ref.get("category")
    if not category_id and product_category and edition.category(product_category):
        category_id = product_category
    category = edition.category(category_id) if category_id else None
    class_ids = list(ref.get("classes") or [])
    if not class_ids and product_class and any(c.id == product_class for c in edition.classes):
        class_ids = [product_class]
    if not class_ids and category is not None and category.required_class:
        class_ids = [category.required_class]
    classes = [{"id": c.id, "name": c.name, "description": c.description}
               for c in edition.classes if c.id in class_ids]
    row = edition_row(edition, std, on)
    upcoming = sorted((e for e in std.editions if e.effective > on and e.effective > edition.effective),
                      key=lambda e: e.effective)
    first_class = class_ids[0] if class_ids else None
    return {
        "code": std.code, "known": True, "title": std.title, "title_en": std.title_en,
        "field": std.field, "mandatory": std.mandatory,
        "edition": edition.id, "edition_title": edition.title, "pinned": bool(ref.get("edition")),
        "status": row["status"], "status_key": row["status_key"],
        "effective": row["effective"], "withdrawn": row["withdrawn"], "replaced_by": edition.replaced_by,
        "category": {"id": category.id, "name": category.name} if category else None,
        "classes": classes,
        "key_indicators": key_indicators(edition, category.id if category else None, first_class),
        "next_edition": edition_row(upcoming[0], std, on) if upcoming else None,
        "consumer_checks": consumer_checks(std.code, category=category.id if category else None,
                                           product_class=first_class),
    }


def describe_standards(product: Mapping[str, Any], catalog: Catalog, on: date) -> list[dict[str, Any]]:
    """Return `describe_standard` for every standard the product names, in its order."""
    return [describe_standard(catalog, ref, on, product_category=product.get("category"),
                              product_class=product.get("product_class"))
            for ref in standard_refs(product)]
