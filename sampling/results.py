"""From a draw and the reviewed results of its targets to the estimator's stratum counts.

    stratum_counts(draw["result"], {credit_code: compliant (bool)}) -> [StratumCount]

Only the draw's own targets count, each once, with the outcome of its planned inspection
(a re-inspection after an order to correct says whether the order was met, not how
compliant the directory was: it must not enter the estimate). Targets without a reviewed
result yet are left out of `inspected`; the stratum's population is the draw's.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sampling.errors import DrawFormatError
from sampling.estimate import StratumCount


def stratum_counts(result: Mapping[str, Any], outcomes: Mapping[str, bool]) -> list[StratumCount]:
    """Return one StratumCount per stratum of the draw, in the draw's order; raises
    DrawFormatError when `result` is not a draw result."""
    try:
        strata = [(s["label"], int(s["population"])) for s in result["strata"]]
        targets = [(t["credit_code"], t["stratum"]) for t in result["targets"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise DrawFormatError(f"不是抽取结果：{exc} (not a draw result)") from exc
    inspected = {label: 0 for label, _ in strata}
    compliant = {label: 0 for label, _ in strata}
    for code, label in targets:
        if code in outcomes and label in inspected:
            inspected[label] += 1
            compliant[label] += 1 if outcomes[code] else 0
    return [StratumCount(label, population, inspected[label], compliant[label]) for label, population in strata]
