"""The catalog feature's public service: importing the standards catalog (or a committee
workbook, `import_workbook`), the live catalog
as a `rules.catalog.Catalog`, the nightly edition status, and the lookups other features
make (indicators, editions, clauses, standards)."""
from __future__ import annotations

import types
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select

from rules.editions import status
from server.catalog.importer import catalog_rows, import_catalog
from server.catalog.models import Clause, Edition, EditionStatusMark, Indicator, Standard
from server.catalog.view import build_catalog, current_catalog
from server.catalog.workbook import import_workbook
from server.kernel.changes import record_change
from server.kernel.extensions import db
from sync.protocol import OP_UPSERT

__all__ = [
    "build_catalog", "catalog_rows", "clause_exists", "clause_titles", "current_catalog", "edition_exists",
    "edition_field", "edition_ids_of_standard", "edition_standards", "import_catalog", "import_workbook",
    "indicator_editions",
    "indicator_info", "indicator_places", "indicator_standards", "indicator_units", "indicators_of_clause",
    "known_indicators", "refresh_edition_status", "standard_titles", "test_data_standards",
    "unconfirmed_indicators",
]
_CHUNK = 900


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted({v for v in values if isinstance(v, str)})
    for k in range(0, len(ordered), _CHUNK):
        yield ordered[k:k + _CHUNK]


def known_indicators(ids: Iterable[str]) -> set[str]:
    """Return the ids among `ids` that are catalog indicators (non-strings are ignored)."""
    found: set[str] = set()
    for chunk in _chunks(ids):
        found |= set(db.session.execute(select(Indicator.id).where(Indicator.id.in_(chunk))).scalars())
    return found


def indicator_info(ids: Iterable[str | None]) -> dict[str, dict]:
    """Return {indicator id: {name, name_en, limit, unit, clause, edition_id, kind, confirmed,
    unverified}} from the catalog."""
    out = {}
    for chunk in _chunks(i for i in ids if i):
        for row in db.session.execute(select(Indicator).where(Indicator.id.in_(chunk))).scalars():
            data = row.data or {}
            out[row.id] = {"name": data.get("name") or row.id, "name_en": data.get("name_en") or data.get("name"),
                           "limit": data.get("limit"), "unit": data.get("unit"), "clause": row.clause,
                           "edition_id": row.edition_id, "kind": row.kind, "confirmed": row.confirmed,
                           "unverified": list(row.unverified or ())}
    return out


def unconfirmed_indicators(edition_id: str | None = None) -> list[str]:
    """Return the ids of the live indicators whose value no public source confirmed (shown
    待核实), of one edition or of all (sorted)."""
    query = select(Indicator.id).where(Indicator.confirmed.is_(False), Indicator.deleted_at.is_(None))
    if edition_id is not None:
        query = query.where(Indicator.edition_id == edition_id)
    return list(db.session.execute(query.order_by(Indicator.id)).scalars())


def indicator_places(ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Return {indicator id: (edition id, clause number)}."""
    out = {}
    for chunk in _chunks(ids):
        out.update({r.id: (r.edition_id, r.clause) for r in db.session.execute(
            select(Indicator.id, Indicator.edition_id, Indicator.clause).where(Indicator.id.in_(chunk)))})
    return out


def indicator_editions(ids: Iterable[str]) -> dict[str, str]:
    """Return {indicator id: edition id}."""
    return {ident: place[0] for ident, place in indicator_places(ids).items()}


def indicator_units(ids: Iterable[str]) -> list[str | None]:
    """Return the unit of each of the indicators `ids` that exists (in id order)."""
    units: list[str | None] = []
    for chunk in _chunks(ids):
        units += [(data or {}).get("unit") for data in db.session.execute(
            select(Indicator.data).where(Indicator.id.in_(chunk)).order_by(Indicator.id)).scalars()]
    return units


def indicator_standards(ids: Iterable[str]) -> dict[str, str]:
    """Return {indicator id: standard code} (through the indicator's edition)."""
    out = {}
    for chunk in _chunks(ids):
        out.update(dict(db.session.execute(
            select(Indicator.id, Edition.standard_code).join(Edition, Edition.id == Indicator.edition_id)
            .where(Indicator.id.in_(chunk))).all()))
    return out


def indicators_of_clause(edition_id: str, clause: str) -> list[str]:
    """Return the ids of the indicators of one clause of an edition (sorted)."""
    return list(db.session.execute(select(Indicator.id).where(Indicator.edition_id == edition_id,
                                                              Indicator.clause == clause)
                                   .order_by(Indicator.id)).scalars())


def edition_exists(edition_id: str) -> bool:
    """Return True when `edition_id` is an edition of the catalog."""
    return db.session.get(Edition, edition_id or "") is not None


def clause_exists(edition_id: str, number: str) -> bool:
    """Return True when the edition has clause `number`."""
    return db.session.get(Clause, (edition_id, number)) is not None


def clause_titles(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Return {(edition id, clause number): title} of the clauses that exist."""
    out = {}
    for edition_id, number in pairs:
        row = db.session.get(Clause, (edition_id, number))
        if row is not None:
            out[(edition_id, number)] = row.title
    return out


def edition_standards() -> dict[str, str]:
    """Return {edition id: standard code} of every edition."""
    return dict(db.session.execute(select(Edition.id, Edition.standard_code)).all())


def edition_ids_of_standard(code: str) -> list[str]:
    """Return the ids of the editions of standard `code`."""
    return list(db.session.execute(select(Edition.id).where(Edition.standard_code == code)).scalars())


def edition_field(edition_id: str | None) -> str | None:
    """Return the field ("textile", "food", ...) of the standard an edition belongs to."""
    if not edition_id:
        return None
    return db.session.execute(select(Standard.field).join(Edition, Edition.standard_code == Standard.id)
                              .where(Edition.id == edition_id)).scalar()


def test_data_standards() -> frozenset[str]:
    """Return the codes of the standards marked as test data (the synthetic catalog)."""
    return frozenset(db.session.execute(select(Standard.id).where(Standard.test_data.is_(True))).scalars())


def standard_titles(codes: Iterable[str] | None = None, *, public: bool = False) -> dict[str, str]:
    """Return {standard code: title} (of `codes`, or of every standard); `public` leaves out
    the standards marked as test data."""
    query = select(Standard.id, Standard.title)
    if public:
        query = query.where(Standard.test_data.is_(False), Standard.deleted_at.is_(None))
    if codes is not None:
        query = query.where(Standard.id.in_(sorted(set(codes))))
    return dict(db.session.execute(query).all())


def refresh_edition_status(now: datetime, today: date) -> dict:
    """Recompute every edition's status (现行/即将实施/废止) for `today`; for editions whose
    status changed since the last run, bump the edition and record an `edition` change (a
    catalog delta devices pull). The first run only records a baseline.
    Returns {"changed": [edition ids], "baseline": n}."""
    marks = {m.edition_id: m for m in db.session.execute(select(EditionStatusMark)).scalars()}
    changed, baseline = [], 0
    for row in db.session.execute(select(Edition).where(Edition.deleted_at.is_(None))
                                  .order_by(Edition.id)).scalars():
        current = status(types.SimpleNamespace(effective=row.effective, withdrawn=row.withdrawn,
                                               replaced_by=None), today)
        mark = marks.get(row.id)
        if mark is None:
            db.session.add(EditionStatusMark(edition_id=row.id, status=current, changed_at=now))
            baseline += 1
            continue
        if mark.status == current:
            continue
        mark.status, mark.changed_at = current, now
        row.version += 1
        row.updated_at = now
        row.data = {**row.data, "status": current, "status_changed_on": today.isoformat()}
        record_change("edition", row.id, OP_UPSERT, row.version, row.data)
        changed.append(row.id)
    return {"changed": changed, "baseline": baseline}
