"""The home page, the public search and the error pages a browser gets (people get pages,
machines get JSON)."""
from __future__ import annotations

import re

import pytest

#: what Chromium sends for a page
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _text(resp) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True)).split())


def test_home_explains_and_links_every_public_page(client):
    resp = client.get("/", headers=BROWSER)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "强制性国家标准现场核查" in html and 'lang="zh-CN"' in html
    for href in ('href="/search', 'href="/faq/"', 'href="/console/"', 'href="/01/06901234567892"',
                 'href="/s/GB%2018401"', 'href="/api/v1/docs"'):
        assert href in html, href
    assert "1 条官方解释" in _text(resp)


def test_home_in_english_has_no_chinese_words_of_its_own(client):
    resp = client.get("/?lang=en", headers=BROWSER)
    text = _text(resp)
    assert "Mandatory national standards, checked on site" in text and 'lang="en"' in resp.get_data(as_text=True)
    for zh in ("搜索", "谁在使用", "标准解释问答", "管理后台"):
        assert zh not in text, zh


def test_home_leaves_the_synthetic_catalog_out(client):
    html = client.get("/", headers=BROWSER).get_data(as_text=True)
    assert "GB 60000" not in html and "GB 18401" in html


@pytest.mark.parametrize("query, expected", [
    ("甲醛", "GB 18401-2010"), ("jiaquan", "甲醛"), ("GB 17761", "GB 17761"),
    ("6901234567892", "婴儿纯棉连体衣"), ("示例婴童", "婴儿纯棉连体衣"), ("修约值", "婴幼儿纺织产品甲醛含量按修约值比较"),
])
def test_search_finds_standards_products_and_interpretations(client, query, expected):
    resp = client.get("/search", query_string={"q": query}, headers=BROWSER)
    assert resp.status_code == 200
    assert expected in _text(resp)


def test_search_answers_json_to_machines_and_hides_test_data_unless_asked(client):
    body = client.get("/search", query_string={"q": "GB 60000"}, headers={"Accept": "application/json"}).get_json()
    assert all(not h["standard"].startswith("GB 6000") for h in body["standards"])
    asked = client.get("/search", query_string={"q": "GB 60000", "test_data": "1"},
                       headers={"Accept": "application/json"}).get_json()
    assert any(h["standard"] == "GB 60000" for h in asked["standards"])
    interp = client.get("/search?q=修约值比较法", headers={"Accept": "application/json"}).get_json()
    assert interp["interpretations"][0]["href"].startswith("/faq/")


def test_search_empty_and_nothing_found(client):
    assert client.get("/search", headers=BROWSER).status_code == 200
    resp = client.get("/search", query_string={"q": "zzzzqqq"}, headers=BROWSER)
    assert "没有找到结果" in _text(resp)
    assert "Nothing found" in _text(client.get("/search?q=zzzzqqq&lang=en", headers=BROWSER))


def test_synthetic_standard_page_says_test_data(client):
    text = _text(client.get("/s/GB%2060000", headers=BROWSER))
    assert "测试数据" in text
    assert "测试数据" not in _text(client.get("/s/GB%2018401", headers=BROWSER))


def test_faq_filter_lists_no_test_data(client):
    html = client.get("/faq/", headers=BROWSER).get_data(as_text=True)
    assert "GB 18401" in html and "GB 60000" not in html


@pytest.mark.parametrize("path, status, title", [
    ("/faq/JS-9999-9999", 404, "页面不存在"),
    ("/console/no-such-page/", 404, "页面不存在"),
    ("/nowhere", 404, "页面不存在"),
    ("/s/foo", 400, "标准编号无法识别"),
    ("/01/06901234567891", 400, "二维码内容有误"),
])
def test_browsers_get_error_pages(client, path, status, title):
    resp = client.get(path, headers=BROWSER)
    assert resp.status_code == status and resp.mimetype == "text/html"
    text = _text(resp)
    assert title in text
    assert '"error"' not in resp.get_data(as_text=True)


def test_s_foo_is_not_the_qr_code_error(client):
    text = _text(client.get("/s/foo", headers=BROWSER))
    assert "二维码" not in text and "GS1" not in text
    assert "foo" in text and "/search?q=foo" in client.get("/s/foo", headers=BROWSER).get_data(as_text=True)


@pytest.mark.parametrize("path", ["/01/06901234567891", "/s/GB%2018401/9x9"])
def test_chinese_pages_carry_no_english_tails(client, path):
    text = _text(client.get(path, headers=BROWSER))
    assert "should be" not in text and "check digit" not in text and "clause must" not in text
    english = _text(client.get(path + "?lang=en", headers=BROWSER))
    assert "校验位" not in english and "条款号" not in english


def test_console_path_error_page_links_back_to_the_console(client):
    html = client.get("/console/no-such-page/", headers=BROWSER).get_data(as_text=True)
    assert 'href="/console/"' in html


@pytest.mark.parametrize("path", ["/nowhere", "/faq/JS-9999-9999", "/console/no-such-page/"])
@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, text/html;q=0.5"])
def test_machines_get_json(client, path, accept):
    resp = client.get(path, headers={"Accept": accept} if accept else {})
    assert resp.status_code == 404 and resp.mimetype == "application/json"
    assert resp.get_json()["error"] == "not_found"


def test_the_api_answers_json_even_to_a_browser(client):
    resp = client.get("/api/v1/nowhere", headers=BROWSER)
    assert resp.status_code == 404 and resp.mimetype == "application/json"


def test_method_not_allowed_page_keeps_allow(client):
    resp = client.post("/", headers=BROWSER)
    assert resp.status_code == 405 and resp.mimetype == "text/html" and "GET" in resp.headers["Allow"]


def test_error_page_in_english(client):
    text = _text(client.get("/nowhere?lang=en", headers=BROWSER))
    assert "Page not found" in text and "页面不存在" not in text
    # Chinese first: an English browser gets the Chinese page with the English link
    chinese = client.get("/nowhere", headers={**BROWSER, "Accept-Language": "en-GB,en"}).get_data(as_text=True)
    assert "页面不存在" in chinese and "lang=en" in chinese


def test_faq_item_names_indicators_and_links_the_standard(client):
    found = client.get("/search?q=修约值比较法", headers={"Accept": "application/json"}).get_json()
    resp = client.get(found["interpretations"][0]["href"], headers=BROWSER)
    html, text = resp.get_data(as_text=True), _text(resp)
    assert "GB 18401-2010/4.1/" not in text                 # ids stay in the title attribute only
    assert 'href="/s/GB%2018401-2010/4.1"' in html
    assert 'href="/search"' in html and 'href="/"' in html
