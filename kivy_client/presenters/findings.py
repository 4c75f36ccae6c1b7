"""What the inspection screen shows of indicators and findings: each indicator with the
input its limit takes, each finding with its revisions (the current one standing, the
earlier ones shown as superseded), and the question asked when the same indicator and
sample is judged again."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from device import EntrySpec


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator the product must meet, with the input it takes (`entry`)."""

    id: str
    edition_id: str
    clause: str
    name: str
    name_en: str | None
    limit: str
    unit: str | None
    key: bool
    test_method: str | None
    units: tuple[str, ...] = ()
    kind: str = "limit"
    entry: EntrySpec | None = None
    unverified: bool = False

    @property
    def input(self) -> str:
        """"number", "choice" or "grade" (how the screen asks for the value)."""
        return self.entry.input if self.entry else "number"

    @property
    def choices(self) -> tuple[str, ...]:
        """The pick list's texts (empty for a number)."""
        return tuple(c.text for c in self.entry.choices) if self.entry else ()

    @property
    def claims(self) -> tuple[str, ...]:
        """The grades an energy label may claim (empty for other indicators)."""
        return self.entry.claims if self.entry else ()


@dataclass(frozen=True)
class Revision:
    """An earlier revision of a finding, superseded by a later one."""

    revision: int
    measured: str
    unit: str | None
    outcome: str


@dataclass
class FindingView:
    """A finding's current revision with its provisional verdict, and the revisions it supersedes."""

    id: str
    indicator_id: str
    revision: int
    measured: str
    unit: str | None
    outcome: str                      # pass | fail | inconclusive
    steps: tuple[str, ...]
    limit_text: str
    compared_value: str | None
    ruleset_version: str | None
    reason: str | None
    interpretations: tuple[str, ...] = ()
    photos: list[str] = field(default_factory=list)
    sample: int = 1
    note: str | None = None
    claimed_grade: str | None = None
    superseded: tuple[Revision, ...] = ()
    server_outcome: str | None = None

    @property
    def disagrees(self) -> bool:
        """True when the server judged this revision otherwise."""
        return self.server_outcome is not None and self.server_outcome != self.outcome


def finding_view(finding_id: str, data: dict[str, Any], revisions: list[dict[str, Any]] = (),
                 server_outcome: str | None = None) -> FindingView:
    """Return the view of a finding's current `data` and its earlier `revisions`."""
    verdict = data.get("device_verdict") or {}
    current = int(data.get("revision") or 1)
    older = tuple(Revision(int(r.get("revision") or 1), r.get("measured") or "", r.get("unit"),
                           (r.get("device_verdict") or {}).get("outcome") or "inconclusive")
                  for r in revisions if int(r.get("revision") or 1) < current)
    return FindingView(finding_id, data["indicator_id"], current, data["measured"], data.get("unit"),
                       verdict.get("outcome") or "inconclusive", tuple(verdict.get("steps") or ()),
                       verdict.get("limit_text") or "", verdict.get("compared_value"), data.get("ruleset_version"),
                       verdict.get("reason"), tuple(verdict.get("interpretation_ids") or ()),
                       list(data.get("photos") or []), int(data.get("sample") or 1), data.get("note"),
                       data.get("claimed_grade"), older, server_outcome)


@dataclass(frozen=True)
class DuplicatePrompt:
    """判定 again on an indicator whose sample already has a finding: the officer chooses
    to correct that finding or to record the value as the next sample."""

    finding_id: str
    indicator_id: str
    sample: int
    next_sample: int
    measured: str
    unit: str | None
    claimed_grade: str | None = None

    def question(self, existing: FindingView | None) -> str:
        """Return the question shown to the officer."""
        was = f"{existing.measured}{' ' + existing.unit if existing and existing.unit else ''}" if existing else ""
        return (f"样品{self.sample}已有结果 {was}。把 {self.measured} 作为更正，还是记录为样品{self.next_sample}？ / "
                f"sample {self.sample} already has a result: correct it, or record sample {self.next_sample}?")
