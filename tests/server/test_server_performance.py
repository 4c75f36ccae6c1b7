"""A week of offline work in one go (SQLite): 1000 inspections pushed in batches, a 20,000-indicator
catalog imported. Their speed is measured by bench/ (bench/catalog_import.py, bench/sync.py), not
asserted here: a timed test fails on a busy machine and passes on a quiet one whatever the code does."""

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
    for batch in batches:
        r = sqlite_api.push(batch, token=token)
        assert r.status_code == 200
        assert {x["status"] for x in r.json["results"]} == {"applied"}
    from server.inspections.models import Finding, Inspection
    from server.kernel.extensions import db
    with sqlite_api.app.app_context():
        assert db.session.query(Inspection).count() == 1000
        assert db.session.query(Finding).count() == 5000


def test_synthetic_catalog_of_20000_indicators_imports_once(sqlite_api):
    import json

    import assets
    from assets.synthetic import generate
    from rules.catalog import Catalog
    from server.catalog.importer import import_catalog
    from server.kernel.extensions import db
    real = json.loads(assets.canonical_json(assets.load_catalog()))
    catalog = Catalog.from_dicts(real + generate(500, 20000))
    with sqlite_api.app.app_context():
        summary = import_catalog(catalog, source="synthetic")
        db.session.commit()
        again = import_catalog(catalog, source="synthetic")
    assert summary["indicator"]["added"] == 20000
    assert again["indicator"]["added"] == 0 and again["indicator"]["changed"] == 0
