"""GS1 conformance vectors (ported from gs1/gs1-syntax-engine, see the JSON 'source')."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from codes import build_digital_link, build_element_string, parse_digital_link, parse_element_string
from codes.digital_link import escape_component
from codes.element_string import parse_bracketed
from codes.errors import CodeError

CASES = Path(__file__).resolve().parents[1] / "cases" / "codes"
DL = json.loads((CASES / "digital_link.json").read_text(encoding="utf-8"))
ES = json.loads((CASES / "element_strings.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", DL["parse"], ids=lambda c: c["uri"][:70] or "<empty>")
def test_digital_link_parse(case):
    options = case.get("options", {})
    if not case["valid"]:
        with pytest.raises(CodeError) as info:
            parse_digital_link(case["uri"], **options)
        message = str(info.value)
        first_cjk = next(i for i, ch in enumerate(message) if "\u4e00" <= ch <= "\u9fff")
        assert first_cjk < message.rfind(" (")          # Chinese first, English after
        return
    link = parse_digital_link(case["uri"], **options)
    assert link.element_string == case["element_string"]
    if "stem" in case:
        assert link.stem == case["stem"]


@pytest.mark.parametrize("case", DL["build"], ids=lambda c: c["ais"][:60])
def test_digital_link_build(case):
    kwargs = {"domain": case["stem"]} if case["stem"] else {}
    pairs = parse_bracketed(case["ais"])
    if case["expect"] is None:
        with pytest.raises(CodeError):
            build_digital_link(pairs, **kwargs)
    else:
        assert build_digital_link(pairs, **kwargs) == case["expect"]


@pytest.mark.parametrize("case", ES["cases"], ids=lambda c: c["input"][:60])
def test_element_string(case):
    if not case["valid"]:
        with pytest.raises(CodeError):
            parse_element_string(case["input"])
        return
    ais = parse_element_string(case["input"])
    assert build_element_string(ais) == case["element_string"]
    # the FNC1 form we print parses back to the same AIs
    assert parse_element_string(build_element_string(ais)) == ais


@pytest.mark.parametrize("value, path, query", [          # dl.c test_dl_URIescape
    ("ABCdef0123456789-._~", "ABCdef0123456789-._~", "ABCdef0123456789-._~"),
    ("!\"#%&'()*+,/:;<=>?", "%21%22%23%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F",
     "%21%22%23%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F"),
    (" AB", "%20AB", "+AB"), ("A  B", "A%20%20B", "A++B"),
    ("批次", "%E6%89%B9%E6%AC%A1", "%E6%89%B9%E6%AC%A1"),
])
def test_escape(value, path, query):
    assert escape_component(value, query=False) == path
    assert escape_component(value, query=True) == query


@pytest.mark.parametrize("uri, message", [
    ("https://example.com/01/09520123456788?10=ABC123", "应放在路径中"),
    ("https://a/01/12312312312333/10/ABC/22/X", "顺序无效"),
    ("https://id.gs1.org/01/09520123456788/10/A?10=A", "重复"),
    ("https://a/01/12312312312333?99=ABC&999=faux", "未知"),
    ("https://id.gs1.org/01/06901234567893", "校验位错误：应为 2，实为 3"),
    ("https://id.gs1.org/01/06901234567892/10/ABCDEFGHIJKLMNOPQRSTU", "太长"),
    ("https://id.gs1.org/01/06901234567892/10/A%7E", "字符集"),
])
def test_rejection_says_what_is_wrong(uri, message):
    with pytest.raises(CodeError) as info:
        parse_digital_link(uri)
    assert message in str(info.value)
