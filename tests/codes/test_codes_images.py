"""make -> photograph-like distortion -> decode with zxing-cpp -> parse, round trips."""
from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageFilter

from codes import build_standard_link, parse_any, parse_scan
from codes.element_string import to_scan_data
from codes.render import ean13_image, qr_image

ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"

PAYLOADS = [
    pytest.param("https://id.gs1.org/01/06901234567892/10/L2025A?17=261231", False, "digital_link", id="dl"),
    pytest.param("https://id.gs1.org/01/06901234567892/10/%E6%89%B9%E6%AC%A1A1", False, "digital_link",
                 id="dl-chinese-lot"),
    pytest.param(to_scan_data({"01": "06901234567892", "10": "ABC", "3103": "000195"}), True, "element_string",
                 id="gs1-qr-fnc1"),
    pytest.param("https://shop.example.cn/q?01=06901234567892&10=B7", False, "gbt33993", id="gbt33993-url"),
    pytest.param(build_standard_link("GB 18401-2010", "5.1", base="https://gb.example", title="甲醛含量（婴幼儿用品）"),
                 False, "standard_link", id="standard-link-chinese-title"),
]


def distort(img: Image.Image, seed: int) -> Image.Image:
    """Rotate 5–30°, blur, paste small into a noisy 2000x1500 frame, JPEG q40."""
    rng = random.Random(seed)
    img = img.convert("L").rotate(rng.uniform(5, 30) * rng.choice((-1, 1)), expand=True, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.2)))
    frame = Image.effect_noise((2000, 1500), 40).point(lambda v: 110 + v // 4)
    frame.paste(img, (rng.randint(100, 2000 - img.width - 100), rng.randint(100, 1500 - img.height - 100)))
    buffer = io.BytesIO()
    frame.save(buffer, format="JPEG", quality=40)
    return Image.open(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("payload, gs1, kind", PAYLOADS)
def test_qr_round_trip_through_a_photo(payload, gs1, kind, seed):
    original = parse_scan(payload, "]Q3" if gs1 else None, strict=False)
    photo = distort(qr_image(payload, size=330, gs1=gs1, label="婴儿连体衣 批次A1"), seed)
    if seed == 1:
        ARTIFACTS.mkdir(exist_ok=True)
        photo.save(ARTIFACTS / f"qr-{kind}.jpg")
    found = zxingcpp.read_barcodes(photo, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1
    result = found[0]
    assert (result.content_type == zxingcpp.ContentType.GS1) is gs1
    parsed = parse_scan(result.text, result.symbology_identifier, strict=False)
    assert parsed.kind == kind
    assert (parsed.ais, parsed.standard, parsed.clause, parsed.params) == (
        original.ais, original.standard, original.clause, original.params)


def test_chinese_lot_survives_round_trip():
    uri = "https://id.gs1.org/01/06901234567892/10/%E6%89%B9%E6%AC%A1A1"
    found = zxingcpp.read_barcodes(distort(qr_image(uri, size=300), 3))
    assert parse_any(found[0].text, strict=False).ais["10"] == "批次A1"


@pytest.mark.parametrize("code", ["6901234567892", "9520123456788", "6970000000017"])
def test_ean13_round_trip(code):
    img = ean13_image(code, module_px=3)
    photo = img.rotate(4, expand=True, fillcolor=255).filter(ImageFilter.GaussianBlur(0.7))
    if code.startswith("69"):
        ARTIFACTS.mkdir(exist_ok=True)
        photo.save(ARTIFACTS / "ean13.png")
    found = zxingcpp.read_barcodes(photo, formats=zxingcpp.BarcodeFormat.EAN13)
    assert [b.text for b in found] == [code]
    parsed = parse_any(found[0].text)
    assert (parsed.kind, parsed.gtin) == ("ean13", "0" + code)
