"""The interpretations feature's public service: the published interpretations as `rules`
objects (the rule-set provider's source), publishing, questions and their escalation."""
from __future__ import annotations

from sqlalchemy import func, select

from rules.interpretation import Interpretation as RulesInterpretation
from server.interpretations.models import InterpretationVersion
from server.interpretations.publishing import get_public, list_public, publish, search_public
from server.interpretations.questions import (
    escalate_overdue,
    expert_fields,
    save_question,
    set_expert_fields,
)
from server.kernel.extensions import db
from server.rulesets.service import PublishedSource

__all__ = ["PUBLISHED", "escalate_overdue", "expert_fields", "get_public", "list_public", "publish",
           "published_interpretations", "published_revision", "save_question", "search_public", "set_expert_fields",
           "version_to_rules"]


def version_to_rules(row: InterpretationVersion) -> RulesInterpretation:
    """Return the rules.interpretation.Interpretation of a stored version."""
    return RulesInterpretation(id=row.interpretation_id, version=row.version, edition_id=row.edition_id,
                               clause=row.clause, indicator_ids=tuple(row.indicator_ids or ()),
                               effective=row.effective, effect=dict(row.effect), until=row.until,
                               title=row.title, text=row.text)


def published_revision() -> tuple:
    """Return a key that changes whenever a version is published (count, newest time)."""
    count, newest = db.session.execute(
        select(func.count(), func.max(InterpretationVersion.published_at))).one()
    return int(count), str(newest)


def published_interpretations(exclude: tuple[str, int] | None = None) -> tuple:
    """Return every published version as rules objects (rules picks, per indicator and
    date, the newest in force), optionally without the (id, version) `exclude`."""
    rows = db.session.execute(select(InterpretationVersion)
                              .order_by(InterpretationVersion.interpretation_id,
                                        InterpretationVersion.version)).scalars()
    return tuple(version_to_rules(r) for r in rows
                 if exclude is None or (r.interpretation_id, r.version) != exclude)


#: what the app's rule-set provider judges with (wired in create_app)
PUBLISHED = PublishedSource(revision=published_revision, load=published_interpretations)
