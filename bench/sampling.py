"""Benchmark of the 双随机 draw and its verification on large directories.

Run: .venv/bin/python bench/sampling.py [--enterprises N] [--inspectors M] [--runs R]
Prints, as medians of R runs: the time to commit and reveal a draw (snapshots, SHA-256
digests of canonical JSON, HMAC keys, strata, staffing) and to verify it, beside a baseline
measured in the same process — computing one HMAC-SHA256 per enterprise and sorting the
keys, the least any keyed draw must do.
"""
from __future__ import annotations

import argparse
import hmac
import statistics
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from stdnum.cn import uscc

from sampling import Enterprise, Inspector, Plan, commit_draw, reveal_draw, verify

DISTRICTS = ("110105", "110108", "110101", "110102")


def make_inputs(enterprises: int, inspectors: int):
    directory = []
    for n in range(enterprises):
        district = DISTRICTS[n % len(DISTRICTS)]
        body = f"91{district}MA{n:07d}"
        directory.append(Enterprise(body + uscc.calc_check_digit(body), f"企业{n}", district,
                                    ("C17", "C18")[n % 2], "ABCD"[n % 4]))
    roster = [Inspector(f"JC{n:05d}", DISTRICTS[n % len(DISTRICTS)], ("textile",)) for n in range(inspectors)]
    plan = Plan.from_dict({"id": "bench", "name": "bench", "strata": ["jurisdiction", "risk_class"],
                           "allocation": {"ratio": "0.05", "overrides": [{"where": {"risk_class": "D"}, "ratio": "0.2"}]},
                           "items": [{"id": "1", "name": "x", "competence": "textile", "legal_basis": "y"}],
                           "max_targets_per_inspector": 60})
    return plan, directory, roster


def timed(func):
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--inspectors", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    plan, directory, roster = make_inputs(args.enterprises, args.inspectors)
    seed = "5e" * 32
    secret = bytes.fromhex(seed)

    def baseline():
        return sorted(hmac.digest(secret, f"target\x1f{e.credit_code}".encode(), "sha256").hex() for e in directory)

    def draw():
        return reveal_draw(commit_draw(plan, directory, roster, {}, seed), seed)

    draws, verifies, baselines = [], [], []
    for _ in range(args.runs):
        baselines.append(timed(baseline)[0])
        t, doc = timed(draw)
        draws.append(t)
        t, report = timed(lambda d=doc: verify(d))
        assert report.matches
        verifies.append(t)
    base, draw, check = (statistics.median(x) for x in (baselines, draws, verifies))
    print(f"{args.enterprises} enterprises, {args.inspectors} inspectors, {len(doc['result']['targets'])} targets "
          f"(median of {args.runs})")
    print(f"  baseline (one HMAC per enterprise + sort): {base * 1000:8.1f} ms")
    print(f"  commit + reveal draw:                      {draw * 1000:8.1f} ms  ({draw / base:.1f}× baseline)")
    print(f"  verify (digests + re-run + compare):       {check * 1000:8.1f} ms  ({check / base:.1f}× baseline)")


if __name__ == "__main__":
    main()
