"""The server's rule sets with the published interpretations in them.

`published_interpretations()` returns every published version as `rules.interpretation.
Interpretation` objects (rules picks, per indicator and date, the newest version in force).
`ruleset_with_interpretations(version, digest)` is `server.services.rejudge.ruleset` plus
those interpretations: the server's re-judgement calls it so every verdict names the
interpretations it used (wired in rejudge.Judge.judge; see docs/interpretations.md).
"""
from __future__ import annotations

import threading

from flask import g, has_app_context
from sqlalchemy import func, select

from server.extensions import db
from server.interpretations.models import InterpretationVersion
from server.services import rejudge

_base_ruleset = rejudge.ruleset   # the catalog-only rule set (cached per process)
_cache: dict[tuple, object] = {}
_lock = threading.Lock()
_G_KEY = "_gbfield_interpretations_revision"


def version_to_rules(row: InterpretationVersion):
    """Return the rules.interpretation.Interpretation of a stored version."""
    from rules.interpretation import Interpretation

    return Interpretation(id=row.interpretation_id, version=row.version, edition_id=row.edition_id,
                          clause=row.clause, indicator_ids=tuple(row.indicator_ids or ()),
                          effective=row.effective, effect=dict(row.effect), until=row.until,
                          title=row.title, text=row.text)


def revision() -> tuple:
    """Return a key that changes whenever a version is published (count, newest time);
    remembered for the rest of the request/app context."""
    if has_app_context() and hasattr(g, _G_KEY):
        return getattr(g, _G_KEY)
    count, newest = db.session.execute(
        select(func.count(), func.max(InterpretationVersion.published_at))).one()
    key = (int(count), str(newest))
    if has_app_context():
        setattr(g, _G_KEY, key)
    return key


def forget_revision() -> None:
    """Drop the remembered revision (after publishing in the same context)."""
    if has_app_context() and hasattr(g, _G_KEY):
        delattr(g, _G_KEY)


def published_interpretations(*, exclude: tuple[str, int] | None = None) -> tuple:
    """Return every published version (optionally without (id, version) `exclude`)."""
    rows = db.session.execute(select(InterpretationVersion)
                              .order_by(InterpretationVersion.interpretation_id,
                                        InterpretationVersion.version)).scalars()
    return tuple(version_to_rules(r) for r in rows
                 if exclude is None or (r.interpretation_id, r.version) != exclude)


def ruleset_with_interpretations(version: str, digest: str):
    """Return the stored rule set `version` judging with every published interpretation
    (cached per (version, digest, revision)). Raises what rejudge.ruleset raises."""
    from rules.ruleset import RuleSet

    rev = revision()
    key = (version, digest, rev)
    found = _cache.get(key)
    if found is None:
        base = _base_ruleset(version, digest)
        interps = published_interpretations()
        with _lock:
            if len(_cache) > 64:
                _cache.clear()
            found = _cache[key] = RuleSet(base.version, base.catalog, interps)
    return found


def ruleset_with(version: str, digest: str, interpretations: tuple):
    """Return rule set `version` judging with exactly `interpretations` (not cached)."""
    from rules.ruleset import RuleSet

    base = _base_ruleset(version, digest)
    return RuleSet(base.version, base.catalog, interpretations)
