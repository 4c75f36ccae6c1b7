"""The stratified compliance estimator against cases worked by hand (steps in comments),
against scipy's own Wilson interval where no finite-population correction applies, and
its refusals of impossible counts."""
from __future__ import annotations

import math

import pytest
from scipy.stats import binomtest

from sampling import EstimateError, StratumCount, estimate
from sampling.estimate import effective_size, wilson, z_value


def test_z_for_95_percent():
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)


@pytest.mark.parametrize("x, n", [(0, 10), (1, 10), (7, 25), (25, 25), (180, 200)])
def test_without_correction_equals_scipys_wilson(x, n):
    ours = wilson(x / n, effective_size(n, None), z_value(0.95))
    theirs = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert (ours.low, ours.high) == pytest.approx((theirs.low, theirs.high), abs=1e-12)


def test_one_stratum_with_finite_population_correction():
    # N=100, n=20, x=18: p=0.9; n' = 20·99/80 = 24.75; z² = 3.841459
    # centre = (0.9 + 3.841459/49.5) / (1 + 3.841459/24.75) = 0.977605 / 1.155210 = 0.84626
    # half = 1.959964·sqrt(0.09/24.75 + 3.841459/(4·24.75²)) / 1.155210 = 0.14139 / 1.155210 = 0.12239
    result = estimate([StratumCount("all", 100, 20, 18)])
    s = result.strata[0].interval
    assert (s.rate, round(s.low, 4), round(s.high, 4)) == (0.9, 0.7239, 0.9687)
    # narrower than without the correction (n = 20)
    plain = binomtest(18, 20).proportion_ci(method="wilson")
    assert s.low > plain.low and s.high < plain.high
    assert result.overall.rate == pytest.approx(0.9)


def test_two_strata_stratified_total():
    # A: N=300 n=30 x=27 (p=0.9); B: N=100 n=20 x=10 (p=0.5); W = 0.75, 0.25
    # p_st = 0.75·0.9 + 0.25·0.5 = 0.8
    # v = 0.75²·(1−0.1)·0.9·0.1/29 + 0.25²·(1−0.2)·0.5·0.5/19 = 0.0015711 + 0.0006579 = 0.0022290
    # n_eff = 0.8·0.2/0.0022290 = 71.78 -> Wilson(0.8, 71.78) = [0.6933, 0.8762]
    result = estimate([StratumCount("A", 300, 30, 27), StratumCount("B", 100, 20, 10)])
    assert result.overall.rate == pytest.approx(0.8)
    assert result.effective_size == pytest.approx(71.78, abs=0.01)
    assert (round(result.overall.low, 4), round(result.overall.high, 4)) == (0.6933, 0.8762)
    a, b = result.strata
    assert (round(b.interval.low, 4), round(b.interval.high, 4)) == (0.3167, 0.6833)   # n' = 24.75
    assert (round(a.interval.low, 4), round(a.interval.high, 4)) == (0.7534, 0.9636)   # n' = 30·299/270
    assert b.flagged and not a.flagged          # B's whole interval is below 0.8
    assert [s.count.label for s in result.weakest(2)] == ["B", "A"]


def test_census_is_exact():
    result = estimate([StratumCount("A", 12, 12, 9), StratumCount("B", 5, 5, 5)])
    assert result.strata[0].interval.low == result.strata[0].interval.high == 0.75
    assert result.overall.low == result.overall.high == pytest.approx(14 / 17)
    assert effective_size(12, 12) == math.inf


def test_all_compliant_strata_still_get_an_interval():
    result = estimate([StratumCount("A", 100, 10, 10), StratumCount("B", 50, 5, 5)])
    assert result.overall.rate == 1.0 and result.overall.high == 1.0
    assert result.overall.low < 1.0          # not the degenerate Wald point


def test_uncovered_strata_are_reported_and_left_out():
    result = estimate([StratumCount("A", 100, 20, 18), StratumCount("B", 40, 0, 0)])
    assert result.uncovered == ["B"]
    assert result.population == 100 and result.overall.rate == pytest.approx(0.9)
    assert result.strata[1].interval is None
    assert estimate([StratumCount("B", 40, 0, 0)]).overall is None


@pytest.mark.parametrize("count, message", [
    (StratumCount("A", 10, 5, 6), "合格数"),
    (StratumCount("A", 4, 5, 1), "总体数"),
    (StratumCount("A", 10, -1, 0), "负"),
])
def test_impossible_counts_are_refused(count, message):
    with pytest.raises(EstimateError, match=message):
        estimate([count])


def test_duplicate_labels_and_bad_confidence_are_refused():
    with pytest.raises(EstimateError):
        estimate([StratumCount("A", 10, 5, 5), StratumCount("A", 10, 5, 5)])
    with pytest.raises(EstimateError):
        estimate([StratumCount("A", 10, 5, 5)], confidence=95)


def test_to_dict_is_json_ready():
    data = estimate([StratumCount("A", 300, 30, 27), StratumCount("B", 100, 20, 10)]).to_dict()
    assert data["overall"] == {"rate": 0.8, "low": 0.6933, "high": 0.8762}
    assert data["strata"][1]["flagged"] is True
