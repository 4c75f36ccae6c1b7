"""GTIN check digits, parse_any kinds, GB/T 33993 forms and standard links."""
from __future__ import annotations

import pytest

from codes import build_standard_link, check_digit, china_prefix, gtin14, parse_any, parse_scan
from codes.ean13 import modules
from codes.errors import CheckDigitError, CodeError, GBT33993Error, GTINError, UnrecognisedCodeError
from codes.gbt33993 import build_query_form, conformance_problems, parse_query_form


@pytest.mark.parametrize("body, digit", [("690123456789", "2"), ("9520123456788"[:-1], "8"),
                                         ("0234567", "3"), ("41600033610", "8"), ("1231231231233", "3")])
def test_check_digit(body, digit):
    assert check_digit(body) == digit


@pytest.mark.parametrize("code, expected", [("6901234567892", "06901234567892"), ("02345673", "00000002345673"),
                                            ("416000336108", "00416000336108"), ("16901234567899", "16901234567899")])
def test_gtin14(code, expected):
    assert gtin14(code) == expected


def test_check_digit_error_says_expected_and_actual():
    with pytest.raises(CheckDigitError) as info:
        gtin14("6901234567893")
    assert str(info.value).startswith("GTIN 校验位错误：应为 2，实为 3 (check digit should be 2, got 3)")
    assert (info.value.expected, info.value.actual) == ("2", "3")


@pytest.mark.parametrize("bad", ["690123456789", "69012345678921", "69012345A7892", ""])
def test_gtin_shape_errors(bad):
    with pytest.raises(GTINError):
        gtin14(bad)


@pytest.mark.parametrize("code, china", [("6901234567892", True), ("06991234567899", True), ("16901234567899", True),
                                         ("9520123456788", False), ("00416000336108", False), ("02345673", False)])
def test_china_prefix(code, china):
    assert china_prefix(code) is china


@pytest.mark.parametrize("text, kind, gtin", [
    ("6901234567892", "ean13", "06901234567892"),
    ("02345673", "gtin", "00000002345673"),
    ("06901234567892", "gtin", "06901234567892"),
    ("(01)06901234567892(10)ABC", "element_string", "06901234567892"),
    ("^010690123456789210ABC", "element_string", "06901234567892"),
    ("]Q3010690123456789210ABC\x1d17251231", "element_string", "06901234567892"),
    ("https://id.gs1.org/01/06901234567892/10/ABC?17=251231", "digital_link", "06901234567892"),
    ("https://shop.example.cn/item?01=06901234567892&10=L1&utm=x", "gbt33993", "06901234567892"),
])
def test_parse_any_kinds(text, kind, gtin):
    parsed = parse_any(text)
    assert (parsed.kind, parsed.gtin) == (kind, gtin)
    assert parsed.to_dict()["element_string"].startswith("^01" + gtin)


def test_parse_any_interprets_weight_and_dates():
    parsed = parse_any("https://id.gs1.org/01/06901234567892?3103=000195&11=250700")
    details = {d["ai"]: d["interpreted"] for d in parsed.ai_details()}
    assert details == {"01": None, "3103": "0.195", "11": "2025-07"}


def test_scan_data_with_symbology_identifier():
    assert parse_scan("010690123456789210ABC\x1d17251231", "]Q3").ais["17"] == "251231"


def test_lenient_accepts_chinese_lot_with_warning():
    uri = "https://id.gs1.org/01/06901234567892/10/%E6%89%B9%E6%AC%A1A1"
    with pytest.raises(CodeError):
        parse_any(uri)
    parsed = parse_any(uri, strict=False)
    assert parsed.ais["10"] == "批次A1" and parsed.warnings
    assert parsed.digital_link_uri() == uri


def test_lenient_zero_suppressed_gtin_and_convenience_alpha():
    assert parse_any("https://brand.example/gtin/6901234567892/lot/A1", strict=False).ais == {
        "01": "06901234567892", "10": "A1"}


def test_gbt33993_rules():
    assert conformance_problems({"01": "06901234567892", "10": "A1"}) == []
    assert conformance_problems({"10": "A1", "01": "06901234567892"})          # 01 not first
    assert conformance_problems({"10": "A1"})                                   # no 01
    assert conformance_problems({"01": "06901234567892", "21": "A/1"})          # forbidden /
    with pytest.raises(GBT33993Error):
        parse_query_form("https://x.example/p?10=A1&01=06901234567892")
    url = build_query_form({"01": "06901234567892", "10": "L-1"}, "https://2dcode.org/q")
    parsed = parse_query_form(url)
    assert (parsed.form, parsed.ais["10"]) == ("national_url", "L-1")


@pytest.mark.parametrize("text, standard, edition, clause", [
    ("https://gb.example/s/GB%2018401-2010/5.1", "GB 18401", "GB 18401-2010", "5.1"),
    ("https://gb.example/s/GB18401-2010", "GB 18401", "GB 18401-2010", None),
    ("https://gb.example/app/s/GB%2FT%2033993-2024/A.2", "GB/T 33993", "GB/T 33993-2024", "A.2"),
    ("https://gb.example/s/GBT33993", "GB/T 33993", None, None),
    ("https://gb.example/s/GB%204806.7-2023/4.2?t=%E6%84%9F%E5%AE%98", "GB 4806.7", "GB 4806.7-2023", "4.2"),
])
def test_standard_links(text, standard, edition, clause):
    parsed = parse_any(text)
    assert (parsed.kind, parsed.standard, parsed.edition, parsed.clause) == ("standard_link", standard, edition, clause)


def test_standard_link_round_trip_with_chinese_title():
    url = build_standard_link("GB 18401-2010", "5.1", base="https://gb.example", title="甲醛含量")
    assert url == "https://gb.example/s/GB%2018401-2010/5.1?t=%E7%94%B2%E9%86%9B%E5%90%AB%E9%87%8F"
    assert parse_any(url).params == {"t": "甲醛含量"}


@pytest.mark.parametrize("text", ["GB 18401-2010", "GB/T 33993-2024", "GB 4806.7-2023"])
def test_bare_standard(text):
    parsed = parse_any(text)
    assert (parsed.kind, parsed.edition) == ("standard", text)


@pytest.mark.parametrize("text", ["hello", "https://gb.example/s/", "https://gb.example/s/GB%2018401/5.1/x",
                                  "https://gb.example/s/GB%2018401/%E7%AC%AC5%E6%9D%A1", "12345"])
def test_unusable_input_raises_code_error(text):
    with pytest.raises(CodeError):
        parse_any(text)


def test_unrecognised_message_is_chinese_first():
    with pytest.raises(UnrecognisedCodeError) as info:
        parse_any("hello")
    assert str(info.value).startswith("无法识别")


def test_ean13_modules_structure():
    pattern = modules("6901234567892")
    assert len(pattern) == 95 and pattern[:3] == "101" and pattern[45:50] == "01010" and pattern[-3:] == "101"


def test_leading_group_separator_is_read_as_fnc1_not_whitespace():
    """Scanners may emit FNC1 as a leading GS (0x1D); str.strip() would eat it."""
    parsed = parse_any("\x1d01069012345678921012345")
    assert parsed.gtin == "06901234567892"
    assert dict(parsed.ais) == {"01": "06901234567892", "10": "12345"}
