"""The draw is uniform: over many seeds every enterprise (and every pair of enterprises) is
drawn equally often, and so is every inspector — checked with scipy's chi-square test. The
seeds are fixed (SHA-256 of 0, 1, 2 …), so the test is deterministic; the same test rejects
a deliberately biased selector, so it can fail."""
from __future__ import annotations

import hashlib
from collections import Counter
from itertools import combinations

from conftest import make_directory, make_roster
from scipy.stats import chisquare

from sampling import Inspector, Plan
from sampling.draw import compute_result

SEEDS = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(3000)]
ALPHA = 0.001


def _plan(count: int) -> Plan:
    return Plan.from_dict({"id": "u", "name": "uniformity", "allocation": {"count": count},
                           "items": [{"id": "1", "name": "x", "competence": "textile", "legal_basis": "y"}]})


def _p_value(counts: Counter, categories: list) -> float:
    observed = [counts.get(c, 0) for c in categories]
    return chisquare(observed).pvalue       # expected: equal frequencies


def test_each_enterprise_equally_likely():
    directory = make_directory(20)
    plan, roster = _plan(5), make_roster(8)
    counts = Counter()
    for seed in SEEDS[:2000]:
        counts.update(t["credit_code"] for t in compute_result(plan, directory, roster, {}, seed)["targets"])
    assert sum(counts.values()) == 2000 * 5
    assert _p_value(counts, [e.credit_code for e in directory]) > ALPHA


def test_each_subset_equally_likely():
    directory = make_directory(6)
    plan, roster = _plan(2), make_roster(8)
    counts = Counter()
    for seed in SEEDS:
        counts[frozenset(t["credit_code"] for t in compute_result(plan, directory, roster, {}, seed)["targets"])] += 1
    subsets = [frozenset(pair) for pair in combinations([e.credit_code for e in directory], 2)]
    assert set(counts) == set(subsets)          # all 15 pairs occur
    assert _p_value(counts, subsets) > ALPHA


def test_each_eligible_inspector_equally_likely():
    directory = make_directory(1)
    plan = _plan(1)
    district = directory[0].jurisdiction
    roster = [Inspector(f"JC{n}", district, ("textile",)) for n in range(6)]
    counts = Counter()
    for seed in SEEDS:
        counts.update(compute_result(plan, directory, roster, {}, seed)["targets"][0]["inspectors"])
    assert _p_value(counts, [i.code for i in roster]) > ALPHA


def test_the_check_rejects_a_biased_selector():
    """A selector that prefers the directory's first entries (as 'take the first k after a
    weak shuffle' would) fails the same test."""
    codes = [e.credit_code for e in make_directory(20)]
    counts = Counter()
    for seed in SEEDS[:2000]:
        keyed = sorted(codes, key=lambda c: (hashlib.sha256((seed + c).encode()).digest()[0] // 2
                                             + codes.index(c) // 4, c))
        counts.update(keyed[:5])
    assert _p_value(counts, codes) < ALPHA
