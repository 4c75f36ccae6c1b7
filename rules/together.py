"""Requirements met together: a product must meet several standards at once (GB 31701 with
GB 18401). `judge_together` combines the verdicts of each edition into one explained
verdict. Pure.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from rules.verdict import OUTCOME_TEXT, Verdict

__all__ = ["judge_together"]


def _edition_outcome(verdicts: Sequence[Verdict]) -> str:
    applicable = [v for v in verdicts if v.applicable]
    if not applicable:
        return "inconclusive"
    outcomes = {v.outcome for v in applicable}
    if "fail" in outcomes:
        return "fail"
    return "inconclusive" if "inconclusive" in outcomes else "pass"


def judge_together(required: Sequence[str], verdicts: Mapping[str, Sequence[Verdict]], *,
                   ruleset_version: str | None = None) -> Verdict:
    """Return one verdict for a product that must meet every edition in `required`
    (its own first, then those from rules.chain.together_editions), given each edition's
    verdicts. It fails when any edition fails, is inconclusive when an edition has no
    applicable verdict or an inconclusive one, and passes only when every edition passes.
    Raises ValueError when `required` is empty."""
    if not required:
        raise ValueError("required must name at least one edition")
    steps: list = [("须同时符合：{}", ("、".join(required),))]
    outcomes: dict[str, str] = {}
    ids: list[str] = []
    interpretations: list[str] = []
    for edition_id in required:
        found = tuple(verdicts.get(edition_id, ()))
        outcome = _edition_outcome(found)
        outcomes[edition_id] = outcome
        failed = [i for v in found if v.outcome == "fail" for i in v.indicator_ids]
        for v in found:
            ids.extend(v.indicator_ids)
            interpretations.extend(v.interpretation_ids)
        if not found:
            steps.append(("{}：尚未检验，无法判定", (edition_id,)))
        elif failed:
            steps.append(("{}：{}（不符合的指标：{}）", (edition_id, OUTCOME_TEXT[outcome], "、".join(failed))))
        else:
            steps.append(("{}：{}（{} 项）", (edition_id, OUTCOME_TEXT[outcome], len(found))))
    values = set(outcomes.values())
    outcome = "fail" if "fail" in values else "inconclusive" if "inconclusive" in values else "pass"
    reason = None
    if outcome == "fail":
        reason = "不符合：" + "、".join(e for e, o in outcomes.items() if o == "fail")
    elif outcome == "inconclusive":
        reason = "尚未全部判定 (not every standard judged): " + "、".join(
            e for e, o in outcomes.items() if o == "inconclusive")
    steps.append(("结论：{}", (OUTCOME_TEXT[outcome],)))
    return Verdict(outcome, None, steps, "combined", "同时符合 " + "、".join(required), ruleset_version,
                   tuple(dict.fromkeys(ids)), tuple(dict.fromkeys(interpretations)), reason)
