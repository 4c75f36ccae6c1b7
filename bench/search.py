"""Offline catalog search on the tablet: latency over the 20,000-indicator synthetic
catalog (plus the real one), beside two baselines measured in the same run.

Run: .venv/bin/python bench/search.py [--indicators 20000] [--runs 5] [--rounds 20]

- new:       assets.catalog_search.CatalogSearch (numbers, titles, keywords, pinyin,
             initials; ranked; class labels, editions, related standards)
- zh-index:  the earlier assets.search.search_catalog (zhsearch.Index; no pinyin)
- code-only: what the tablet did before: a standard number looked up in the catalog
             (Catalog.standard), anything else finds nothing
Per engine: p50 / p95 / max latency in ms (median over --runs runs of --rounds rounds of
the query mix), and how many queries of the mix found their expected hit first.
The target: new p95 under 50 ms on this machine.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import assets
from assets.catalog_search import CatalogSearch
from assets.search import search_catalog
from assets.synthetic import generate
from rules.catalog import Catalog
from rules.errors import UnknownStandard

ON = date(2026, 1, 1)
#: (query, a word the first hit's title must hold, or a standard code it must be)
MIX = [
    ("GB 18401", "GB 18401"), ("gb18401-2010", "GB 18401"), ("17761", "GB 17761"),
    ("GB 60123", "GB 60123"), ("GB 60499", "GB 60499"),
    ("甲醛", "甲醛"), ("甲醛含量", "甲醛"), ("jiaquan", "甲醛"), ("jq", "甲醛"), ("jiaq", "甲醛"),
    ("铅", "铅"), ("qian", "铅"), ("饮用水 铅", "铅"), ("色牢度", "色牢度"), ("selaodu", "色牢度"),
    ("sld", "色牢度"), ("总迁移量", "总迁移量"), ("zqyl", "总迁移量"), ("菌落总数", "菌落总数"),
    ("婴幼儿服装 甲醛", "婴幼儿"), ("电动自行车 车速", "电动自行车"), ("可分解致癌芳香胺", "芳香胺"),
    ("formaldehyde", "甲醛"), ("lead", "铅"), ("pH", "pH"), ("浑浊度", "浑浊度"),
    ("最高设计车速", "车速"), ("黄曲霉毒素B1", "黄曲霉毒素"), ("邻苯二甲酸酯", "邻苯二甲酸酯"),
    ("甲醛释放量 人造板", "甲醛释放量"),
]


def full_catalog(indicators: int) -> Catalog:
    """Return the real catalog plus the synthetic one (`indicators` indicators)."""
    synthetic = Catalog.from_dicts(generate(indicators=indicators)) if indicators else Catalog(())
    return Catalog(tuple(assets.load_catalog().standards) + synthetic.standards)


def engines(catalog: Catalog) -> dict:
    """Return name -> (build seconds, function(query) -> (first code, first title) or None)."""
    t0 = time.perf_counter()
    new = CatalogSearch(catalog)
    built_new = time.perf_counter() - t0

    def run_new(q):
        hits = new.search(q, on=ON, limit=20)
        return (hits[0].standard_code, hits[0].title) if hits else None

    t0 = time.perf_counter()
    search_catalog(catalog, "预热")        # builds its cached index
    built_zh = time.perf_counter() - t0

    def run_zh(q):
        hits = search_catalog(catalog, q, 20)
        return (hits[0].standard_code, hits[0].title) if hits else None

    def run_code(q):
        try:
            std = catalog.standard(q)
        except UnknownStandard:
            return None
        return std.code, std.title

    return {"new": (built_new, run_new), "zh-index": (built_zh, run_zh), "code-only": (0.0, run_code)}


def found_first(answer, expected: str) -> bool:
    """True when a first hit (code, title) is the expected standard or holds the word."""
    return answer is not None and (answer[0] == expected or expected in answer[1])


def latencies(run, rounds: int) -> list[float]:
    """Return the latency (s) of every query of MIX, `rounds` times."""
    out = []
    for _ in range(rounds):
        for query, _ in MIX:
            t0 = time.perf_counter()
            run(query)
            out.append(time.perf_counter() - t0)
    return out


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def measure(indicators: int = 20000, runs: int = 5, rounds: int = 20) -> dict:
    """Return {engine: {build_s, p50_ms, p95_ms, max_ms, found, of}} (medians over runs)."""
    catalog = full_catalog(indicators)
    results = {}
    for name, (built, run) in engines(catalog).items():
        run("预热")
        per_run = [latencies(run, rounds) for _ in range(runs)]
        found = sum(found_first(run(q), expected) for q, expected in MIX)
        results[name] = {
            "build_s": built,
            "p50_ms": statistics.median(percentile(r, 0.50) for r in per_run) * 1000,
            "p95_ms": statistics.median(percentile(r, 0.95) for r in per_run) * 1000,
            "max_ms": statistics.median(max(r) for r in per_run) * 1000,
            "found": found, "of": len(MIX)}
    results["_catalog"] = {"standards": len(catalog.standards),
                           "indicators": sum(1 for _ in catalog.indicators())}
    return results


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when the new search's p95 is 50 ms or more."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--indicators", type=int, default=20000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--rounds", type=int, default=20)
    args = p.parse_args(argv)
    res = measure(args.indicators, args.runs, args.rounds)
    cat = res.pop("_catalog")
    print(f"catalog: {cat['standards']} standards, {cat['indicators']} indicators; "
          f"{len(MIX)} queries × {args.rounds} rounds, median of {args.runs} runs")
    print(f"{'engine':10s} {'build s':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} {'found first':>12s}")
    for name, r in res.items():
        print(f"{name:10s} {r['build_s']:8.2f} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} {r['max_ms']:8.2f} "
              f"{r['found']:>7d}/{r['of']}")
    ok = res["new"]["p95_ms"] < 50
    print(f"new search p95 {'under' if ok else 'NOT under'} 50 ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
