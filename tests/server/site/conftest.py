"""Site fixtures: one app (SQLite) with the demo world, the synthetic catalog beside the real
one (marked as test data by the import) and one published interpretation."""
from __future__ import annotations

import json
from datetime import date

import pytest
from server_testkit import dispose_app, make_app

import assets
from assets.synthetic import generate
from rules.catalog import Catalog


@pytest.fixture(scope="module")
def site_app(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('site') / 'server.db'}")
    from server.accounts import service as accounts
    from server.catalog.service import import_catalog
    from server.interpretations.service import publish
    from server.kernel.uow import unit_of_work
    with app.app_context():
        real = json.loads(assets.canonical_json(assets.load_catalog()))
        with unit_of_work():
            import_catalog(Catalog.from_dicts(real + generate(5, 40)), source="test",
                           effective_from=date(2000, 1, 1))
        with unit_of_work():
            publish(accounts.principal_of("expert", token_id="t"), title="婴幼儿纺织产品甲醛含量按修约值比较",
                    text="GB 18401-2010 第4.1条的甲醛含量，按 GB/T 8170 修约值比较法判定。",
                    effect={"method": "rounded"}, effective=date(2020, 1, 1),
                    clauses=[{"edition_id": "GB 18401-2010", "clause": "4.1"}])
    yield app
    dispose_app(app)


@pytest.fixture
def client(site_app):
    return site_app.test_client()
