"""judge(): GB/T 8170 §4.3 full-value and rounded-value comparison, <LOD, units, steps."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules.errors import IntervalError, LimitParseError, RulesError, ValueParseError
from rules.judge import judge
from rules.limits import parse_limit
from rules.verdict import Verdict

CASES = json.loads((Path(__file__).parents[1] / "cases/rules/judgement.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['value']}|{c['limit']}|{c['method']}" for c in CASES])
def test_judgement_cases(case):
    verdict = judge(case["value"], case["limit"], method=case["method"], interval=case.get("interval"),
                    value_unit=case.get("value_unit"), limit_unit=case.get("limit_unit"))
    assert verdict.outcome == case["expected"], verdict.steps
    if "compared_value" in case:
        assert verdict.compared_value == case["compared_value"]
    assert verdict.method == case["method"]
    assert verdict.limit_text == case["limit"]
    assert verdict.steps and all(isinstance(s, str) for s in verdict.steps)


def test_full_comparison_is_never_more_lenient_than_rounded():
    # GB/T 8170 §4.3: for the same limit full-value comparison is the stricter one
    # (for inclusive bounds; with "<" or 不含 the rounded value can land on the bound)
    for case in CASES:
        if case["method"] != "full" or case.get("value_unit") or case["expected"] != "pass":
            continue
        limit = parse_limit(case["limit"], case.get("limit_unit"))
        bounds = [b for b in (getattr(limit, "lower", None), getattr(limit, "upper", None)) if b]
        if not all(b.inclusive for b in bounds):
            continue
        rounded = judge(case["value"], case["limit"], method="rounded", limit_unit=case.get("limit_unit"))
        assert rounded.outcome in ("pass", "inconclusive"), case


def test_steps_name_limit_rounding_and_comparison():
    verdict = judge("0.549", "≤0.5", method="rounded")
    text = "\n".join(verdict.steps)
    assert "≤0.5" in text and "修约到 0.1" in text and "0.549 → 0.5" in text and "修约值比较法" in text


def test_steps_name_unit_conversion():
    verdict = judge("7", "≤25 km/h", value_unit="m/s")
    assert verdict.outcome == "fail"
    assert any("单位换算" in s and "km/h" in s for s in verdict.steps)
    assert verdict.compared_value.startswith("25.2")


def test_unit_that_cannot_convert_is_inconclusive_with_reason():
    verdict = judge("7", "≤25 km/h", value_unit="mg/kg")
    assert verdict.outcome == "inconclusive"
    assert "单位无法换算" in verdict.reason


def test_missing_value_is_inconclusive():
    for value in (None, "", "  "):
        verdict = judge(value, "≤0.5")
        assert verdict.outcome == "inconclusive" and verdict.compared_value is None
        assert "缺少测定值" in verdict.reason


@pytest.mark.parametrize("value, limit, error", [
    ("abc", "≤0.5", ValueParseError),
    ("0.4", "≤0.5x", LimitParseError),
    ("x", "≥3-4级", ValueParseError),
])
def test_unreadable_text_raises(value, limit, error):
    with pytest.raises(error):
        judge(value, limit)


def test_bad_method_and_interval():
    with pytest.raises(RulesError):
        judge("1", "≤2", method="nearest")
    with pytest.raises(IntervalError):
        judge("1", "≤2", method="rounded", interval="0.3")


def test_accepts_parsed_limit_and_same_result():
    limit = parse_limit("≤0.5")
    assert judge("0.51", limit) == judge("0.51", "≤0.5")


def test_verdict_round_trips_through_dict():
    verdict = judge("16.50(+)", "≤16.50")
    data = verdict.to_dict()
    assert data["outcome"] == "fail" and data["compared_value"] == "16.50(+)"
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert Verdict.from_dict(data) == verdict
    assert "不合格" in verdict.summary()


def test_negative_marked_value_direction():
    # -16.50(+): absolute value above 16.50, so the true value is below -16.50
    assert judge("-16.50(+)", "≤-16.50").outcome == "pass"
    assert judge("-16.50(-)", "≤-16.50").outcome == "fail"
