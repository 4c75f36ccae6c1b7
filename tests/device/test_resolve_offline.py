"""Offline resolution on the tablet: products and standards arrive by pull from the real
server, then a scan resolves from the device store alone."""
from __future__ import annotations

from datetime import date

import pytest

from device import open_store, resolve_scan
from sync.client import SyncClient, WsgiTransport
from sync.client.local import store_page
from sync.protocol import Change
from tests.server.registry.registry_kit import BABY, EBIKE, registry_app

ON = date(2026, 11, 24)


@pytest.fixture(scope="module")
def synced_store(tmp_path_factory):
    from tests.server.server_testkit import Api

    base = tmp_path_factory.mktemp("offline")
    app = registry_app(f"sqlite:///{base / 'server.db'}")
    token = Api(app).device("insp_chaoyang")
    store = open_store(base / "device.sqlite")
    report = SyncClient(store, WsgiTransport(app, token)).sync()
    assert not report.errors, report.errors
    yield store
    store.close()


def test_products_reach_the_device_by_pull(synced_store):
    counts = synced_store.counts()
    assert counts["catalog.product"] == 11
    assert synced_store.catalog.row("product", BABY)["standards"][0] == {
        "standard": "GB 18401", "edition": None, "category": "infant", "classes": ["A"]}


@pytest.mark.parametrize("scan", [
    f"https://id.gs1.org/01/{BABY}/10/B2025-06",
    f"http://gbfield.test/01/{BABY[1:]}/10/%E6%89%B9%E6%AC%A1A",      # GTIN-13, Chinese lot (lenient)
    f"(01){BABY}(10)B2025-06(17)261231",
    f"01{BABY}10B2025-06\x1d17261231",                                # scan data with GS
    BABY[1:],
])
def test_scan_resolves_offline(synced_store, scan):
    answer = resolve_scan(synced_store.catalog, scan, on=ON)
    assert answer.found, answer.message
    assert answer.product["name"] == "婴儿纯棉连体衣 59cm"
    by_code = {s["code"]: s for s in answer.standards}
    assert list(by_code) == ["GB 18401", "GB 31701"]
    gb18401 = by_code["GB 18401"]
    assert (gb18401["edition"], gb18401["status"], gb18401["classes"][0]["id"]) == ("GB 18401-2010", "现行", "A")
    limits = {(i["name"], i["limit"], i["unit"]) for i in gb18401["key_indicators"]}
    assert ("甲醛含量", "≤20", "mg/kg") in limits and ("甲醛含量", "≤75", "mg/kg") not in limits
    assert any("婴幼儿用品" in c["title"] for c in gb18401["consumer_checks"])


def test_edition_follows_the_date(synced_store):
    before = resolve_scan(synced_store.catalog, EBIKE, on=date(2025, 8, 1)).standards[0]
    after = resolve_scan(synced_store.catalog, EBIKE, on=date(2025, 9, 1)).standards[0]
    assert (before["edition"], before["next_edition"]["id"]) == ("GB 17761-2018", "GB 17761-2024")
    assert (after["edition"], after["status"], after["next_edition"]) == ("GB 17761-2024", "现行", None)


@pytest.mark.parametrize("scan, status, words", [
    ("06900000000014", "not_in_registry", "商品库中没有商品条码 06900000000014"),
    ("06901234567893", "invalid", "校验位错误"),
    ("hello", "invalid", "无法识别"),
    ("https://gbfield.test/s/GB%2018401-2010/4.1", "standard", "GB 18401-2010"),
    ("GB 9999-2020", "unknown_standard", "本机标准库中没有 GB 9999-2020"),
])
def test_other_answers(synced_store, scan, status, words):
    answer = resolve_scan(synced_store.catalog, scan, on=ON)
    assert answer.status == status and words in answer.message
    assert answer.to_dict()["status"] == status


def test_a_standard_missing_from_the_cache_is_marked(tmp_path):
    store = open_store(tmp_path / "d.sqlite")
    store_page(store, [Change(seq=1, entity="product", id=BABY, op="upsert", version=1,
                              data={"gtin": BABY, "name": "连体衣", "standards": ["GB 18401"]})], 1)
    answer = resolve_scan(store.catalog, BABY, on=ON)
    store.close()
    assert answer.found and answer.standards[0]["known"] is False
    assert "暂无此标准" in answer.standards[0]["note"]
