"""`gbfield qr parse|make|sheet` through cli.main.main (in-process)."""
from __future__ import annotations

import json

import pytest
import zxingcpp
from PIL import Image

from cli.main import main


@pytest.mark.parametrize("text, kind, gtin", [
    ("https://id.gs1.org/01/06901234567892/10/ABC?17=261231", "digital_link", "06901234567892"),
    ("(01)06901234567892(10)ABC", "element_string", "06901234567892"),
    ("6901234567892", "ean13", "06901234567892"),
    ("02345673", "gtin", "00000002345673"),
    ("https://shop.example.cn/q?01=06901234567892&10=B7", "gbt33993", "06901234567892"),
    ("https://gb.example/s/GB%2018401-2010/5.1", "standard_link", None),
    ("GB 18401-2010", "standard", None),
])
def test_parse_json(capsys, text, kind, gtin):
    assert main(["qr", "parse", text, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["kind"], data["gtin"]) == (kind, gtin)
    assert isinstance(data["ais"], dict) and "element_string" in data


def test_parse_json_element_string_uses_gs1_fnc1_rules(capsys):
    main(["qr", "parse", "https://id.gs1.org/01/06901234567892/10/ABC?17=261231", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["element_string"] == "^010690123456789210ABC^17261231"
    assert data["ais"] == {"01": "06901234567892", "10": "ABC", "17": "261231"}
    assert data["china_prefix"] is True


@pytest.mark.parametrize("text, words", [
    ("6901234567893", "校验位错误：应为 2，实为 3"),
    ("https://a/01/12312312312333/10/ABC/22/X", "顺序无效"),
    ("hello", "无法识别"),
])
def test_parse_invalid_exits_2_with_one_line(capsys, text, words):
    assert main(["qr", "parse", text, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert words in captured.err and captured.err.count("\n") == 1


def test_make_png_and_svg(tmp_path, capsys):
    png = tmp_path / "a.png"
    assert main(["qr", "make", "(01)06901234567892(10)ABC", "-o", str(png), "--label", "婴儿服装"]) == 0
    found = zxingcpp.read_barcodes(Image.open(png))
    assert found[0].content_type == zxingcpp.ContentType.GS1
    svg = tmp_path / "a.svg"
    assert main(["qr", "make", "6901234567892", "-o", str(svg), "--label", "标签"]) == 0
    assert svg.read_text(encoding="utf-8").startswith("<svg") and "标签" in svg.read_text(encoding="utf-8")
    ean = tmp_path / "e.png"
    assert main(["qr", "make", "6901234567892", "--ean13", "-o", str(ean)]) == 0
    assert zxingcpp.read_barcodes(Image.open(ean))[0].text == "6901234567892"
    assert main(["qr", "make", "x", "-o", str(tmp_path / "a.gif")]) == 2


@pytest.mark.parametrize("suffix", [".png", ".pdf", ".svg"])
def test_sheet(tmp_path, suffix):
    products = tmp_path / "p.csv"
    products.write_text("gtin,name,lot\n6901234567892,婴儿连体衣,L2025A\n9520123456788,儿童外套,B7\n",
                        encoding="utf-8")
    out = tmp_path / f"sheet{suffix}"
    assert main(["qr", "sheet", str(products), "-o", str(out)]) == 0
    assert out.stat().st_size > 1000
    if suffix == ".png":
        texts = sorted(b.text for b in zxingcpp.read_barcodes(Image.open(out)))
        assert texts == ["https://id.gs1.org/01/06901234567892/10/L2025A",
                         "https://id.gs1.org/01/09520123456788/10/B7"]


def test_sheet_bad_row_names_the_row(tmp_path, capsys):
    products = tmp_path / "p.csv"
    products.write_text("gtin,name\n6901234567892,a\n6901234567893,b\n", encoding="utf-8")
    assert main(["qr", "sheet", str(products), "-o", str(tmp_path / "s.png")]) == 2
    assert "第 3 行" in capsys.readouterr().err
