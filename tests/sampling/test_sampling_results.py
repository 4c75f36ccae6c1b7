"""Stratum counts from a draw and its reviewed outcomes feed the estimator."""
from __future__ import annotations

import pytest
from conftest import SEED

from sampling import DrawFormatError, StratumCount, estimate, run_draw
from sampling.results import stratum_counts


def test_counts_follow_the_draw(plan, directory, roster):
    result = run_draw(plan, directory, roster, {}, SEED)["result"]
    targets = result["targets"]
    outcomes = {t["credit_code"]: t["stratum"] != "risk_class=D" for t in targets[:-1]}   # the last not reviewed
    outcomes["91110105MA0000000X"] = False          # not a target of this draw: ignored
    counts = stratum_counts(result, outcomes)
    assert [c.label for c in counts] == ["risk_class=A", "risk_class=B", "risk_class=C", "risk_class=D"]
    assert sum(c.inspected for c in counts) == len(targets) - 1
    by_label = {c.label: c for c in counts}
    assert by_label["risk_class=D"].compliant == 0
    for label, population in (("risk_class=A", 12), ("risk_class=B", 12), ("risk_class=C", 8)):
        reviewed = sum(1 for t in targets[:-1] if t["stratum"] == label)
        assert by_label[label] == StratumCount(label, population, reviewed, reviewed)
    assert estimate(counts).overall is not None


def test_not_a_result():
    with pytest.raises(DrawFormatError):
        stratum_counts({"strata": [{"label": "all"}]}, {})
