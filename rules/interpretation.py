"""Official interpretations (释义/解释): versioned data that change how an indicator is judged.

An interpretation is attached to a clause (edition id + clause number) and names the
indicators it touches; from its effective date it changes one thing:
{"method": "full"|"rounded"}, {"interval": "0.1"}, {"limit": "<new limit text>"} or
{"applicable": False}. Every verdict that used one names it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.errors import InterpretationError

EFFECT_KEYS = ("method", "interval", "limit", "applicable")


@dataclass(frozen=True)
class Interpretation:
    """One version of an official interpretation.

    id, version: identity (a later version of the same id supersedes earlier ones);
    edition_id + clause: the clause it interprets; indicator_ids: the indicators it changes
    (() = every indicator of that clause); effective: first day it applies; until: last day
    (None = open); effect: a one-key mapping (see module docstring); title/text: for people.
    """
    id: str
    version: int
    edition_id: str
    clause: str
    indicator_ids: tuple[str, ...]
    effective: date
    effect: Mapping[str, Any] = field(default_factory=dict)
    until: date | None = None
    title: str = ""
    text: str = ""

    def __post_init__(self) -> None:
        validate_effect(self.effect)
        object.__setattr__(self, "effect", dict(self.effect))
        object.__setattr__(self, "indicator_ids", tuple(self.indicator_ids))

    def __hash__(self) -> int:
        return hash((self.id, self.version))

    def in_force(self, on: date) -> bool:
        """Return True when this version applies on `on`."""
        return self.effective <= on and (self.until is None or on <= self.until)

    def covers(self, indicator) -> bool:
        """Return True when it touches `indicator` (by id, or by its clause when no ids)."""
        if self.indicator_ids:
            return indicator.id in self.indicator_ids
        return indicator.edition_id == self.edition_id and indicator.clause == self.clause

    @property
    def ref(self) -> str:
        """The clause reference, e.g. "GB 18401-2010 第5.1条"."""
        return f"{self.edition_id} 第{self.clause}条"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Interpretation:
        """Build from a JSON-shaped dict (dates as ISO text); raises InterpretationError."""
        try:
            until = data.get("until")
            return cls(
                id=data["id"], version=int(data.get("version", 1)), edition_id=data["edition_id"],
                clause=str(data["clause"]), indicator_ids=tuple(data.get("indicator_ids", ())),
                effective=date.fromisoformat(data["effective"]), effect=dict(data["effect"]),
                until=date.fromisoformat(until) if until else None,
                title=data.get("title", ""), text=data.get("text", ""))
        except (KeyError, TypeError, ValueError) as exc:
            raise InterpretationError(f"解释数据无效 (invalid interpretation): {exc}") from exc

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {"id": self.id, "version": self.version, "edition_id": self.edition_id,
                "clause": self.clause, "indicator_ids": list(self.indicator_ids),
                "effective": self.effective.isoformat(), "effect": dict(self.effect),
                "until": self.until.isoformat() if self.until else None,
                "title": self.title, "text": self.text}


def validate_effect(effect: Mapping[str, Any]) -> None:
    """Raise InterpretationError unless `effect` is exactly one known change."""
    if not isinstance(effect, Mapping) or len(effect) != 1:
        raise InterpretationError(f"解释的效果应为一项 (effect must have one key): {effect!r}")
    (key, value), = effect.items()
    if key not in EFFECT_KEYS:
        raise InterpretationError(f"未知的解释效果 (unknown effect): {key!r}")
    if key == "method" and value not in ("full", "rounded"):
        raise InterpretationError(f"判定方法无效 (bad method): {value!r}")
    if key == "applicable" and value is not False:
        raise InterpretationError('"applicable" 只能为 false (only false is meaningful)')
    if key in ("interval", "limit") and (not isinstance(value, str) or not value.strip()):
        raise InterpretationError(f"{key} 应为文本 (must be text): {value!r}")


def effective_interpretations(interpretations, indicator, on: date) -> tuple[Interpretation, ...]:
    """Return the interpretations that change `indicator` on `on`: the newest in-force
    version of each id, ordered by effective date (later ones win on the same effect)."""
    newest: dict[str, Interpretation] = {}
    for item in interpretations:
        if item.covers(indicator) and item.in_force(on):
            kept = newest.get(item.id)
            if kept is None or item.version > kept.version:
                newest[item.id] = item
    return tuple(sorted(newest.values(), key=lambda i: (i.effective, i.id)))
