"""assets.registry.chain_view: the chain and the 待核实 marks as pages and the tablet show
them, for every edition of the catalog, in zh-CN and English."""
from __future__ import annotations

from datetime import date

import pytest

import assets
from assets.registry.chain_view import chain_lines, chain_view, parts_note, unverified_marks
from rules.chain import standard_chain

CATALOG = assets.load_catalog()
ON = date(2026, 12, 1)
EDITIONS = [e.id for s in CATALOG.standards for e in s.editions]


@pytest.mark.parametrize("edition_id", EDITIONS)
def test_every_edition_has_the_same_chain_in_both_languages(edition_id):
    zh, en = chain_view(CATALOG, edition_id, ON, "zh"), chain_view(CATALOG, edition_id, ON, "en")
    assert zh["chain"] == en["chain"] == standard_chain(CATALOG, edition_id, ON).to_dict()
    assert [g["key"] for g in zh["groups"]] == [g["key"] for g in en["groups"]]
    for gz, ge in zip(zh["groups"], en["groups"], strict=True):
        assert [i["code"] for i in gz["entries"]] == [i["code"] for i in ge["entries"]]
        assert gz["title"] != ge["title"]
        for item in gz["entries"]:
            assert item["label"] and not item["label"].startswith("rel_")
            if item.get("edition_id"):
                CATALOG.edition(item["edition_id"])          # links point at catalog editions
    assert len(chain_lines(zh)) == sum(len(g["entries"]) for g in zh["groups"])


def test_a_newer_edition_is_read_from_the_older_ones_side():
    view = chain_view(CATALOG, "GB 18580-2017", ON, "zh")
    history = next(g for g in view["groups"] if g["key"] == "history")["entries"]
    newer = next(i for i in history if i["code"] == "GB 18580-2025")
    assert newer["label"] == "被代替" and newer["status"] == "现行" and newer["edition_id"] == "GB 18580-2025"


def test_a_yearless_target_names_the_edition_in_force():
    item = chain_view(CATALOG, "GB 31701-2015", ON, "en")["groups"][0]["entries"][0]
    assert (item["label"], item["code"], item["resolves_to"], item["status"]) == \
        ("Must also meet", "GB 18401", "GB 18401-2010", "Current")


def test_compact_lines():
    lines = chain_lines(chain_view(CATALOG, "GB 18401-2010", ON, "zh"), compact=("test_methods",))
    assert sum(line.startswith("检验方法标准：") for line in lines) == 1


@pytest.mark.parametrize("indicator", list(CATALOG.indicators()), ids=lambda i: i.id)
def test_marks_follow_unverified(indicator):
    for lang, mark in (("zh", "待核实"), ("en", "To be verified")):
        marks = unverified_marks(indicator, lang)
        assert marks["confirmed"] is indicator.confirmed
        assert marks["mark"] == (None if indicator.confirmed else mark)
        assert (marks["note"] is None) == (not indicator.unverified)
        if not indicator.confirmed:
            assert ("判定仅供参考" if lang == "zh" else "reference only") in marks["note"]


def test_parts_note():
    assert parts_note(("clause",), "zh") == "条款号待核实（未经公开来源核对）"
    assert parts_note((), "en") is None
