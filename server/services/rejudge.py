"""Re-judgement: the server judges each finding again with the rule set in force on the
inspection date (not the sync date) and compares with the tablet's verdict."""
from __future__ import annotations

import json
import threading
import zlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from server.extensions import db
from server.models.catalog import RuleSetVersion

_cache: dict[tuple[str, str], object] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Rejudgement:
    outcome: str | None          # None when the server could not judge (no rule set, error)
    verdict: dict | None
    ruleset_version: str | None


def _build(row: RuleSetVersion):
    from rules.catalog import Catalog
    from rules.ruleset import RuleSet

    dicts = json.loads(zlib.decompress(row.snapshot).decode("utf-8"))
    return RuleSet(row.version, Catalog.from_dicts(dicts), ())


def ruleset(version: str, digest: str):
    """Return the parsed rules.ruleset.RuleSet of a stored version (cached per process)."""
    key = (version, digest)
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                row = db.session.get(RuleSetVersion, version)
                found = _cache[key] = _build(row)
    return found


class Judge:
    """Picks the rule set in force on a date and judges; one per push request."""

    def __init__(self) -> None:
        # The stored rule set plus every published official interpretation, so each verdict
        # names the interpretations it used (imported here: the bridge builds on `ruleset`).
        from server.interpretations.rules_bridge import ruleset_with_interpretations

        self._ruleset = ruleset_with_interpretations
        self._versions = db.session.execute(
            select(RuleSetVersion.version, RuleSetVersion.catalog_digest, RuleSetVersion.effective_from)
            .order_by(RuleSetVersion.effective_from, RuleSetVersion.created_at)).all()

    def version_on(self, on: date) -> tuple[str, str] | None:
        """Return (version, digest) of the newest rule set effective on `on` (the oldest one
        when `on` predates every rule set; None when there is none)."""
        if not self._versions:
            return None
        chosen = self._versions[0]
        for row in self._versions:
            if row.effective_from <= on:
                chosen = row
        return chosen.version, chosen.catalog_digest

    def judge(self, indicator_id: str, measured: str, unit: str | None, *, on: date,
              product_class: str | None) -> Rejudgement:
        """Return the server's Rejudgement of one measured value. Raises nothing: errors
        become an inconclusive verdict with the reason."""
        picked = self.version_on(on)
        if picked is None:
            return Rejudgement(None, None, None)
        from rules.errors import RulesError

        try:
            rs = self._ruleset(*picked)
            verdict = rs.judge_indicator(indicator_id, measured, unit, on=on, product_class=product_class)
        except RulesError as exc:
            return Rejudgement("inconclusive", {"outcome": "inconclusive", "reason": str(exc),
                                                "ruleset_version": picked[0], "steps": []}, picked[0])
        return Rejudgement(verdict.outcome, verdict.to_dict(), picked[0])
