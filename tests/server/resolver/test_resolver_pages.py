"""The public resolver: GS1 Digital Link forms, content negotiation, linksets, errors."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from registry_kit import BABY, EBIKE, UNKNOWN

from server.kernel.extensions import db

GTIN8 = "69012341"          # check digit 1
GTIN12 = "012345678905"     # a UPC-A
EXTRA = ("gtin,name,category,product_class,company_name,credit_code,standards\n"
         f"{GTIN8},小包装保鲜袋,general,,广东示例塑料制品有限公司,91440606MA4W1N7Q26,GB 4806.7\n"
         f"{GTIN12},进口儿童玩具车,toy-material,,,,GB 6675.4\n")
JSON = {"Accept": "application/json"}
LOT = "%E6%89%B9%E6%AC%A1A"   # 批次A


@pytest.fixture(scope="module", autouse=True)
def _extra_products(resolver_app):
    from server.registry.service import import_csv

    with resolver_app.app_context():
        report = import_csv(None, EXTRA)
        db.session.commit()
    assert report["accepted"] == 2, report


@pytest.mark.parametrize("form, gtin14", [
    (GTIN8, "00000069012341"), (GTIN12, "00012345678905"), (BABY[1:], BABY), (BABY, BABY)])
def test_every_gtin_length_resolves_to_the_14_digit_gtin(client, form, gtin14):
    r = client.get(f"/01/{form}", headers=JSON)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["gtin"] == gtin14
    assert r.json["digital_link"].endswith(f"/01/{gtin14}")
    links = r.headers["Link"]
    assert 'rel="linkset"' in links
    assert ('rel="owl:sameAs"' in links) == (form != gtin14)


def test_html_page_lists_product_company_standards_and_checks(client):
    r = client.get(f"/01/{BABY}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert '<meta name="viewport"' in html and 'lang="zh-CN"' in html
    for text in ("婴儿纯棉连体衣 59cm", "北京示例婴童服饰有限公司", "91110105MA01ABCD00", "GB 18401-2010",
                 "GB 31701-2015", "现行", "A类", "甲醛含量", "≤20", "mg/kg", "消费者可以检查", "婴幼儿用品", "12315"):
        assert text in html, text
    # nothing loaded from outside the server
    assert "<script" not in html
    assert not re.search(r'(href|src)="(https?:)?//(?!gbfield\.test)', html.split("</head>")[0])


def test_english_page(client):
    html = client.get(f"/01/{EBIKE}?lang=en").get_data(as_text=True)
    assert 'lang="en"' in html and "Mandatory national standards that apply" in html
    assert "GB 17761-2024" in html and "Current" in html and "CCC mark" in html


def test_lot_serial_cpv_and_attributes(client):
    path = f"/01/{BABY}/22/V1/10/{LOT}/21/S001?17=261231&utm=x"
    data = client.get(path, headers=JSON).json
    assert (data["cpv"], data["lot"], data["serial"]) == ("V1", "批次A", "S001")
    assert [(a["ai"], a["interpreted"]) for a in data["attributes"]] == [("17", "2026-12-31")]
    assert data["digital_link"].endswith(f"/01/{BABY}/22/V1/10/{LOT}/21/S001")
    assert data["warnings"], "a Chinese lot is outside GS1 CSET 82 and is flagged"
    html = client.get(path).get_data(as_text=True)
    assert "批次A" in html and "S001" in html and "有效期" in html and "2026-12-31" in html


@pytest.mark.parametrize("how", [{"query": "?linkType=all"}, {"headers": {"Accept": "application/linkset+json"}}])
def test_linkset(client, how):
    r = client.get(f"/01/{BABY}" + how.get("query", ""), headers=how.get("headers", {}))
    assert r.status_code == 200 and r.mimetype == "application/linkset+json"
    (context,) = r.json["linkset"]
    assert context["anchor"] == f"http://gbfield.test/01/{BABY}"
    assert context["https://gs1.org/voc/defaultLink"][0]["href"] == context["anchor"]
    assert {t["hreflang"][0] for t in context["https://gs1.org/voc/pip"]} == {"zh-CN", "en"}
    certs = [t["href"] for t in context["https://gs1.org/voc/certificationInfo"]]
    assert certs == ["http://gbfield.test/s/GB%2018401-2010", "http://gbfield.test/s/GB%2031701-2015"]


@pytest.mark.parametrize("link_type, location", [
    ("gs1:certificationInfo", "http://gbfield.test/s/GB%2017761-2024"),
    ("https://gs1.org/voc/certificationInfo", "http://gbfield.test/s/GB%2017761-2024"),
    ("gs1:recipeInfo", f"http://gbfield.test/01/{EBIKE}"),   # not available: the default link
])
def test_link_type_redirects(client, link_type, location):
    r = client.get(f"/01/{EBIKE}?linkType={link_type}")
    assert r.status_code == 307 and r.headers["Location"] == location


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_unknown_gtin_is_a_helpful_404(client, accept):
    r = client.get(f"/01/{UNKNOWN}", headers={"Accept": accept})
    assert r.status_code == 404
    if accept == "application/json":
        assert r.json == {"status": 404, "error": "not_found", "details": {"gtin": UNKNOWN},
                          "message": r.json["message"]}
    else:
        html = r.get_data(as_text=True)
        assert "未找到该商品" in html and UNKNOWN in html and "12315" in html and "核对" in html


@pytest.mark.parametrize("path, problem", [
    ("/01/06901234567893", "校验位错误：应为 2，实为 3"),
    ("/01/6901234567893", "校验位错误"),
    (f"/01/{BABY}/21/S001/10/{LOT}", "AI 顺序无效"),            # serial before lot
    (f"/01/{BABY}/10/A/22/V1", "AI 顺序无效"),                  # lot before CPV
    (f"/01/{BABY}/10/", "值为空"),
    (f"/01/{BABY}?10=ABC", "应放在路径中"),
    (f"/01/{BABY}?21=1", "不能作为 Digital Link 查询参数"),
    ("/01/69012345678", "01"),                                   # 11 digits
    ("/01/ABCDEFGH", "01"),
    ("/01", "缺少商品条码"),
])
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_malformed_links_are_400_naming_the_problem(client, path, problem, accept):
    r = client.get(path, headers={"Accept": accept})
    assert r.status_code == 400
    if accept == "application/json":
        assert r.json["error"] == "bad_request" and problem in r.json["message"]
    else:
        html = r.get_data(as_text=True)
        assert "二维码内容有误" in html and "Traceback" not in html
        assert problem in html.replace("&#39;", "'")


def test_cors_head_and_options(client):
    r = client.get(f"/01/{BABY}", headers=JSON)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert client.head(f"/01/{BABY}").status_code == 200
    r = client.options(f"/01/{BABY}")
    assert r.status_code == 200 and "GET" in r.headers["Allow"]


@pytest.mark.parametrize("day, status_2017, status_2025, shown", [
    ("2026-01-10", "现行", "即将实施", "GB 18580-2017"),
    ("2026-06-01", "废止", "现行", "GB 18580-2025"),
])
def test_status_follows_the_date_in_china(client, monkeypatch, day, status_2017, status_2025, shown):
    from server.kernel import clock

    # 16:30 UTC the day before is already `day` in China (UTC+8)
    moment = datetime.fromisoformat(day).replace(tzinfo=UTC) - timedelta(hours=7, minutes=30)
    monkeypatch.setattr(clock, "now", lambda: moment)
    std = client.get("/01/6950123000187", headers=JSON).json["standards"][0]
    assert std["edition"] == shown
    page = client.get("/s/GB18580", headers=JSON).json
    assert {e["id"]: e["status"] for e in page["editions"]} == {"GB 18580-2017": status_2017,
                                                               "GB 18580-2025": status_2025}


@pytest.mark.parametrize("path, texts", [
    ("/s/GB%2018401-2010/4.1", ["GB 18401-2010", "甲醛含量", "≤20", "4.0~7.5", "A类"]),
    ("/s/GB18401", ["国家纺织产品基本安全技术规范", "4.3", "标注"]),
    ("/s/GB%2017761", ["GB 17761-2024", "GB 17761-2018", "废止", "现行"]),
])
def test_standard_pages(client, path, texts):
    r = client.get(path)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    for text in texts:
        assert text in html, text


@pytest.mark.parametrize("path, status, text", [
    ("/s/GB%209999", 404, "未找到该标准"),
    ("/s/GB%2018401-2099", 404, "GB 18401-2010"),      # suggests the editions that exist
    ("/s/not-a-standard", 400, "无法识别的标准编号"),
    ("/s/GB%2018401-2010/9.9", 200, "没有第 9.9 条"),
])
def test_standard_page_errors(client, path, status, text):
    r = client.get(path)
    assert r.status_code == status and text in r.get_data(as_text=True)
