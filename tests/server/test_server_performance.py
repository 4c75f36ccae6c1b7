"""Budgets that keep the server fast enough for a week of offline work (SQLite)."""
import time

import pytest
from server_testkit import finding, inspection_item

pytestmark = pytest.mark.slow


@pytest.fixture
def sqlite_api(tmp_path):
    from server_testkit import Api, make_app
    return Api(make_app(f"sqlite:///{tmp_path / 'p.db'}"))


def test_push_1000_inspections_with_5_findings_each(sqlite_api):
    token = sqlite_api.device("insp_chaoyang")
    batches = [[inspection_item(findings=[finding(measured=str(10 + k)) for k in range(5)]) for _ in range(100)]
               for _ in range(10)]
    start = time.perf_counter()
    for batch in batches:
        r = sqlite_api.push(batch, token=token)
        assert r.status_code == 200
        assert {x["status"] for x in r.json["results"]} == {"applied"}
    elapsed = time.perf_counter() - start
    # measured 1.5-2.1 s on 2 cores; the budget leaves room for a busy CI machine
    assert elapsed < 8, f"push of 1000 inspections took {elapsed:.1f} s"


def test_synthetic_catalog_of_20000_indicators_imports_in_seconds(sqlite_api):
    import json

    import assets
    from assets.synthetic import generate
    from rules.catalog import Catalog
    from server.catalog.importer import import_catalog
    from server.kernel.extensions import db
    real = json.loads(assets.canonical_json(assets.load_catalog()))
    catalog = Catalog.from_dicts(real + generate(500, 20000))
    with sqlite_api.app.app_context():
        start = time.perf_counter()
        summary = import_catalog(catalog, source="synthetic")
        db.session.commit()
        elapsed = time.perf_counter() - start
    assert summary["indicator"]["added"] == 20000
    assert elapsed < 15, f"import took {elapsed:.1f} s"
