"""parse_limit: the table of limits as standards write them, and its errors."""
from __future__ import annotations

import json
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from rules.errors import LimitParseError, RulesError
from rules.limits import (
    EnumLimit,
    GradeLimit,
    NotDetectedLimit,
    NumericLimit,
    grade_rank,
    parse_limit,
)

DATA = json.loads((Path(__file__).parents[1] / "cases/rules/limits.json").read_text("utf-8"))
KINDS = {"max": NumericLimit, "min": NumericLimit, "range": NumericLimit, "tolerance": NumericLimit,
         "grade": GradeLimit, "not_detected": NotDetectedLimit, "enum": EnumLimit}


def _bound(bound):
    return None if bound is None else (bound.value, bound.inclusive)


@pytest.mark.parametrize("case", DATA["valid"], ids=[c["text"] for c in DATA["valid"]])
def test_valid_limits(case):
    limit = parse_limit(case["text"], case["unit"])
    assert isinstance(limit, KINDS[case["kind"]])
    assert limit.kind == case["kind"]
    assert limit.text == case["text"]
    assert limit.unit == case["result_unit"]
    if isinstance(limit, (NumericLimit, GradeLimit)):
        lower = None if case["lower"] is None else (Decimal(case["lower"]), case["lower_inclusive"])
        upper = None if case["upper"] is None else (Decimal(case["upper"]), case["upper_inclusive"])
        assert _bound(limit.lower) == lower
        assert _bound(limit.upper) == upper
    if isinstance(limit, NumericLimit):
        assert limit.exponent == case["exponent"]


@pytest.mark.parametrize("case", DATA["errors"], ids=[c["text"] or "<empty>" for c in DATA["errors"]])
def test_limit_errors(case):
    with pytest.raises(LimitParseError) as info:
        parse_limit(case["text"])
    error = info.value
    assert isinstance(error, RulesError)
    assert error.text == case["text"]
    assert error.position == case["position"]
    assert case["reason"] in error.reason
    assert str(error).startswith(f'限值无法识别 "{case["text"]}"：')


def test_error_message_matches_the_documented_form():
    with pytest.raises(LimitParseError) as info:
        parse_limit("≤0.5x")
    assert str(info.value) == '限值无法识别 "≤0.5x"：第5个字符 "x" 处：多余的字符 (unexpected text)'


def test_error_survives_pickling():
    with pytest.raises(LimitParseError) as info:
        parse_limit("≤0.5x")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.text, copy.position, copy.reason) == ("≤0.5x", 4, info.value.reason)


def test_grade_is_not_a_range():
    assert parse_limit("≥3-4级").kind == "grade"
    assert parse_limit("3-4级").kind == "grade"
    assert parse_limit("3-4").kind == "range"          # no 级, no sign: a range of numbers
    assert parse_limit("3-4", "级").kind == "grade"    # catalog unit says grade


def test_not_detected_keeps_detection_limit():
    limit = parse_limit("不得检出(检出限0.01)", "mg/kg")
    assert limit.lod == Decimal("0.01") and limit.unit == "mg/kg"


def test_catalog_unit_used_when_text_has_none():
    assert parse_limit("≤20", "mg/kg").unit == "mg/kg"
    assert parse_limit("≤25 km/h", "km/h").unit == "km/h"


def test_parsed_limits_are_cached():
    assert parse_limit("≤0.5", "mg/kg") is parse_limit("≤0.5", "mg/kg")


@pytest.mark.parametrize("text, rank", [
    ("1", "1"), ("1-2", "1.5"), ("2", "2"), ("2-3", "2.5"), ("3", "3"), ("3-4", "3.5"),
    ("4", "4"), ("4-5", "4.5"), ("5", "5"), ("4-5级", "4.5"), ("４－５", "4.5"),
])
def test_grade_order(text, rank):
    assert grade_rank(text) == Decimal(rank)


def test_grades_are_ordered():
    order = ["1", "1-2", "2", "2-3", "3", "3-4", "4", "4-5", "5"]
    ranks = [grade_rank(g) for g in order]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


@pytest.mark.parametrize("text", ["3-5", "0", "9", "a", "3.5"])
def test_bad_grades(text):
    with pytest.raises(RulesError):
        grade_rank(text)
