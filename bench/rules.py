"""Benchmark of the judgement engine: parse a realistic mix of limits once, judge many values.

Run: .venv/bin/python bench/rules.py [--values N]
Prints verdicts/second on one core (median of 5 runs) and, for comparison, a baseline loop of
raw Decimal comparisons doing the same number of checks with no engine.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and "rules" would be this file.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import rules.judge as judge_module
from rules.judge import judge
from rules.limits import parse_limit

# (limit text, catalog unit, method, value unit, value generator)
MIX = [
    ("≤20", "mg/kg", "full", "mg/kg", lambda r: f"{r.uniform(0, 30):.1f}"),
    ("≤75", "mg/kg", "rounded", "mg/kg", lambda r: f"{r.uniform(50, 90):.2f}"),
    ("≤0.124 mg/m³", None, "full", "mg/m³", lambda r: f"{r.uniform(0, 0.2):.3f}"),
    ("≥97.0%", None, "rounded", "%", lambda r: f"{r.uniform(96, 99):.2f}"),
    ("≥97.0%", None, "full", "g/100g", lambda r: f"{r.uniform(96, 99):.2f}"),      # unit conversion
    ("4.0~7.5", None, "rounded", None, lambda r: f"{r.uniform(3.5, 8):.2f}"),
    ("4.0~8.5", None, "full", None, lambda r: f"{r.uniform(3.5, 9):.2f}"),
    ("10.0±0.1", "mm", "full", "mm", lambda r: f"{r.uniform(9.8, 10.2):.2f}"),
    ("10.0±0.1(不含0.1)", "mm", "rounded", "mm", lambda r: f"{r.uniform(9.8, 10.2):.2f}"),
    ("≤25 km/h", None, "full", "km/h", lambda r: f"{r.uniform(15, 30):.1f}"),
    ("≤25 km/h", None, "full", "m/s", lambda r: f"{r.uniform(5, 8):.2f}"),          # unit conversion
    ("≤0.01", "mg/L", "full", "µg/L", lambda r: f"{r.uniform(0, 15):.1f}"),          # unit conversion
    ("≤0.3", "mg/kg", "full", "mg/kg", lambda r: r.choice(["<0.01", "0.12", "0.31", "0.30(+)"])),
    ("≥3-4级", "级", "full", "级", lambda r: r.choice(["3", "3-4", "4", "4-5", "2-3"])),
    ("≥4", "级", "full", "级", lambda r: r.choice(["3", "3-4", "4", "4-5", "5"])),
    ("不得检出", "mg/kg", "full", "mg/kg", lambda r: r.choice(["未检出", "ND", "<0.05", "0.2"])),
    ("无异味", None, "full", None, lambda r: r.choice(["无异味", "有异味"])),
    ("≤16.50", None, "full", None, lambda r: r.choice(["16.50(+)", "16.49", "16.50(-)", "16.51"])),
]


def build_work(count: int, seed: int = 8170):
    """Return [(value, limit, method, value_unit)] with limits parsed once."""
    rng = random.Random(seed)
    parsed = [(parse_limit(text, unit), method, vunit, gen) for text, unit, method, vunit, gen in MIX]
    work = []
    for i in range(count):
        limit, method, vunit, gen = parsed[i % len(parsed)]
        work.append((gen(rng), limit, method, vunit))
    return work


def run_engine(work) -> float:
    start = time.perf_counter()
    for value, limit, method, vunit in work:
        judge(value, limit, method=method, value_unit=vunit)
    return time.perf_counter() - start


def run_baseline(work) -> float:
    """Raw Decimal comparisons: parse the value and compare with a fixed bound, no engine."""
    bound = Decimal(20)
    numbers = [v for v, *_ in work]
    passed = 0
    start = time.perf_counter()
    for text in numbers:
        try:
            passed += Decimal(text) <= bound
        except ArithmeticError:  # "<0.01", "ND", grades: the baseline cannot read them
            passed -= 1
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--values", type=int, default=100_000, help="verdicts per run")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    work = build_work(args.values)
    outcomes = {}
    for value, limit, method, vunit in work[: len(MIX) * 50]:  # warm caches, check a sample
        verdict = judge(value, limit, method=method, value_unit=vunit)
        outcomes[verdict.outcome] = outcomes.get(verdict.outcome, 0) + 1
    engine = [run_engine(work) for _ in range(args.runs)]
    base = [run_baseline(work) for _ in range(args.runs)]
    cached = judge_module.parse_measured
    judge_module.parse_measured = cached.__wrapped__  # every value parsed afresh
    try:
        uncached = [run_engine(work) for _ in range(args.runs)]
    finally:
        judge_module.parse_measured = cached
    uncached_rate = args.values / statistics.median(uncached)
    engine_rate = args.values / statistics.median(engine)
    base_rate = args.values / statistics.median(base)
    print(f"limits in the mix:      {len(MIX)} (≤, ≥, ranges, ±, grades, 不得检出, %, units; full and rounded)")
    print(f"verdicts per run:       {args.values:,}  (median of {args.runs} runs, one core)")
    print(f"sample outcomes:        {outcomes}")
    print(f"engine:                 {engine_rate:,.0f} verdicts/s")
    print(f"engine, no value cache: {uncached_rate:,.0f} verdicts/s")
    print(f"baseline (raw Decimal): {base_rate:,.0f} comparisons/s")
    print(f"engine / baseline:      {engine_rate / base_rate:.3f}  (baseline is {base_rate / engine_rate:.1f}x faster)")
    print(f"target ≥100,000/s:      {'met' if min(engine_rate, uncached_rate) >= 100_000 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
