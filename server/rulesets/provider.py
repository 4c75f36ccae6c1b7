"""The rule-set provider: the rule set in force on a date, with the published official
interpretations in it, judged with `rules` exactly as the tablet judges offline.

    provider = rulesets.service.provider()      # one per app, built in create_app
    judge = provider.judge()                    # a snapshot for one unit of work
    judge.judge(indicator_id, "16.5", "mg/kg", on=date(2025, 6, 1), product_class="A")

ONE cache per provider: the parsed catalog of each stored rule-set version (immutable:
kept), and each version's `rules.ruleset.RuleSet` with the published interpretations
and the verdicts it gave, by what decides a verdict (indicator, measured value, unit,
date, product class) — all dropped by `invalidate()`, which publishing calls, and
whenever a snapshot sees that another process published: the published revision is part
of every snapshot). Which
version is in force on a date is `rules.ruleset.version_in_force`, the same entry point
the device's offline judge uses.

The published interpretations come from a source the app hands in (`create_app` wires
the interpretations feature's `published_interpretations`), so this module imports no
feature above it.
"""
from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from rules.catalog import Catalog
from rules.errors import RulesError
from rules.ruleset import RuleSet, version_in_force
from server.kernel.extensions import db
from server.rulesets.models import RuleSetVersion


@dataclass(frozen=True)
class Rejudgement:
    """The server's verdict of one measured value."""

    outcome: str | None          # None when the server could not judge (no rule set)
    verdict: dict | None
    ruleset_version: str | None

    def copy(self) -> Rejudgement:
        """Return a copy whose verdict dict (and its lists) the caller may keep or change."""
        if self.verdict is None:
            return self
        verdict = {k: list(v) if isinstance(v, list) else v for k, v in self.verdict.items()}
        return Rejudgement(self.outcome, verdict, self.ruleset_version)


@dataclass(frozen=True)
class PublishedSource:
    """Where the published interpretations come from: `revision()` a key that changes
    whenever one is published; `load(exclude)` every published version as
    rules.interpretation.Interpretation (without the (id, version) `exclude`)."""

    revision: Callable[[], Any]
    load: Callable[..., tuple]


NO_INTERPRETATIONS = PublishedSource(revision=lambda: None, load=lambda exclude=None: ())
#: verdicts kept per provider before the cache starts again (a verdict is ~2 kB)
MAX_CACHED_VERDICTS = 50_000


class RuleSetProvider:
    """The rule sets of one app (see the module docstring). Thread-safe."""

    def __init__(self, published: PublishedSource = NO_INTERPRETATIONS) -> None:
        self.published = published
        self._catalogs: dict[tuple[str, str], Catalog] = {}
        self._rulesets: dict[tuple[str, str], RuleSet] = {}
        self._verdicts: dict[tuple, Rejudgement] = {}
        self._revision: Any = None
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Forget the rule sets built with the interpretations published so far (call after
        publishing one). The parsed catalogs are kept: a stored version never changes."""
        with self._lock:
            self._rulesets.clear()
            self._verdicts.clear()
            self._revision = None

    def versions(self) -> list[tuple[str, str, date]]:
        """Return (version, digest, effective_from) of every stored rule set, oldest first
        (by effective date, then creation)."""
        return [tuple(row) for row in db.session.execute(
            select(RuleSetVersion.version, RuleSetVersion.catalog_digest, RuleSetVersion.effective_from)
            .order_by(RuleSetVersion.effective_from, RuleSetVersion.created_at))]

    def catalog(self, version: str, digest: str) -> Catalog:
        """Return the parsed catalog of a stored rule-set version (cached). Raises KeyError
        for an unknown version, RulesError for a snapshot that does not parse."""
        key = (version, digest)
        found = self._catalogs.get(key)
        if found is None:
            row = db.session.get(RuleSetVersion, version)
            if row is None:
                raise KeyError(version)
            found = Catalog.from_dicts(json.loads(zlib.decompress(row.snapshot).decode("utf-8")))
            with self._lock:
                found = self._catalogs.setdefault(key, found)
        return found

    def ruleset(self, version: str, digest: str, revision: Any) -> RuleSet:
        """Return rule set `version` judging with the interpretations published at
        `revision` (cached; a new revision drops the cached rule sets)."""
        key = (version, digest)
        with self._lock:
            if revision != self._revision:
                self._rulesets.clear()
                self._verdicts.clear()
                self._revision = revision
            found = self._rulesets.get(key)
        if found is None:
            found = RuleSet(version, self.catalog(version, digest), self.published.load())
            with self._lock:
                if revision == self._revision:
                    found = self._rulesets.setdefault(key, found)
        return found

    def verdict(self, key: tuple, revision: Any, judge: Callable[[], Rejudgement]) -> Rejudgement:
        """Return the verdict cached under `key` (what decides it, rule-set version and
        digest included) at the published `revision`, else `judge()` and keep it (at most
        MAX_CACHED_VERDICTS; a revision that is not the current one is not kept)."""
        found = self._verdicts.get(key)
        if found is None or revision != self._revision:
            found = judge()
            with self._lock:
                if revision == self._revision:
                    if len(self._verdicts) >= MAX_CACHED_VERDICTS:
                        self._verdicts.clear()
                    self._verdicts[key] = found
        return found.copy()

    def ruleset_with(self, version: str, digest: str, interpretations: tuple) -> RuleSet:
        """Return rule set `version` judging with exactly `interpretations` (not cached:
        re-scans compare the verdicts before and after a publication)."""
        return RuleSet(version, self.catalog(version, digest), tuple(interpretations))

    def judge(self) -> Judge:
        """Return a Judge for one unit of work: the stored versions and the published
        revision are read once, here."""
        return Judge(self, self.versions(), self.published.revision())


class Judge:
    """Judges measured values with the rule set in force on each inspection date."""

    def __init__(self, provider: RuleSetProvider, versions: list[tuple[str, str, date]], revision: Any):
        self.provider = provider
        self.revision = revision
        self._versions = versions
        self._digests = {version: digest for version, digest, _ in versions}

    def version_on(self, on: date) -> tuple[str, str] | None:
        """Return (version, digest) of the rule set in force on `on`
        (rules.ruleset.version_in_force), None when there is none."""
        version = version_in_force([(v, effective) for v, _, effective in self._versions], on)
        return None if version is None else (version, self._digests[version])

    def ruleset_on(self, on: date) -> RuleSet | None:
        """Return the rule set in force on `on` with the published interpretations, or None."""
        picked = self.version_on(on)
        return None if picked is None else self.provider.ruleset(*picked, self.revision)

    def judge(self, indicator_id: str, measured: str, unit: str | None, *, on: date,
              product_class: str | None) -> Rejudgement:
        """Return the server's Rejudgement of one measured value (the provider keeps it by
        what decides it: the same indicator, value, unit, date and class in the same rule
        set are judged once). Raises nothing: an error of the rules engine becomes an
        inconclusive verdict with the reason."""
        picked = self.version_on(on)
        if picked is None:
            return Rejudgement(None, None, None)
        key = (*picked, indicator_id, measured, unit, on, product_class)
        return self.provider.verdict(key, self.revision, lambda: self._judge(picked, indicator_id, measured, unit,
                                                                            on, product_class))

    def _judge(self, picked: tuple[str, str], indicator_id: str, measured: str, unit: str | None, on: date,
               product_class: str | None) -> Rejudgement:
        try:
            verdict = self.provider.ruleset(*picked, self.revision).judge_indicator(
                indicator_id, measured, unit, on=on, product_class=product_class)
        except RulesError as exc:
            return Rejudgement("inconclusive", {"outcome": "inconclusive", "reason": str(exc),
                                                "ruleset_version": picked[0], "steps": []}, picked[0])
        return Rejudgement(verdict.outcome, verdict.to_dict(), picked[0])
