"""Load a `rules.catalog.Catalog` into the database as upserts with change rows.

Only rows whose content changed get a new version and a change; rows that left the
catalog become tombstones; a new rule-set version is created when the catalog digest
changed (server.rulesets). Bulk statements throughout: the synthetic 20,000-indicator catalog imports in
a few seconds.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from assets.synthetic import is_synthetic
from server.catalog.models import Clause, Edition, Indicator, Standard
from server.kernel import clock
from server.kernel.changes import record_change
from server.kernel.extensions import db
from server.kernel.types import content_hash
from server.rulesets import service as rulesets
from sync.protocol import OP_DELETE, OP_UPSERT


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _plain(value: Any) -> Any:
    """Return `value` (dataclass dicts) with dates as ISO strings and tuples as lists."""
    return json.loads(json.dumps(value, default=_json_default, ensure_ascii=False))


def catalog_rows(catalog) -> dict[str, list[dict]]:
    """Return {"standard": [...], "edition": [...], "indicator": [...]} of pull `data` dicts."""
    standards, editions, indicators = [], [], []
    for std in catalog.standards:
        standards.append({"code": std.code, "title": std.title, "title_en": std.title_en,
                          "field": std.field, "mandatory": std.mandatory,
                          "editions": [e.id for e in std.editions]})
        for ed in std.editions:
            d = asdict(ed)
            d.pop("indicators")
            d["indicator_ids"] = [i.id for i in ed.indicators]
            editions.append(_plain(d))
            indicators.extend(_plain(asdict(i)) for i in ed.indicators)
    return {"standard": standards, "edition": editions, "indicator": indicators}


_TABLES = {"standard": (Standard, "code"), "edition": (Edition, "id"), "indicator": (Indicator, "id")}


#: an indicator whose `unverified` holds one of these is not confirmed (rules.catalog.Indicator.confirmed)
UNCONFIRMED_PARTS = frozenset({"value", "grade_table"})


def indicator_columns(data: dict) -> dict:
    """Return the indicator table's columns of a pulled indicator row `data`."""
    unverified = list(data.get("unverified") or ())
    return {"id": data["id"], "edition_id": data["edition_id"], "clause": data["clause"],
            "kind": data.get("kind") or "limit", "confirmed": not UNCONFIRMED_PARTS & set(unverified),
            "unverified": unverified, "answers": list(data.get("answers") or ()),
            "grade_table": data.get("grade_table")}


def edition_columns(data: dict) -> dict:
    """Return the edition table's columns of a pulled edition row `data`."""
    return {"id": data["id"], "standard_code": data["standard_code"],
            "effective": date.fromisoformat(data["effective"]),
            "withdrawn": date.fromisoformat(data["withdrawn"]) if data.get("withdrawn") else None,
            "relations": list(data.get("relations") or ()), "amendments": list(data.get("amendments") or ()),
            "unverified": list(data.get("unverified") or ())}


def _columns(entity: str, data: dict) -> dict:
    if entity == "standard":
        return {"id": data["code"], "title": data["title"], "field": data["field"],
                "mandatory": bool(data["mandatory"])}
    if entity == "edition":
        return edition_columns(data)
    return indicator_columns(data)


def _sync_table(entity: str, rows: Iterable[dict], prune: bool) -> dict[str, int]:
    model, key = _TABLES[entity]
    existing = {r.id: r for r in db.session.execute(
        select(model.id, model.version, model.content_hash, model.deleted_at))}
    now = clock.now()
    inserts, updates, seen = [], [], set()
    counts = {"added": 0, "changed": 0, "unchanged": 0, "removed": 0}
    for data in rows:
        ident = data[key]
        seen.add(ident)
        digest = content_hash(data)
        old = existing.get(ident)
        if old is not None and old.content_hash == digest and old.deleted_at is None:
            counts["unchanged"] += 1
            continue
        values = {**_columns(entity, data), "content_hash": digest, "data": data,
                  "updated_at": now, "deleted_at": None}
        if old is None:
            values["version"] = 1
            inserts.append(values)
            counts["added"] += 1
        else:
            values["version"] = old.version + 1
            updates.append(values)
            counts["changed"] += 1
        record_change(entity, ident, OP_UPSERT, values["version"], data)
    if prune:
        for ident, old in existing.items():
            if ident not in seen and old.deleted_at is None:
                updates.append({"id": ident, "version": old.version + 1, "deleted_at": now, "updated_at": now})
                record_change(entity, ident, OP_DELETE, old.version + 1, None)
                counts["removed"] += 1
    if inserts:
        db.session.execute(insert(model), inserts)
    if updates:
        db.session.execute(update(model), updates)
    return counts


def _sync_clauses(editions: list[dict]) -> None:
    wanted = {(e["id"], c["number"]): c for e in editions for c in e.get("clauses", ())}
    have = {(r.edition_id, r.number): r for r in db.session.execute(
        select(Clause.edition_id, Clause.number, Clause.title, Clause.summary))}
    new = [{"edition_id": k[0], "number": k[1], "title": c["title"], "summary": c.get("summary")}
           for k, c in wanted.items() if k not in have]
    changed = [{"edition_id": k[0], "number": k[1], "title": c["title"], "summary": c.get("summary")}
               for k, c in wanted.items() if k in have and
               (have[k].title, have[k].summary) != (c["title"], c.get("summary"))]
    if new:
        db.session.execute(insert(Clause), new)
    if changed:
        db.session.execute(update(Clause), changed)


def _mark_test_data(codes: set[str]) -> None:
    """Set `standards.test_data` to exactly the synthetic standards `codes` (assets.synthetic)."""
    marked = set(db.session.execute(select(Standard.id).where(Standard.test_data.is_(True))).scalars())
    for ids, value in ((sorted(marked - codes), False), (sorted(codes - marked), True)):
        for k in range(0, len(ids), 900):
            db.session.execute(update(Standard).where(Standard.id.in_(ids[k:k + 900])).values(test_data=value))


def import_catalog(catalog, *, source: str, prune: bool = True,
                   effective_from: date | None = None) -> dict:
    """Upsert `catalog` (a rules.catalog.Catalog) with change rows; returns a summary
    `{standard: {added, changed, unchanged, removed}, edition: …, indicator: …, ruleset: str,
    ruleset_created: bool}`. The caller commits. Raises database errors only.
    """
    rows = catalog_rows(catalog)
    summary: dict[str, Any] = {}
    for entity in ("standard", "edition", "indicator"):
        summary[entity] = _sync_table(entity, rows[entity], prune)
    _sync_clauses(rows["edition"])
    _mark_test_data({std.code for std in catalog.standards if is_synthetic(std)})
    ruleset, created = rulesets.ensure_ruleset(catalog, source=source, effective_from=effective_from)
    summary["ruleset"] = ruleset.version
    summary["ruleset_created"] = created
    return summary
