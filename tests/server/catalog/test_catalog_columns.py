"""The catalog model's columns (kind, confirmed, unverified, answers, grade_table;
relations, amendments) written by the import, equal to what devices pull."""
from __future__ import annotations

import json

from sqlalchemy import select

import assets
from assets.registry import catalog_from_rows
from rules.catalog import Catalog
from server.catalog import service as catalog
from server.catalog.models import Edition, Indicator
from server.kernel.extensions import db
from sync.protocol import PullPage

MARKING = "GB 7718-2011/4.1.2/food-name"
ENERGY_EDITION = "GB 21455-2019"


def _packaged():
    return assets.load_catalog()


def test_every_indicator_row_has_the_models_fields(app):
    packaged = {i.id: i for i in _packaged().indicators()}
    with app.app_context():
        rows = db.session.execute(select(Indicator).where(Indicator.deleted_at.is_(None))).scalars().all()
        assert len(rows) == len(packaged)
        for row in rows:
            ind = packaged[row.id]
            assert row.kind == ind.kind, row.id
            assert row.confirmed == ind.confirmed, row.id
            assert row.unverified == list(ind.unverified), row.id
            assert row.answers == row.data["answers"] and len(row.answers) == len(ind.answers), row.id
            assert (row.grade_table is None) == (ind.grade_table is None), row.id
            assert row.grade_table == row.data["grade_table"], row.id
        kinds = {r.kind for r in rows}
        assert kinds == {"limit", "marking", "energy_grade"}
        assert any(not r.confirmed for r in rows) and any(r.confirmed for r in rows)


def test_edition_rows_carry_relations_amendments_and_unverified(app):
    packaged = {e.id: e for s in _packaged().standards for e in s.editions}
    with app.app_context():
        rows = {r.id: r for r in db.session.execute(select(Edition)).scalars()}
        assert set(rows) == set(packaged)
        for ident, ed in packaged.items():
            assert len(rows[ident].relations) == len(ed.relations), ident
            assert [a["id"] for a in rows[ident].amendments] == [a.id for a in ed.amendments], ident
            assert rows[ident].unverified == list(ed.unverified), ident
        together = [r["target"] for r in rows["GB 31701-2015"].relations if r["type"] == "together"]
        assert together == ["GB 18401"]
        assert [a["id"] for a in rows["GB 20891-2014"].amendments] == ["XG1-2020"]


def test_unconfirmed_indicators_and_info(app):
    packaged = _packaged()
    with app.app_context():
        unconfirmed = catalog.unconfirmed_indicators()
        assert unconfirmed == sorted(i.id for i in packaged.indicators() if not i.confirmed)
        assert catalog.unconfirmed_indicators(ENERGY_EDITION)          # the grade tables are unconfirmed
        info = catalog.indicator_info([MARKING, unconfirmed[0]])
        assert info[MARKING]["kind"] == "marking" and info[MARKING]["confirmed"] is True
        assert info[unconfirmed[0]]["confirmed"] is False
        assert {"value", "grade_table"} & set(info[unconfirmed[0]]["unverified"])


def test_pull_rows_carry_the_fields_and_the_device_rebuilds_them(api):
    rows = {"standard": {}, "edition": {}, "indicator": {}}
    since = 0
    for _ in range(50):
        r = api.pull("insp_chaoyang", since=since, limit=1000, entities="standard,edition,indicator")
        assert r.status_code == 200, r.json
        page = PullPage.from_json(r.json, since=since)
        for change in page.changes:
            rows[change.entity][change.id] = change.data
        since = page.cursor
        if not page.has_more:
            break
    ind = rows["indicator"][MARKING]
    assert ind["kind"] == "marking" and ind["answers"] == [] and "unverified" in ind
    energy = next(d for d in rows["indicator"].values() if d["kind"] == "energy_grade")
    assert energy["grade_table"]["grades"][0]["grade"] == "1"
    assert rows["edition"]["GB 31701-2015"]["relations"]
    rebuilt = catalog_from_rows(rows["standard"].values(), rows["edition"], rows["indicator"])
    assert assets.catalog_digest(rebuilt) == assets.catalog_digest(_packaged())


def test_a_changed_unverified_mark_updates_the_column(app):
    """An indicator confirmed by a later import (its `unverified` emptied) turns confirmed."""
    with app.app_context():
        ident = catalog.unconfirmed_indicators()[0]
        dicts = json.loads(assets.canonical_json(_packaged()))
        for std in dicts:
            for ed in std["editions"]:
                for ind in ed["indicators"]:
                    if ind["id"] == ident:
                        ind["unverified"] = []
        summary = catalog.import_catalog(Catalog.from_dicts(dicts), source="test")
        db.session.commit()
        assert summary["indicator"]["changed"] == 1
        row = db.session.get(Indicator, ident)
        assert row.confirmed is True and row.unverified == [] and row.version == 2
        assert ident not in catalog.unconfirmed_indicators()
