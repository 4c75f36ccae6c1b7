"""The view of a standard for `/s/<standard>[/<clause>]`: editions with status and the
indicators of the chosen edition, grouped by clause (one clause when the link names it)."""
from __future__ import annotations

from datetime import date
from typing import Any

from assets.registry.view import consumer_checks, edition_row
from codes import StandardRef, build_standard_link
from rules.catalog import Standard
from rules.editions import edition_in_force
from rules.errors import NoEditionInForce

OPENSTD_URL = "https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno="


def standard_page(std: Standard, ref: StandardRef, *, on: date, base: str) -> dict[str, Any]:
    """Return {code, title, …, edition (chosen), editions: [...], clause, clauses: [{number,
    title, summary, indicators}], consumer_checks, openstd_url}. The chosen edition is the
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
        indicators = [{"id": i.id, "name": i.name, "name_en": i.name_en, "limit": i.limit, "unit": i.unit,
                       "classes": list(i.classes), "categories": list(i.categories),
                       "test_method": i.test_method, "key": i.key, "note": i.note}
                      for i in edition.indicators if i.clause == clause.number]
        clauses.append({"number": clause.number, "title": clause.title, "summary": clause.summary,
                        "indicators": indicators,
                        "href": build_standard_link(edition.id, clause.number, base=base)})
    clauses.sort(key=lambda c: [int(p) if p.isdigit() else p for p in c["number"].split(".")])
    categories = {c.id: c.name for c in edition.categories}
    return {
        "code": std.code, "title": std.title, "title_en": std.title_en, "field": std.field,
        "mandatory": std.mandatory, "edition": edition_row(edition, std, on),
        "editions": [dict(edition_row(e, std, on), href=build_standard_link(e.id, base=base))
                     for e in sorted(std.editions, key=lambda e: e.effective, reverse=True)],
        "classes": [{"id": c.id, "name": c.name, "description": c.description} for c in edition.classes],
        "categories": categories,
        "clause": ref.clause, "clause_title": ref.params.get("t"),
        "clause_found": bool(clauses) or not ref.clause, "clauses": clauses,
        "consumer_checks": consumer_checks(std.code),
        "openstd_url": OPENSTD_URL + edition.openstd_hcno if edition.openstd_hcno else None,
        "checked_on": on.isoformat(),
        "href": build_standard_link(edition.id, base=base),
    }
