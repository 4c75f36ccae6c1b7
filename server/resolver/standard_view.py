"""The view of a standard for `/s/<standard>[/<clause>]`: editions with status, the
indicators of the chosen edition grouped by clause (one clause when the link names it),
each marked 待核实 when no public source confirmed it, and the related-standards chain
(`assets.registry.chain_view`)."""
from __future__ import annotations

from datetime import date
from typing import Any

from assets.registry.chain_view import chain_view, edition_marks, parts_note, unverified_marks
from assets.registry.view import consumer_checks, edition_row
from codes import StandardRef, build_standard_link
from rules.catalog import Catalog, Standard
from rules.editions import edition_in_force
from rules.errors import NoEditionInForce

OPENSTD_URL = "https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno="


def standard_page(std: Standard, ref: StandardRef, *, on: date, base: str, catalog: Catalog,
                  lang: str = "zh") -> dict[str, Any]:
    """Return {code, title, …, edition (chosen, with `marks` of its unverified dates),
    editions: [...], clause, clauses: [{number, title, summary, indicators (each with
    `confirmed` and `marks`)}], unconfirmed (count), chain (chain_view in `lang`),
    consumer_checks, openstd_url}. The chosen edition is the
    one the link names, else the one in force on `on` (else the earliest upcoming).
    Raises rules.errors.UnknownEdition when the link names an edition the standard lacks."""
    if ref.edition:
        edition = std.edition(ref.edition)
    else:
        try:
            edition = edition_in_force(std, on)
        except NoEditionInForce:
            edition = min(std.editions, key=lambda e: e.effective)
    clauses = []
    for clause in edition.clauses:
        if ref.clause and clause.number != ref.clause:
            continue
        members = [i for i in edition.indicators if i.clause == clause.number]
        number_unverified = any("clause" in i.unverified for i in members)
        skip = ("clause",) if number_unverified else ()
        indicators = [{"id": i.id, "name": i.name, "name_en": i.name_en, "limit": i.limit, "unit": i.unit,
                       "classes": list(i.classes), "categories": list(i.categories),
                       "test_method": i.test_method, "key": i.key, "note": i.note, "kind": i.kind,
                       "confirmed": i.confirmed, "unverified": list(i.unverified),
                       "marks": unverified_marks(i, lang, skip=skip)}
                      for i in members]
        clauses.append({"number": clause.number, "title": clause.title, "summary": clause.summary,
                        "indicators": indicators,
                        "number_note": parts_note(("clause",), lang) if number_unverified else None,
                        "href": build_standard_link(edition.id, clause.number, base=base)})
    clauses.sort(key=lambda c: [int(p) if p.isdigit() else p for p in c["number"].split(".")])
    categories = {c.id: c.name for c in edition.categories}
    return {
        "code": std.code, "title": std.title, "title_en": std.title_en, "field": std.field,
        "mandatory": std.mandatory, "edition": dict(edition_row(edition, std, on), marks=edition_marks(edition, lang)),
        "editions": [dict(edition_row(e, std, on), href=build_standard_link(e.id, base=base))
                     for e in sorted(std.editions, key=lambda e: e.effective, reverse=True)],
        "classes": [{"id": c.id, "name": c.name, "description": c.description} for c in edition.classes],
        "categories": categories,
        "clause": ref.clause, "clause_title": ref.params.get("t"),
        "clause_found": bool(clauses) or not ref.clause, "clauses": clauses,
        "unconfirmed": sum(1 for c in clauses for i in c["indicators"] if not i["confirmed"]),
        "chain": _linked(chain_view(catalog, edition.id, on, lang), base),
        "consumer_checks": consumer_checks(std.code),
        "openstd_url": OPENSTD_URL + edition.openstd_hcno if edition.openstd_hcno else None,
        "checked_on": on.isoformat(),
        "href": build_standard_link(edition.id, base=base),
    }


def _linked(view: dict[str, Any], base: str) -> dict[str, Any]:
    """Add `href` (this resolver's /s/ page) to each chain item that is in the catalog."""
    for group in view["groups"]:
        for item in group["entries"]:
            item["href"] = build_standard_link(item["edition_id"], base=base) if item.get("edition_id") else None
    return view
