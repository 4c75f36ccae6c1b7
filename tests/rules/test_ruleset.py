"""RuleSet.judge_indicator and interpretations."""
from __future__ import annotations

from datetime import date

import pytest

from rules.catalog import Catalog, Edition, Indicator, Source, Standard
from rules.errors import InterpretationError, UnknownIndicator
from rules.interpretation import Interpretation, effective_interpretations
from rules.ruleset import RuleSet

ED = "GB 18401-2010"
HCHO_A = f"{ED}/5.1/formaldehyde/A"
HCHO_B = f"{ED}/5.1/formaldehyde/B"
PH_A = f"{ED}/5.1/ph/A"
FAST = f"{ED}/5.1/fastness-water/A"
ODOUR = f"{ED}/5.1/odour"
SPEED = "GB 17761-2024/6.1/speed"


def _ind(id, limit, unit, clause="5.1", classes=(), method="full", interval=None, edition=ED, name="指标"):
    return Indicator(id=id, edition_id=edition, clause=clause, name=name, name_en=None, limit=limit,
                     unit=unit, method=method, interval=interval, categories=(), classes=classes,
                     test_method=None, key=False, source=None, note=None)


def _edition(id, code, year, indicators):
    return Edition(id=id, standard_code=code, year=year, title=code, title_en=None, issued=None,
                   effective=date(year, 1, 1), withdrawn=None, replaces=(), replaced_by=None,
                   transition=None, categories=(), classes=(), clauses=(), indicators=tuple(indicators),
                   source=Source("test"), openstd_hcno=None)


@pytest.fixture(scope="module")
def catalog():
    textile = _edition(ED, "GB 18401", 2010, [
        _ind(HCHO_A, "≤20", "mg/kg", classes=("A",), name="甲醛含量"),
        _ind(HCHO_B, "≤75", "mg/kg", classes=("B",)),
        _ind(PH_A, "4.0~7.5", None, classes=("A",), method="rounded"),
        _ind(FAST, "≥3-4级", "级", classes=("A",)),
        _ind(ODOUR, "无异味", None, clause="5.2"),
    ])
    ebike = _edition("GB 17761-2024", "GB 17761", 2024, [
        _ind(SPEED, "≤25", "km/h", clause="6.1", edition="GB 17761-2024")])
    return Catalog((Standard("GB 18401", "纺织", None, "textile", True, (textile,)),
                    Standard("GB 17761", "电动自行车", None, "ebike", True, (ebike,))))


def test_judges_with_version_and_indicator(catalog):
    rules = RuleSet("2025.1", catalog)
    verdict = rules.judge_indicator(HCHO_A, "21", "mg/kg", on=date(2025, 1, 1))
    assert verdict.outcome == "fail"
    assert verdict.ruleset_version == "2025.1"
    assert verdict.indicator_ids == (HCHO_A,)
    assert verdict.interpretation_ids == ()
    assert "甲醛含量" in verdict.steps[0] and "2025.1" in verdict.steps[0]


@pytest.mark.parametrize("indicator, value, unit, outcome", [
    (HCHO_A, "20", "mg/kg", "pass"),
    (HCHO_A, "20", "ppm", "pass"),
    (HCHO_A, "0.021", "mg/g", "fail"),
    (HCHO_A, "<5", "mg/kg", "pass"),
    (PH_A, "7.56", None, "fail"),      # rounded method: 7.56 -> 7.6 > 7.5
    (FAST, "4", "级", "pass"),
    (FAST, "3", None, "fail"),
    (ODOUR, "无异味", None, "pass"),
    (SPEED, "7", "m/s", "fail"),
    (SPEED, "6.9", "m/s", "pass"),
    (SPEED, "25", "kg", "inconclusive"),
])
def test_indicator_outcomes(catalog, indicator, value, unit, outcome):
    verdict = RuleSet("v1", catalog).judge_indicator(indicator, value, unit, on=date(2025, 1, 1))
    assert verdict.outcome == outcome, verdict.steps


def test_indicator_method_rounded_used(catalog):
    verdict = RuleSet("v1", catalog).judge_indicator(PH_A, "7.54", None, on=date(2025, 1, 1))
    assert verdict.method == "rounded" and verdict.outcome == "pass" and verdict.compared_value == "7.5"


def test_unknown_indicator(catalog):
    with pytest.raises(UnknownIndicator):
        RuleSet("v1", catalog).judge_indicator("nope", "1", None)


def test_limits_are_parsed_once(catalog, monkeypatch):
    import rules.ruleset as module

    calls = []
    real = module.parse_limit
    monkeypatch.setattr(module, "parse_limit", lambda text, unit: calls.append(text) or real(text, unit))
    rules = RuleSet("v1", catalog)
    for value in ("1", "2", "30", "19.9"):
        rules.judge_indicator(HCHO_A, value, "mg/kg", on=date(2025, 1, 1))
    assert calls == ["≤20"]


def test_product_class_outside_indicator_is_not_applicable(catalog):
    verdict = RuleSet("v1", catalog).judge_indicator(HCHO_A, "50", "mg/kg", product_class="B")
    assert verdict.outcome == "inconclusive" and verdict.applicable is False
    verdict = RuleSet("v1", catalog).judge_indicator(HCHO_A, "50", "mg/kg", product_class="A")
    assert verdict.outcome == "fail" and verdict.applicable is True


def _interp(id, effect, effective=date(2024, 1, 1), version=1, indicator_ids=(HCHO_A,), clause="5.1", until=None):
    return Interpretation(id=id, version=version, edition_id=ED, clause=clause, indicator_ids=indicator_ids,
                          effective=effective, effect=effect, until=until)


@pytest.mark.parametrize("effect, value, outcome, method", [
    ({"method": "rounded"}, "20.4", "pass", "rounded"),
    ({"interval": "5"}, "22", "fail", "full"),          # interval only matters when rounding
    ({"limit": "≤30"}, "25", "pass", "full"),
    ({"limit": "≤10"}, "15", "fail", "full"),
])
def test_interpretation_changes_judgement(catalog, effect, value, outcome, method):
    interp = _interp("INT-1", effect)
    verdict = RuleSet("v1", catalog, (interp,)).judge_indicator(HCHO_A, value, "mg/kg", on=date(2025, 1, 1))
    assert verdict.outcome == outcome
    assert verdict.method == method
    assert verdict.interpretation_ids == ("INT-1",)
    assert any("INT-1" in s for s in verdict.steps)


def test_interval_interpretation_with_rounded_method(catalog):
    interps = (_interp("INT-M", {"method": "rounded"}), _interp("INT-I", {"interval": "5"}))
    verdict = RuleSet("v1", catalog, interps).judge_indicator(HCHO_A, "22", "mg/kg", on=date(2025, 1, 1))
    assert verdict.compared_value == "20" and verdict.outcome == "pass"
    assert set(verdict.interpretation_ids) == {"INT-M", "INT-I"}


def test_interpretation_not_yet_effective_is_ignored(catalog):
    interp = _interp("INT-1", {"limit": "≤30"}, effective=date(2026, 1, 1))
    rules = RuleSet("v1", catalog, (interp,))
    before = rules.judge_indicator(HCHO_A, "25", "mg/kg", on=date(2025, 12, 31))
    after = rules.judge_indicator(HCHO_A, "25", "mg/kg", on=date(2026, 1, 1))
    assert (before.outcome, before.interpretation_ids) == ("fail", ())
    assert (after.outcome, after.interpretation_ids) == ("pass", ("INT-1",))


def test_not_applicable_interpretation(catalog):
    interp = _interp("INT-NA", {"applicable": False})
    verdict = RuleSet("v1", catalog, (interp,)).judge_indicator(HCHO_A, "25", "mg/kg", on=date(2025, 1, 1))
    assert verdict.applicable is False and verdict.outcome == "inconclusive"
    assert verdict.interpretation_ids == ("INT-NA",)


def test_clause_wide_interpretation_and_other_indicators(catalog):
    interp = _interp("INT-C", {"limit": "无明显异味"}, indicator_ids=(), clause="5.2")
    rules = RuleSet("v1", catalog, (interp,))
    assert rules.judge_indicator(ODOUR, "无明显异味", None, on=date(2025, 1, 1)).interpretation_ids == ("INT-C",)
    assert rules.judge_indicator(HCHO_A, "1", "mg/kg", on=date(2025, 1, 1)).interpretation_ids == ()


def test_newest_version_wins(catalog):
    v1 = _interp("INT-1", {"limit": "≤30"}, version=1)
    v2 = _interp("INT-1", {"limit": "≤22"}, version=2, effective=date(2024, 6, 1))
    indicator = catalog.indicator(HCHO_A)
    assert effective_interpretations((v2, v1), indicator, date(2025, 1, 1)) == (v2,)
    assert effective_interpretations((v2, v1), indicator, date(2024, 3, 1)) == (v1,)
    verdict = RuleSet("v1", catalog, (v1, v2)).judge_indicator(HCHO_A, "25", "mg/kg", on=date(2025, 1, 1))
    assert verdict.outcome == "fail"


@pytest.mark.parametrize("effect", [{}, {"colour": "red"}, {"method": "nearest"}, {"applicable": True},
                                    {"limit": ""}, {"method": "full", "interval": "1"}])
def test_bad_effects_rejected(effect):
    with pytest.raises(InterpretationError):
        _interp("X", effect)


def test_interpretation_dict_round_trip():
    interp = _interp("INT-1", {"interval": "0.1"}, until=date(2030, 1, 1))
    assert Interpretation.from_dict(interp.to_dict()) == interp
    with pytest.raises(InterpretationError):
        Interpretation.from_dict({"id": "x"})
