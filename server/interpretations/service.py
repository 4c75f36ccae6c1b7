"""The interpretations feature's public service: the published interpretations as `rules`
objects (the rule-set provider's source), publishing, questions and their escalation."""
from __future__ import annotations

from sqlalchemy import func, select

from server.interpretations.models import Interpretation, InterpretationVersion
from server.interpretations.publishing import (
    get_public,
    list_public,
    publish,
    search_public,
    version_to_rules,
)
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


def published_revision() -> tuple:
    """Return a key that changes whenever a version is published or an interpretation
    withdrawn (counts, newest times)."""
    count, newest = db.session.execute(
        select(func.count(), func.max(InterpretationVersion.published_at))).one()
    gone, last_gone = db.session.execute(
        select(func.count(), func.max(Interpretation.deleted_at)).where(Interpretation.deleted_at.is_not(None))).one()
    return int(count), str(newest), int(gone), str(last_gone)


def published_interpretations(exclude: tuple[str, int] | None = None) -> tuple:
    """Return every published version as rules objects (rules picks, per indicator and
    date, the newest in force), optionally without the (id, version) `exclude`; the
    versions of a withdrawn interpretation are left out."""
    withdrawn = select(Interpretation.id).where(Interpretation.deleted_at.is_not(None))
    rows = db.session.execute(select(InterpretationVersion)
                              .where(InterpretationVersion.interpretation_id.not_in(withdrawn))
                              .order_by(InterpretationVersion.interpretation_id,
                                        InterpretationVersion.version)).scalars()
    return tuple(version_to_rules(r) for r in rows
                 if exclude is None or (r.interpretation_id, r.version) != exclude)


#: what the app's rule-set provider judges with (wired in create_app)
PUBLISHED = PublishedSource(revision=published_revision, load=published_interpretations)
