"""No silent rewrites: after publishing, find already-synced findings whose verdict the
new interpretation changes, and flag them for supervisors with before and after.

Only the newest revision of each finding counts; only inspections on/after the
interpretation's effective date (and up to `until`). "Before" is what the server's rules
said with the interpretations published until now, "after" with the new one; both are
full verdict dicts (steps, interpretation ids). The stored finding is left as it was.
"""
from __future__ import annotations

import uuid

from sqlalchemy import func, select

from rules.errors import RulesError
from server.catalog import service as catalog
from server.inspections.models import Finding, Flag, Inspection
from server.inspections.records import emit, flag_json
from server.kernel import clock
from server.kernel.extensions import db
from server.kernel.i18n import stored_message
from server.rulesets import service as rulesets

FLAG_KIND = "interpretation_changed"


def affected_indicator_ids(rules_obj) -> list[str]:
    """Return the ids of catalog indicators the interpretation touches."""
    if rules_obj.indicator_ids:
        return list(rules_obj.indicator_ids)
    return catalog.indicators_of_clause(rules_obj.edition_id, rules_obj.clause)


def affected_findings(rules_obj):
    """Return (finding, inspection) pairs: newest revisions of affected indicators whose
    inspection date falls inside the interpretation's validity."""
    ids = affected_indicator_ids(rules_obj)
    if not ids:
        return []
    newest = (select(Finding.id.label("fid"), func.max(Finding.revision).label("rev"))
              .where(Finding.indicator_id.in_(ids)).group_by(Finding.id).subquery())
    stmt = (select(Finding, Inspection)
            .join(newest, (Finding.id == newest.c.fid) & (Finding.revision == newest.c.rev))
            .join(Inspection, Inspection.id == Finding.inspection_id)
            .where(Inspection.inspected_on >= rules_obj.effective))
    if rules_obj.until is not None:
        stmt = stmt.where(Inspection.inspected_on <= rules_obj.until)
    return db.session.execute(stmt.order_by(Inspection.inspected_on, Finding.id)).all()


def _verdict(rs, finding: Finding, inspection: Inspection) -> dict:
    product_class = finding.data.get("product_class") or inspection.data.get("product_class")
    try:
        return rs.judge_indicator(finding.indicator_id, finding.measured, finding.unit,
                                  on=inspection.inspected_on, product_class=product_class).to_dict()
    except RulesError as exc:
        return {"outcome": "inconclusive", "reason": str(exc), "ruleset_version": rs.version,
                "interpretation_ids": [], "steps": []}


def changed_verdicts(rules_obj, before_set: tuple, after_set: tuple) -> list[tuple]:
    """Return [(finding, inspection, before, after)] of the findings `rules_obj` touches
    whose outcome differs between the interpretations `before_set` and `after_set` (full
    verdict dicts). Writes nothing. Raises database errors only."""
    pairs = affected_findings(rules_obj)
    if not pairs:
        return []
    provider = rulesets.provider()
    judge = provider.judge()
    sets: dict[tuple, tuple] = {}
    changed = []
    for finding, inspection in pairs:
        picked = judge.version_on(inspection.inspected_on)
        if picked is None:
            continue
        if picked not in sets:
            sets[picked] = (provider.ruleset_with(*picked, before_set), provider.ruleset_with(*picked, after_set))
        before_rs, after_rs = sets[picked]
        before, after = _verdict(before_rs, finding, inspection), _verdict(after_rs, finding, inspection)
        if before.get("outcome") != after.get("outcome"):
            changed.append((finding, inspection, before, after))
    return changed


def preview_changed_verdicts(rules_obj, *, limit: int = 200) -> dict:
    """What publishing `rules_obj` (not stored yet; it replaces earlier versions of its id)
    would change: {count, rows: [{inspection_id, company_name, inspected_on, jurisdiction,
    indicator_id, measured, unit, before, after}]} (the first `limit` rows). Writes nothing."""
    published = rulesets.provider().published.load()
    after_set = (*(i for i in published if i.id != rules_obj.id), rules_obj)
    return _rows(changed_verdicts(rules_obj, published, after_set), limit)


def preview_withdrawal(rules_obj, *, limit: int = 200) -> dict:
    """What withdrawing the interpretation of `rules_obj` (every version of its id) would
    change, as preview_changed_verdicts says it. Writes nothing."""
    published = rulesets.provider().published.load()
    return _rows(changed_verdicts(rules_obj, published, tuple(i for i in published if i.id != rules_obj.id)), limit)


def _rows(changed: list[tuple], limit: int) -> dict:
    return {"count": len(changed), "rows": [
        {"inspection_id": inspection.id, "company_name": inspection.company_name,
         "inspected_on": inspection.inspected_on.isoformat(), "jurisdiction": inspection.jurisdiction_code,
         "indicator_id": finding.indicator_id, "measured": finding.measured, "unit": finding.unit,
         "before": before.get("outcome"), "after": after.get("outcome")}
        for finding, inspection, before, after in changed[:limit]]}


def flag_changed_verdicts(rules_obj, *, exclude_new: tuple[str, int] | None = None,
                          before_set: tuple | None = None, after_set: tuple | None = None,
                          withdrawn: bool = False) -> list[dict]:
    """Re-judge the affected findings without and with the new version `exclude_new` (or
    between `before_set` and `after_set`: a withdrawal); create a flag (kind
    interpretation_changed, before/after) where the outcome differs. Returns the flag dicts.
    Raises database errors only."""
    provider = rulesets.provider()
    if before_set is None:
        before_set = provider.published.load(exclude=exclude_new)
        after_set = provider.published.load()
    ident, version = exclude_new or (rules_obj.id, rules_obj.version)
    flags, now = [], clock.now()
    for finding, inspection, before, after in changed_verdicts(rules_obj, before_set, after_set):
        key = "message.verdict_withdrawn" if withdrawn else "message.verdict_changed"
        flag = Flag(id=str(uuid.uuid4()), finding_id=finding.id, revision=finding.revision,
                    inspection_id=inspection.id, created_at=now,
                    data={"kind": FLAG_KIND, "interpretation_id": ident,
                          "interpretation_version": version, "indicator_id": finding.indicator_id,
                          "measured": finding.measured, "unit": finding.unit,
                          "before": before, "after": after, "withdrawn": withdrawn,
                          "stored_server_verdict": finding.server_verdict,
                          **stored_message(key, interpretation=ident, version=version,
                                           before=before.get("outcome"), after=after.get("outcome"))})
        db.session.add(flag)
        inspection.has_disagreement = True
        emit("flag", flag.id, 1, flag_json(flag), inspection)
        flags.append(flag_json(flag))
    return flags
