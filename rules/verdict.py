"""Verdict: the outcome of judging one value against one limit, with the steps that led there.

Steps are recorded as (template, arguments) pairs and formatted into Chinese text only when
`steps` is read, so judging many values does not pay for text nobody looks at.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

OUTCOMES = ("pass", "fail", "inconclusive")
OUTCOME_TEXT = {"pass": "合格", "fail": "不合格", "inconclusive": "无法判定"}
METHOD_TEXT = {"full": "全数值比较法", "rounded": "修约值比较法", "answer": "逐项核对", "combined": "同时符合"}


def _arg_text(arg: Any) -> str:
    if isinstance(arg, Decimal):
        text = format(arg, "f")
        return "0" if text == "-0" else text
    if callable(arg):
        return str(arg())
    return str(arg)


def format_step(step: str | tuple) -> str:
    """Return the text of one recorded step (a string, or (template, args))."""
    if isinstance(step, str):
        return step
    template, args = step
    return template.format(*(_arg_text(a) for a in args))


class Verdict:
    """pass / fail / inconclusive, the value compared, the steps, and what produced it.

    Fields (docs/contracts.md): outcome, compared_value, steps, method, limit_text,
    ruleset_version, indicator_ids, interpretation_ids, reason; plus `applicable`
    (False when an interpretation or the product class takes the indicator out of scope).
    """
    __slots__ = (
        "_steps",
        "applicable",
        "compared_value",
        "indicator_ids",
        "interpretation_ids",
        "limit_text",
        "method",
        "outcome",
        "reason",
        "ruleset_version",
    )

    def __init__(self, outcome: str, compared_value: str | None, steps=(), method: str = "full",
                 limit_text: str = "", ruleset_version: str | None = None,
                 indicator_ids: tuple[str, ...] = (), interpretation_ids: tuple[str, ...] = (),
                 reason: str | None = None, applicable: bool = True):
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {outcome!r}")
        self.outcome = outcome
        self.compared_value = compared_value
        self._steps = tuple(steps)
        self.method = method
        self.limit_text = limit_text
        self.ruleset_version = ruleset_version
        self.indicator_ids = tuple(indicator_ids)
        self.interpretation_ids = tuple(interpretation_ids)
        self.reason = reason
        self.applicable = applicable

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps as Chinese sentences (formatted on first read)."""
        steps = self._steps
        if steps and not all(isinstance(s, str) for s in steps):
            steps = tuple(format_step(s) for s in steps)
            self._steps = steps
        return steps

    @property
    def passed(self) -> bool:
        """True when the outcome is "pass"."""
        return self.outcome == "pass"

    def replace(self, **changes) -> Verdict:
        """Return a copy with some fields changed (steps may be given as strings or records)."""
        fields = {name: getattr(self, name) for name in (
            "outcome", "compared_value", "method", "limit_text", "ruleset_version",
            "indicator_ids", "interpretation_ids", "reason", "applicable")}
        fields["steps"] = self._steps
        fields.update(changes)
        return Verdict(**fields)

    def summary(self) -> str:
        """Return a one-line Chinese summary, e.g. "合格：16.4 符合 ≤16.5（全数值比较法）"."""
        verdict = OUTCOME_TEXT[self.outcome]
        method = METHOD_TEXT.get(self.method, self.method)
        value = self.compared_value if self.compared_value is not None else "—"
        tail = f"；{self.reason}" if self.reason else ""
        return f"{verdict}：测定值 {value}，限值 {self.limit_text}（{method}）{tail}"

    def to_dict(self) -> dict:
        """Return a JSON-ready dict (numbers as strings)."""
        return {
            "outcome": self.outcome,
            "compared_value": self.compared_value,
            "steps": list(self.steps),
            "method": self.method,
            "limit_text": self.limit_text,
            "ruleset_version": self.ruleset_version,
            "indicator_ids": list(self.indicator_ids),
            "interpretation_ids": list(self.interpretation_ids),
            "reason": self.reason,
            "applicable": self.applicable,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Verdict:
        """Return the Verdict a to_dict() produced; raises KeyError/ValueError if malformed."""
        return cls(
            outcome=data["outcome"], compared_value=data.get("compared_value"),
            steps=tuple(data.get("steps", ())), method=data.get("method", "full"),
            limit_text=data.get("limit_text", ""), ruleset_version=data.get("ruleset_version"),
            indicator_ids=tuple(data.get("indicator_ids", ())),
            interpretation_ids=tuple(data.get("interpretation_ids", ())),
            reason=data.get("reason"), applicable=data.get("applicable", True))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # mutable-by-caching; compare with ==

    def __repr__(self) -> str:
        return (f"Verdict(outcome={self.outcome!r}, compared_value={self.compared_value!r}, "
                f"method={self.method!r}, limit_text={self.limit_text!r}, reason={self.reason!r})")
