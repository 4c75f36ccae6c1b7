"""标准: the console's standard view. Every standard with its editions (status, indicators,
how many values are 待核实), and one edition: its dates, the related-standards chain
(`assets.registry.chain_view`: editions and what they replace, amendments, standards met
together, test methods) and its clauses and indicators, every value no public source
confirmed marked 待核实 (never shown as confirmed). Any console user may read it."""
from __future__ import annotations

from datetime import date

from flask import render_template, request

from assets.messages import words
from assets.registry.chain_view import chain_view, edition_marks, parts_note, unverified_marks
from assets.registry.view import edition_row
from rules.catalog import Catalog, Edition, Standard
from rules.editions import edition_in_force
from rules.errors import NoEditionInForce, RulesError
from server.catalog.view import current_catalog
from server.kernel import clock
from server.kernel.console import LOCAL_TZ, bp, lang, require_action
from server.kernel.errors import NotFound

METHOD_KEYS = {"full": "method_full", "rounded": "method_rounded"}


def _today() -> date:
    return clock.now().astimezone(LOCAL_TZ).date()


def standards_list(catalog: Catalog, on: date, *, only_unconfirmed: bool = False) -> list[dict]:
    """Return one row per standard: {code, title, field, editions: [edition_row + indicators,
    unconfirmed]}, newest edition first; with `only_unconfirmed`, only standards that have
    a value 待核实."""
    rows = []
    for std in catalog.standards:
        editions = [dict(edition_row(e, std, on), indicators=len(e.indicators),
                         unconfirmed=sum(1 for i in e.indicators if not i.confirmed))
                    for e in sorted(std.editions, key=lambda e: e.effective, reverse=True)]
        if only_unconfirmed and not any(e["unconfirmed"] for e in editions):
            continue
        rows.append({"code": std.code, "title": std.title, "field": std.field, "editions": editions})
    return rows


def _clauses(edition: Edition, language: str) -> list[dict]:
    out = []
    for clause in edition.clauses:
        members = [i for i in edition.indicators if i.clause == clause.number]
        number_unverified = any("clause" in i.unverified for i in members)
        skip = ("clause",) if number_unverified else ()
        out.append({"number": clause.number, "title": clause.title, "summary": clause.summary,
                    "number_note": parts_note(("clause",), language) if number_unverified else None,
                    "indicators": [{"id": i.id, "name": i.name, "name_en": i.name_en, "limit": i.limit,
                                    "unit": i.unit, "kind": i.kind, "classes": list(i.classes),
                                    "categories": list(i.categories), "test_method": i.test_method,
                                    "method": METHOD_KEYS.get(i.method, i.method), "key": i.key,
                                    "source": i.source, "confirmed": i.confirmed,
                                    "marks": unverified_marks(i, language, skip=skip)} for i in members]})
    out.sort(key=lambda c: [int(p) if p.isdigit() else p for p in c["number"].split(".")])
    return out


def edition_view(catalog: Catalog, std: Standard, edition: Edition, on: date, language: str) -> dict:
    """Return what the console's edition page shows: edition (edition_row + marks), the
    other editions, clauses with marked indicators, unconfirmed (count), chain."""
    return {"code": std.code, "title": std.title, "title_en": std.title_en, "field": std.field,
            "edition": dict(edition_row(edition, std, on), marks=edition_marks(edition, language),
                            source=edition.source),
            "editions": [edition_row(e, std, on) for e in sorted(std.editions, key=lambda e: e.effective, reverse=True)],
            "categories": {c.id: c.name for c in edition.categories},
            "clauses": _clauses(edition, language),
            "unconfirmed": sum(1 for i in edition.indicators if not i.confirmed),
            "indicators": len(edition.indicators),
            "chain": chain_view(catalog, edition.id, on, language)}


@bp.route("/standards/")
def standards():
    """Every standard and its editions; ?unverified=1 lists only those with values 待核实."""
    require_action("console.enter")
    only = request.args.get("unverified") == "1"
    catalog = current_catalog()
    rows = standards_list(catalog, _today(), only_unconfirmed=only)
    total = sum(len(e.indicators) for s in catalog.standards for e in s.editions)
    unconfirmed = sum(1 for i in catalog.indicators() if not i.confirmed)
    return render_template("console/standards.html", rows=rows, only_unconfirmed=only, total=total,
                           unconfirmed=unconfirmed, share=f"{100 * (total - unconfirmed) / total:.1f} %" if total else "—")


@bp.route("/standards/<path:edition_id>")
def standard(edition_id: str):
    """One edition (or a standard's edition in force): chain, clauses, indicators marked 待核实."""
    require_action("console.enter")
    catalog = current_catalog()
    on = _today()
    try:
        edition = catalog.edition(edition_id)
        std = catalog.standard(edition.standard_code)
    except RulesError:
        try:
            std = catalog.standard(edition_id)
        except RulesError:
            raise NotFound("standard", code=edition_id) from None
        edition = _in_force(std, on)
    return render_template("console/standard.html", p=edition_view(catalog, std, edition, on, lang()),
                           cw=words("chain", lang()))


def _in_force(std: Standard, on: date) -> Edition:
    try:
        return edition_in_force(std, on)
    except NoEditionInForce:
        return min(std.editions, key=lambda e: e.effective)
