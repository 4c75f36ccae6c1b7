"""The registry API: reads for anyone authenticated, writes for admin/supervisor, and
every change reaching devices by pull."""
from __future__ import annotations

import io

import pytest
from registry_kit import BABY, UNKNOWN

CSV = ("gtin,name,category,product_class,company_name,credit_code,standards\n"
       "6901234567892,婴儿纯棉连体衣 73cm,infant,A,北京示例婴童服饰有限公司,91110105MA01ABCD00,GB 18401; GB 31701\n"
       "6901234567893,坏条码,infant,A,,,GB 18401\n")


def test_reading_needs_a_login(reg_api):
    r = reg_api.call("GET", "/api/v1/products/")
    assert r.status_code == 401 and r.json["error"] == "unauthorized"


@pytest.mark.parametrize("q, expected", [("6901234", [BABY]), ("连体衣", [BABY]), ("91110105MA01", [BABY]),
                                         ("不存在的商品", [])])
def test_search(reg_api, q, expected):
    r = reg_api.call("GET", f"/api/v1/products/?q={q}", "insp_chaoyang")
    assert r.status_code == 200
    assert [p["gtin"] for p in r.json["items"]] == expected and r.json["total"] == len(expected)


@pytest.mark.parametrize("form", ["6901234567892", "06901234567892"])
def test_get_accepts_gtin13_and_14(reg_api, form):
    r = reg_api.call("GET", f"/api/v1/products/{form}", "insp_chaoyang")
    assert r.status_code == 200 and r.json["gtin"] == BABY
    assert r.json["standards"][0]["classes"] == ["A"]


@pytest.mark.parametrize("gtin, status, error", [(UNKNOWN, 404, "not_found"), ("06901234567893", 400, "validation_failed")])
def test_get_unknown_or_malformed(reg_api, gtin, status, error):
    r = reg_api.call("GET", f"/api/v1/products/{gtin}", "insp_chaoyang")
    assert (r.status_code, r.json["error"]) == (status, error)
    assert set(r.json) == {"status", "error", "message", "details"}


@pytest.mark.parametrize("who, status", [("insp_chaoyang", 403), ("expert", 403), ("sup_chaoyang", 403), ("registrar", 200), ("admin", 200)])
def test_import_roles(reg_api, who, status):
    r = reg_api.call("POST", "/api/v1/products/import?dry_run=true", who, data=CSV.encode("utf-8"),
                     content_type="text/csv")
    assert r.status_code == status


@pytest.mark.parametrize("how", ["text", "multipart", "json"])
def test_import_over_http_reports_and_reaches_a_device(reg_api, how):
    device = reg_api.device("insp_chaoyang")
    cursor = reg_api.pull(token=device).json["cursor"]
    if how == "text":
        kw = {"data": CSV.encode("utf-8"), "content_type": "text/csv"}
    elif how == "multipart":
        kw = {"data": {"file": (io.BytesIO(CSV.encode("utf-8")), "products.csv")}, "content_type": "multipart/form-data"}
    else:
        kw = {"json": {"csv": CSV, "source": "products.csv"}}
    r = reg_api.call("POST", "/api/v1/products/import", "registrar", **kw)
    assert r.status_code == 200, r.json
    assert (r.json["accepted"], r.json["rejected"], r.json["changed"]) == (1, 1, 1)
    assert r.json["rejections"][0]["row"] == 3
    assert r.json["rejections"][0]["errors"][0]["column"] == "gtin"
    page = reg_api.pull(token=device, since=cursor).json
    products = [c for c in page["changes"] if c["entity"] == "product"]
    assert [(c["id"], c["data"]["name"]) for c in products] == [(BABY, "婴儿纯棉连体衣 73cm")]


def test_put_then_withdraw_travel_as_changes(reg_api):
    device = reg_api.device("insp_haidian")
    cursor = reg_api.pull(token=device).json["cursor"]
    body = {"name": "儿童积木（200粒）", "category": "toy-material", "company_name": "北京示例玩具有限公司",
            "credit_code": "91110108MA00XYW00J", "standards": [{"standard": "GB 6675.4"}]}
    r = reg_api.call("PUT", "/api/v1/products/6937000000034", "admin", json=body)
    assert r.status_code == 200, r.json
    assert (r.json["gtin"], r.json["result"]) == ("06937000000034", "added")
    again = reg_api.call("PUT", "/api/v1/products/06937000000034", "admin", json=body)
    assert again.json["result"] == "unchanged"
    bad = reg_api.call("PUT", "/api/v1/products/06937000000034", "admin", json={**body, "product_class": "A"})
    assert bad.status_code == 400 and "product_class" in bad.json["details"]
    r = reg_api.call("DELETE", "/api/v1/products/06937000000034", "registrar")
    assert r.status_code == 200 and r.json["withdrawn"] is True
    assert reg_api.call("GET", "/api/v1/products/06937000000034", "admin").status_code == 404
    changes = [(c["id"], c["op"]) for c in reg_api.pull(token=device, since=cursor).json["changes"]
               if c["entity"] == "product"]
    assert changes == [("06937000000034", "upsert"), ("06937000000034", "delete")]


@pytest.mark.parametrize("language, reason, message", [
    ("zh-CN", "GTIN 校验位错误：应为 2，实为 3", "GTIN 校验位错误"),
    ("en", "GTIN check digit should be 2, got 3", "GTIN check digit should be 2"),
])
def test_reasons_and_errors_come_in_the_request_s_language(reg_api, language, reason, message):
    r = reg_api.call("POST", "/api/v1/products/import?dry_run=true", "registrar", data=CSV.encode("utf-8"),
                     content_type="text/csv", headers={"Accept-Language": language})
    assert reason in r.json["rejections"][0]["errors"][0]["reason"]
    r = reg_api.call("GET", "/api/v1/products/06901234567893", "insp_chaoyang", headers={"Accept-Language": language})
    assert r.status_code == 400 and message in r.json["message"]
    other = "en" if language == "zh-CN" else "zh-CN"
    assert r.json["message"] != reg_api.call("GET", "/api/v1/products/06901234567893", "insp_chaoyang",
                                             headers={"Accept-Language": other}).json["message"]
