"""Compliance estimated from a random draw: rates by stratum and overall, with 95 % intervals.

A draw is a stratified random sample without replacement, so its results estimate the
compliance of the whole directory in scope (seed §五(一) 分层抽样).

Per stratum h (N_h enterprises, n_h inspected, x_h compliant), p_h = x_h / n_h with the
**Wilson score interval** on the effective size n'_h = n_h (N_h − 1) / (N_h − n_h), i.e. the
binomial variance times the finite-population correction (N_h − n_h) / (N_h − 1). Wilson
rather than the normal (Wald) interval because strata are small and rates are often near
0 or 1, where Wald's interval collapses to a point or leaves [0, 1]; Wilson keeps its
coverage there (Brown, Cai & DasGupta 2001). A stratum inspected in full (n_h = N_h) is
known exactly: its interval is the point.

Overall, the stratified estimator p_st = Σ W_h p_h with W_h = N_h / N and its unbiased
variance v = Σ W_h² (1 − n_h/N_h) p_h (1 − p_h) / (n_h − 1) (Cochran, Sampling Techniques,
§5.3; n_h = 1 contributes 0); the interval is Wilson on Kish's effective sample size
n_eff = p_st (1 − p_st) / v — the approach Dean & Pagano (2015) found to keep coverage for
survey proportions. z is the normal quantile (the standard library's NormalDist: scipy.stats
agrees to 1e-15 and takes seconds to import, on every start of the server). Strata with enterprises
but no results are reported as not covered and left out of the overall figure (whose
population is then only the covered strata).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

from sampling.errors import EstimateError


@dataclass(frozen=True)
class StratumCount:
    label: str
    population: int          # N_h: enterprises in the stratum (directory in scope)
    inspected: int           # n_h: drawn targets with a reviewed result
    compliant: int           # x_h: of those, compliant


@dataclass(frozen=True)
class Interval:
    rate: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"rate": round(self.rate, 4), "low": round(self.low, 4), "high": round(self.high, 4)}


@dataclass(frozen=True)
class StratumEstimate:
    count: StratumCount
    interval: Interval | None      # None: no results in this stratum
    flagged: bool = False          # its whole interval lies below the overall rate


@dataclass
class Estimate:
    strata: list[StratumEstimate]
    overall: Interval | None
    population: int                # N of the covered strata
    inspected: int
    effective_size: float | None
    confidence: float
    uncovered: list[str] = field(default_factory=list)

    def weakest(self, n: int = 3) -> list[StratumEstimate]:
        """The n strata with the lowest estimated compliance (flagged ones first)."""
        known = [s for s in self.strata if s.interval is not None]
        return sorted(known, key=lambda s: (not s.flagged, s.interval.rate, s.count.label))[:n]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: overall and per-stratum {rate, low, high}, rounded to 4 places."""
        return {"confidence": self.confidence, "population": self.population, "inspected": self.inspected,
                "effective_size": None if self.effective_size is None else round(self.effective_size, 2),
                "overall": self.overall.to_dict() if self.overall else None, "uncovered": list(self.uncovered),
                "strata": [{"label": s.count.label, "population": s.count.population, "inspected": s.count.inspected,
                            "compliant": s.count.compliant, "flagged": s.flagged,
                            **({"interval": s.interval.to_dict()} if s.interval else {"interval": None})}
                           for s in self.strata]}


def z_value(confidence: float) -> float:
    """The two-sided standard-normal quantile for `confidence` (1.959964 for 0.95)."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson(rate: float, size: float, z: float) -> Interval:
    """Wilson score interval for a proportion `rate` observed on (effective) size `size`."""
    if math.isinf(size):
        return Interval(rate, rate, rate)
    z2 = z * z
    denominator = 1 + z2 / size
    centre = (rate + z2 / (2 * size)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / size + z2 / (4 * size * size)) / denominator
    return Interval(rate, max(0.0, centre - half), min(1.0, centre + half))


def effective_size(inspected: int, population: int | None) -> float:
    """n' = n (N − 1) / (N − n): the size whose binomial variance equals the variance with
    finite-population correction; infinite for a census, n when N is unknown (None)."""
    if population is None:
        return float(inspected)
    if inspected >= population:
        return math.inf
    return inspected * (population - 1) / (population - inspected)


def _check(count: StratumCount) -> None:
    if min(count.population, count.inspected, count.compliant) < 0:
        raise EstimateError(f"分层 {count.label} 的数量不能为负 (negative counts)")
    if count.compliant > count.inspected:
        raise EstimateError(f"分层 {count.label}：合格数 {count.compliant} 大于检查数 {count.inspected} "
                            f"(more compliant than inspected)")
    if count.inspected > count.population:
        raise EstimateError(f"分层 {count.label}：检查数 {count.inspected} 大于总体数 {count.population} "
                            f"(more inspected than the stratum holds)")


def estimate(counts: Sequence[StratumCount], *, confidence: float = 0.95) -> Estimate:
    """Estimate compliance per stratum and overall; raises EstimateError on impossible counts."""
    if not 0 < confidence < 1:
        raise EstimateError(f"置信水平应在0与1之间：{confidence} (confidence must be in (0, 1))")
    z = z_value(confidence)
    labels = [c.label for c in counts]
    if len(set(labels)) != len(labels):
        raise EstimateError("分层标签重复 (stratum labels must be unique)")
    for c in counts:
        _check(c)
    covered = [c for c in counts if c.inspected > 0]
    uncovered = [c.label for c in counts if c.inspected == 0 and c.population > 0]
    total = sum(c.population for c in covered)
    overall, n_eff = None, None
    if covered:
        point, variance = 0.0, 0.0
        for c in covered:
            weight, p = c.population / total, c.compliant / c.inspected
            point += weight * p
            if c.inspected > 1:
                variance += weight ** 2 * (1 - c.inspected / c.population) * p * (1 - p) / (c.inspected - 1)
        census = all(c.inspected == c.population for c in covered)
        if census:
            n_eff = math.inf
        elif variance > 0:
            n_eff = point * (1 - point) / variance
        else:  # every sampled stratum all compliant or all not: no spread to estimate from
            n_eff = effective_size(sum(c.inspected for c in covered), total)
        overall = wilson(point, n_eff, z)
    strata = []
    for c in counts:
        if c.inspected == 0:
            strata.append(StratumEstimate(c, None))
            continue
        interval = wilson(c.compliant / c.inspected, effective_size(c.inspected, c.population), z)
        strata.append(StratumEstimate(c, interval, flagged=bool(overall and interval.high < overall.rate)))
    return Estimate(strata=strata, overall=overall, population=total, inspected=sum(c.inspected for c in covered),
                    effective_size=None if n_eff is None or math.isinf(n_eff) else n_eff,
                    confidence=confidence, uncovered=uncovered)
