"""The console's standard view (/console/standards/): every standard with its editions and
values 待核实; one edition with the related-standards chain and every unconfirmed value
marked, in zh-CN and English; any console role may read it; unknown editions answer 404."""
from __future__ import annotations

import re

import pytest
from console_kit import sign_in
from server_testkit import dispose_app, make_app

import assets

CATALOG = assets.load_catalog()
BADGE = re.compile(r'<span class="badge badge-unverified">([^<]+)</span>')


@pytest.fixture(scope="module")
def standards_app(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('console-standards') / 'server.db'}")
    yield app
    dispose_app(app)


@pytest.fixture
def signed_in(standards_app):
    client = standards_app.test_client()
    assert sign_in(client, "sup_chaoyang").status_code == 302
    return client


def _page(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, r.get_data(as_text=True)[:400]
    return r.get_data(as_text=True)


def test_the_list_shows_every_edition_and_the_share(signed_in):
    html = _page(signed_in, "/console/standards/")
    for std in CATALOG.standards:
        assert std.code in html
        for edition in std.editions:
            assert f'/console/standards/{edition.id.replace(" ", "%20")}' in html, edition.id
    total = sum(1 for _ in CATALOG.indicators())
    confirmed = sum(1 for i in CATALOG.indicators() if i.confirmed)
    assert f"{confirmed} / {total} 项限值已与公开来源核对" in html
    only = _page(signed_in, "/console/standards/?unverified=1")
    assert "GB 21455" in only and "GB 18401" not in only        # GB 18401's values are all confirmed
    assert 'href="/console/standards/"' in html and ">标准<" in html   # in the nav


@pytest.mark.parametrize("lang, words", [
    ("zh", ("关联标准链", "须同时符合", "GB 18401", "检验方法", "GB/T 30157", "条款与指标")),
    ("en", ("Related standards", "Must also meet", "GB 18401", "Test method", "Clauses and indicators")),
])
def test_an_edition_shows_its_chain(signed_in, lang, words):
    html = _page(signed_in, f"/console/standards/GB%2031701-2015?lang={lang}")
    for text in words:
        assert text in html, text
    assert 'href="/console/standards/GB%2018401-2010"' in html


@pytest.mark.parametrize("edition_id, text", [
    ("GB 20891-2014", "GB 20891-2014/XG1-2020"), ("GB 18580-2017", "被代替"), ("GB 6675.4-2014", "部分代替"),
    ("GB 18401-2010", "被要求同时符合")])
def test_lineage_and_amendments(signed_in, edition_id, text):
    html = _page(signed_in, f"/console/standards/{edition_id}?lang=zh")
    assert text in html.split('id="chain"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("edition", [e for s in CATALOG.standards for e in s.editions], ids=lambda e: e.id)
def test_every_unconfirmed_value_is_marked(signed_in, edition):
    unconfirmed = sum(1 for i in edition.indicators if not i.confirmed)
    for lang, mark in (("zh", "待核实"), ("en", "To be verified")):
        html = _page(signed_in, f"/console/standards/{edition.id}?lang={lang}")
        badges = BADGE.findall(html)
        assert badges == [mark] * unconfirmed, (edition.id, lang)
        assert html.count('class="row-unconfirmed"') == unconfirmed


def test_a_standard_code_opens_its_edition_in_force(signed_in):
    html = _page(signed_in, "/console/standards/GB%2018580?lang=zh")
    assert "GB 18580-2025" in html.split("</h1>", 1)[0]


def test_unknown_edition_and_signed_out(standards_app, signed_in):
    assert signed_in.get("/console/standards/GB%2099999-2020").status_code == 404
    anonymous = standards_app.test_client()
    r = anonymous.get("/console/standards/")
    assert r.status_code == 302 and "/console/login" in r.headers["Location"]


@pytest.mark.parametrize("username", ["expert", "admin"])
def test_experts_and_admins_read_it(standards_app, username):
    client = standards_app.test_client()
    assert sign_in(client, username).status_code == 302
    assert client.get("/console/standards/GB%2021455-2019").status_code == 200
