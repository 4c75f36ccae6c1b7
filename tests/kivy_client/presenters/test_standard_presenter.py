"""StandardPresenter: the tablet's standard view — the related-standards chain and the
待核实 marks of a standard card, offline from a store a real server filled, in zh-CN and
English; the scan presenter's cards carry them."""
from __future__ import annotations

from datetime import date

import pytest
from tablet_kit import DEMO_GTIN

import assets
from kivy_client.presenters import ScanPresenter, StandardPresenter

ON = date(2026, 12, 1)


@pytest.mark.parametrize("lang, words", [
    ("zh_CN", ("须同时符合 GB 18401（GB 18401-2010 现行）", "检验方法标准：GB/T 30157、GB/T 20388")),
    ("en", ("Must also meet GB 18401（GB 18401-2010 Current）", "Test-method standards：GB/T 30157")),
])
def test_the_chain_of_an_edition(synced_store, lang, words):
    chain = StandardPresenter(synced_store, today=lambda: ON).chain("GB 31701-2015", lang)
    assert not chain["empty"]
    for text in words:
        assert any(line.startswith(text) for line in chain["lines"]), (text, chain["lines"])


@pytest.mark.parametrize("edition_id, start", [
    ("GB 18401-2010", "被要求同时符合 GB 31701-2015"), ("GB 18580-2017", "被代替 GB 18580-2025"),
    ("GB 6675.4-2014", "部分代替 GB 6675-2003"), ("GB 20891-2014", "修改单 GB 20891-2014/XG1-2020")])
def test_lineage_amendments_and_required_by(synced_store, edition_id, start):
    lines = StandardPresenter(synced_store, today=lambda: ON).chain(edition_id)["lines"]
    assert any(line.startswith(start) for line in lines), lines


def test_an_unknown_edition_gives_an_empty_chain(synced_store):
    presenter = StandardPresenter(synced_store, today=lambda: ON)
    assert presenter.chain("GB 99999-2020") ["lines"] == [] and presenter.chain(None)["empty"]


def test_the_catalog_is_rebuilt_only_when_the_cache_changes(synced_store):
    presenter = StandardPresenter(synced_store, today=lambda: ON)
    first = presenter.catalog()
    assert presenter.catalog() is first
    assert assets.catalog_digest(first) == assets.catalog_digest(assets.load_catalog())


def test_scan_cards_mark_unconfirmed_key_indicators_and_carry_the_chain(synced_store):
    scan = ScanPresenter(synced_store, today=lambda: ON)
    scan.scan(DEMO_GTIN)
    cards = {c["code"]: c for c in scan.standards()}
    catalog = assets.load_catalog()
    for card in cards.values():
        for row in card["key_indicators"]:
            confirmed = catalog.indicator(row["id"]).confirmed
            assert (row["mark"] is None) == confirmed, row["id"]
            assert row["mark"] in (None, "待核实")
    assert any(row["mark"] == "待核实" for c in cards.values() for row in c["key_indicators"])
    assert cards["GB 31701"]["chain_title"] == "关联标准链"
    assert any(line.startswith("须同时符合 GB 18401") for line in cards["GB 31701"]["chain_lines"])
    assert any(line.startswith("被要求同时符合 GB 31701-2015") for line in cards["GB 18401"]["chain_lines"])
    english = {c["code"]: c for c in scan.standards("en")}
    assert english["GB 31701"]["chain_title"] == "Related standards"
    assert {row["mark"] for c in english.values() for row in c["key_indicators"]} == {None, "To be verified"}
