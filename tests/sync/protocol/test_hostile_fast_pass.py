"""sync.protocol.record: the fast pass every record takes before the full hostile check
never lets a hostile value through (it may only send a clean one on to the full check)."""
import json
from collections import OrderedDict
from pathlib import Path

import pytest

from sync.protocol.record import MAX_ANY_TEXT, MAX_RECORD_DEPTH, _looks_hostile, hostile_errors

CASES = Path(__file__).resolve().parents[2] / "protocol_cases" / "push_items.json"


def nested(value, depth):
    for _ in range(depth):
        value = {"x": [value]}
    return value


HOSTILE = [
    "a\x00b", "\ud800", "x\x7f", "\x1b[31m", "厂" * (MAX_ANY_TEXT + 1), float("nan"), float("inf"),
    {"bad\x01key": 1}, {"k" * 201: 1}, nested(1, MAX_RECORD_DEPTH),
]
CLEAN = ["", "测试企业\t第1行\n第2行\r", 16.5, 3, True, None, [], {}, {"a": [1, "b", {"c": None}]},
         "厂" * MAX_ANY_TEXT, nested(1, MAX_RECORD_DEPTH // 2 - 1)]


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize("where", ["top", "deep", "list"])
def test_a_hostile_value_anywhere_takes_the_full_check(value, where):
    data = {"top": {"id": "i1", "v": value}, "deep": {"id": "i1", "a": {"b": [{"c": value}]}},
            "list": {"id": "i1", "photos": ["ok", value]}}[where]
    assert hostile_errors(data)
    assert _looks_hostile(data)


@pytest.mark.parametrize("value", CLEAN, ids=lambda v: repr(v)[:30])
def test_a_clean_record_skips_the_full_check(value):
    data = {"id": "i1", "v": value, "w": [value]}
    assert not hostile_errors(data)
    assert not _looks_hostile(data)


@pytest.mark.parametrize("value", [OrderedDict(a="\x00"), type("S", (str,), {})("\x00"), {1: "x"}, b"\x00"],
                         ids=["mapping", "str-subclass", "int-key", "bytes"])
def test_other_types_go_to_the_full_check(value):
    assert _looks_hostile({"id": "i1", "v": value})


def test_the_shared_cases_agree():
    for case in json.loads(CASES.read_text(encoding="utf-8")).get("invalid", []):
        data = case.get("item", {}).get("data") if isinstance(case.get("item"), dict) else None
        if hostile_errors(data):
            assert _looks_hostile(data), case
