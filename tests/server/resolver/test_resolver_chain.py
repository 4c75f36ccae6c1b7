"""The public standard page shows the related-standards chain (editions and what they
replace, 部分代替, amendments, must-meet-together both ways, test methods) and marks every
value no public source confirmed 待核实 — in zh-CN and in English; the product page too."""
from __future__ import annotations

import re
from datetime import date

import pytest
from registry_kit import EBIKE

import assets
from codes import build_standard_link
from rules.chain import standard_chain

JSON = {"Accept": "application/json"}
CATALOG = assets.load_catalog()
EDITIONS = [e for s in CATALOG.standards for e in s.editions]
BADGE = re.compile(r'class="badge badge-unverified">([^<]+)<')


def _path(edition_id: str, lang: str = "zh") -> str:
    path = build_standard_link(edition_id, base="http://gbfield.test").removeprefix("http://gbfield.test")
    return path + ("?lang=en" if lang == "en" else "")


def _html(client, edition_id: str, lang: str = "zh") -> str:
    r = client.get(_path(edition_id, lang))
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


@pytest.mark.parametrize("lang, words", [
    ("zh", ("关联标准链", "须同时符合的标准", "须同时符合", "GB 18401", "检验方法标准", "GB/T 30157",
            "纺织品 总铅和总镉含量的测定", "用于 2 项指标")),
    ("en", ("Related standards", "Standards to be met together", "Must also meet", "GB 18401",
            "Test-method standards", "GB/T 30157", "for 2 indicator(s)")),
])
def test_must_meet_together_and_test_methods(client, lang, words):
    html = _html(client, "GB 31701-2015", lang)
    for text in words:
        assert text in html, text
    assert 'href="http://gbfield.test/s/GB%2018401-2010' in html      # the edition in force, linked


@pytest.mark.parametrize("edition_id, lang, words", [
    ("GB 18401-2010", "zh", ("被要求同时符合", "GB 31701-2015", "代替", "GB 18401-2003")),
    ("GB 18401-2010", "en", ("Required together by", "GB 31701-2015", "Replaces", "GB 18401-2003")),
    ("GB 18580-2017", "zh", ("被代替", "GB 18580-2025", "现行", "代替", "GB 18580-2001")),
    ("GB 18580-2017", "en", ("Replaced by", "GB 18580-2025", "Current")),
    ("GB 6675.4-2014", "zh", ("部分代替", "GB 6675-2003", "国家玩具安全技术规范")),
    ("GB 6675.4-2014", "en", ("Partly replaces", "GB 6675-2003")),
    ("GB 20891-2014", "zh", ("修改单", "GB 20891-2014/XG1-2020")),
    ("GB 20891-2014", "en", ("Amendments", "Amendment", "GB 20891-2014/XG1-2020")),
])
def test_lineage_and_amendments(client, edition_id, lang, words):
    html = _html(client, edition_id, lang)
    chain = html.split('id="chain"', 1)[1].split("</section>", 1)[0]
    for text in words:
        assert text in chain, (edition_id, text)


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.id)
def test_every_unconfirmed_value_is_marked_and_no_confirmed_one(client, edition):
    unconfirmed = sum(1 for i in edition.indicators if not i.confirmed)
    for lang, mark in (("zh", "待核实"), ("en", "To be verified")):
        html = _html(client, edition.id, lang)
        badges = BADGE.findall(html)
        assert set(badges) <= {mark}
        # one badge per unconfirmed limit, plus the page's notice when there is any
        assert len(badges) == unconfirmed + (1 if unconfirmed else 0), (edition.id, lang)
        limits = re.findall(r'<td class="limit[^"]*">', html)
        assert sum("unconfirmed" in td for td in limits) == unconfirmed


def test_json_carries_the_chain_and_the_marks(client):
    page = client.get(_path("GB 21455-2019"), headers=JSON).json
    raw = standard_chain(CATALOG, "GB 21455-2019", date.fromisoformat(page["checked_on"])).to_dict()
    assert page["chain"]["chain"] == raw
    rows = [i for c in page["clauses"] for i in c["indicators"]]
    assert rows and all(not i["confirmed"] and i["marks"]["mark"] == "待核实" for i in rows)
    assert all("判定仅供参考" in i["marks"]["note"] for i in rows)
    assert page["unconfirmed"] == len(rows)
    en = client.get(_path("GB 21455-2019", "en"), headers=JSON).json
    assert {i["marks"]["mark"] for c in en["clauses"] for i in c["indicators"]} == {"To be verified"}


def test_an_unverified_clause_number_is_said_once_per_clause(client):
    html = _html(client, "GB 6566-2010")
    assert html.count("条款号待核实") == len({i.clause for i in CATALOG.edition("GB 6566-2010").indicators})
    assert "待核实：" not in html           # its values are confirmed


def test_edition_with_unverified_dates_says_so(client):
    edition = next(e for e in EDITIONS if "issued" in e.unverified)
    assert "发布日期待核实" in _html(client, edition.id)
    assert "issue date to be verified" in _html(client, edition.id, "en")


def test_product_page_marks_unconfirmed_key_indicators(client):
    view = client.get(f"/01/{EBIKE}", headers=JSON).json
    keys = [i for s in view["standards"] for i in s.get("key_indicators") or ()]
    assert keys and all("confirmed" in i for i in keys)
    unconfirmed = sum(1 for i in keys if not i["confirmed"])
    assert unconfirmed, "the e-bike's 2024 key indicators include unconfirmed values"
    html = client.get(f"/01/{EBIKE}").get_data(as_text=True)
    assert BADGE.findall(html) == ["待核实"] * unconfirmed
    assert BADGE.findall(client.get(f"/01/{EBIKE}?lang=en").get_data(as_text=True)) == ["To be verified"] * unconfirmed
