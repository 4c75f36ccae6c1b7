"""GB/T 8170-2008 §3 rounding: the standard's examples (shared JSON) and properties."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.errors import IntervalError, ValueParseError
from rules.numbers import Measured, parse_measured, round_value

CASES = json.loads((Path(__file__).parents[1] / "cases/rules/rounding.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['value']}@{c['interval']}" for c in CASES])
def test_rounding_cases(case):
    result = round_value(case["value"], case["interval"])
    assert format(result, "f") == case["expected"]


@pytest.mark.parametrize("text, value, mark, below", [
    ("1.050", "1.050", None, False),
    ("-0.25", "-0.25", None, False),
    ("16.50(+)", "16.50", "+", False),
    ("16.50(−)", "16.50", "-", False),
    ("16.50(-)", "16.50", "-", False),
    ("16.50（＋）", "16.50", "+", False),
    (" １６.５０ ", "16.50", None, False),
    ("<0.01", "0.01", None, True),
    ("＜0.01", "0.01", None, True),
    ("< 0.01", "0.01", None, True),
    ("ND", None, None, True),
    ("nd", None, None, True),
    ("未检出", None, None, True),
])
def test_parse_measured(text, value, mark, below):
    measured = parse_measured(text)
    assert measured.text == text
    assert measured.value == (Decimal(value) if value else None)
    if value:
        assert str(measured.value) == value  # digits kept: "1.050" stays 1.050
    assert measured.mark == mark
    assert measured.below_lod is below
    assert measured.detected is not below


@pytest.mark.parametrize("text, position, reason", [
    ("", 0, "缺少测定值"),
    ("abc", 0, "应为数值"),
    ("1.5x", 3, "多余的字符"),
    ("1.5 (+) 2", 8, "多余的字符"),
    ("<0.01(+)", 5, "(+)/(−)"),
    ("<0", 0, "检出限应大于零"),
    ("<", 1, "应为数值"),
])
def test_parse_measured_errors(text, position, reason):
    with pytest.raises(ValueParseError) as info:
        parse_measured(text)
    assert info.value.position == position
    assert reason in info.value.reason
    assert str(info.value).startswith("测定值无法识别")


@pytest.mark.parametrize("interval", ["0.3", "0", "-1", "abc", "0.25", "15"])
def test_bad_interval(interval):
    with pytest.raises(IntervalError):
        round_value("1.23", interval)


def test_below_lod_cannot_be_rounded():
    with pytest.raises(ValueParseError):
        round_value("<0.01", "0.1")


def test_one_rounding_only():
    # 15.4546 -> 15 directly, never 15.455 -> 15.46 -> 15.5 -> 16 (GB/T 8170 §3.2 example)
    assert round_value("15.4546", "1") == 15
    stepwise = round_value(round_value(round_value(round_value("15.4546", "0.001"), "0.01"), "0.1"), "1")
    assert stepwise == 16  # what stepwise rounding would (wrongly) give


def test_accepts_decimal_and_measured():
    assert round_value(Decimal("2.25"), "0.1") == Decimal("2.2")
    assert round_value(Measured("2.25(+)", Decimal("2.25"), "+"), "0.1") == Decimal("2.3")


# --- properties ---------------------------------------------------------------------------

def reference_round(value: Decimal, interval: Decimal, mark: str | None = None) -> Decimal:
    """Brute force with integers: scale both to integers, divide, look at the remainder."""
    scale = max(0, -value.as_tuple().exponent, -interval.as_tuple().exponent)
    magnitude = int(abs(value).scaleb(scale))
    step = int(interval.scaleb(scale))
    quotient, remainder = divmod(magnitude, step)
    twice = 2 * remainder
    if twice > step or (twice == step and (mark == "+" or (mark is None and quotient % 2 == 1))):
        quotient += 1
    result = Decimal(quotient * step).scaleb(-scale)
    return -result if value < 0 else result


INTERVALS = [Decimal(f"{k}E{n}") for k in (1, 2, 5) for n in range(-4, 3)]
values = st.decimals(min_value=Decimal(-100000), max_value=Decimal(100000),
                     allow_nan=False, allow_infinity=False, places=5)
intervals = st.sampled_from(INTERVALS)
marks = st.sampled_from([None, "+", "-"])


@settings(max_examples=400, deadline=None)
@given(values, intervals)
def test_rounded_value_is_multiple_of_interval(value, interval):
    result = round_value(value, interval)
    assert result % interval == 0


@settings(max_examples=400, deadline=None)
@given(values, intervals)
def test_rounding_is_idempotent(value, interval):
    once = round_value(value, interval)
    assert round_value(once, interval) == once


@settings(max_examples=600, deadline=None)
@given(values, intervals, marks)
def test_agrees_with_integer_reference(value, interval, mark):
    measured = Measured(str(value), value, mark)
    assert round_value(measured, interval) == reference_round(value, interval, mark)


@settings(max_examples=400, deadline=None)
@given(values, intervals, marks)
def test_sign_symmetry(value, interval, mark):
    positive = round_value(Measured("", abs(value), mark), interval)
    negative = round_value(Measured("", -abs(value), mark), interval)
    assert negative == -positive


@settings(max_examples=300, deadline=None)
@given(values, intervals)
def test_rounded_value_is_nearest(value, interval):
    result = round_value(value, interval)
    assert abs(result - value) <= interval / 2
