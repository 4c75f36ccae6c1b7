"""ScanPresenter: scanned text resolved offline against a store a real server filled."""
from __future__ import annotations

from datetime import date

import pytest
from tablet_kit import DEMO_GTIN

from kivy_client.presenters import ScanPresenter


@pytest.mark.parametrize("text", [DEMO_GTIN, "6901234567892", f"https://id.gs1.org/01/{DEMO_GTIN}/10/B2025"])
def test_scan_finds_product_and_standards(synced_store, text):
    scan = ScanPresenter(synced_store, today=lambda: date(2025, 6, 1))
    result = scan.scan(text)
    assert scan.found and result.product["company_name"] == "北京示例婴童服饰有限公司"
    views = scan.standards()
    assert [v["code"] for v in views] == ["GB 18401", "GB 31701"]
    assert views[0]["status"] == "现行" and views[0]["badge"] == "pass"
    assert any(k["name"] == "甲醛含量" for k in views[0]["key_indicators"])


@pytest.mark.parametrize("text,status,fragment", [
    ("6901234567893", "invalid", "校验位"),
    ("6900000000014", "not_in_registry", "商品库中没有"),
    ("", "invalid", "请输入"),
])
def test_scan_explains_what_is_wrong(synced_store, text, status, fragment):
    scan = ScanPresenter(synced_store)
    result = scan.scan(text)
    assert (result.status, scan.found) == (status, False)
    assert fragment in result.message


def test_scan_image_decodes_a_qr_photo(synced_store, tmp_path):
    import qrcode

    path = tmp_path / "code.png"
    qrcode.make(f"https://id.gs1.org/01/{DEMO_GTIN}").save(path)
    assert ScanPresenter(synced_store).scan_image(str(path)).gtin == DEMO_GTIN


def test_scan_image_without_a_code_is_readable(synced_store, tmp_path):
    from PIL import Image

    path = tmp_path / "blank.png"
    Image.new("RGB", (200, 200), "white").save(path)
    result = ScanPresenter(synced_store).scan_image(str(path))
    assert result.status == "invalid" and "没有识别到" in result.message
    assert "没有识别到" not in ScanPresenter(synced_store).scan_image(str(tmp_path / "nope.png")).message
