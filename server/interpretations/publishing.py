"""Publishing official interpretations: versioned, attached to clauses, with an effect that
rules apply from the effective date.

Publishing version n of an interpretation id: stores an `InterpretationVersion`, marks
version n-1 superseded (history kept), upserts the pulled catalog row
(`Interpretation`, entity `interpretation`: the newest version plus `history`), indexes
it for question matching, links the answer/question it came from, tells the rule-set
provider (its rule sets now judge with the new version) and re-judges the already-synced
findings it affects (the inspections feature's re-scan): a changed outcome becomes a flag
with before and after, never a silent rewrite.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from rules.errors import InterpretationError, RulesError
from rules.interpretation import Interpretation as RulesInterpretation
from rules.limits import parse_limit
from server.catalog import service as catalog
from server.inspections import service as inspections
from server.interpretations import search
from server.interpretations.models import Answer, Interpretation, InterpretationVersion, Question
from server.interpretations.questions import save_question
from server.kernel import audit, clock
from server.kernel.access import require
from server.kernel.auth import Principal
from server.kernel.changes import record_change, record_upsert
from server.kernel.errors import Conflict, NotFound, ValidationFailed
from server.kernel.extensions import db
from server.kernel.types import content_hash
from server.rulesets import service as rulesets
from sync.protocol import OP_DELETE


def version_json(row: InterpretationVersion) -> dict:
    """Return one version as `rules.interpretation.Interpretation.to_dict()` plus clauses
    and publication facts (a tablet builds the rules object with `from_dict`)."""
    return {"id": row.interpretation_id, "version": row.version, "edition_id": row.edition_id,
            "clause": row.clause, "clauses": list(row.clauses), "indicator_ids": list(row.indicator_ids),
            "effective": row.effective.isoformat(), "until": row.until.isoformat() if row.until else None,
            "effect": dict(row.effect), "title": row.title, "text": row.text,
            "question_id": row.question_id, "answer_id": row.answer_id,
            "published_at": clock.as_utc(row.published_at).isoformat(),
            "superseded_at": clock.as_utc(row.superseded_at).isoformat() if row.superseded_at else None}


def _versions(interpretation_id: str) -> list[InterpretationVersion]:
    return list(db.session.execute(select(InterpretationVersion)
                                   .where(InterpretationVersion.interpretation_id == interpretation_id)
                                   .order_by(InterpretationVersion.version)).scalars())


def _new_id(on: date) -> str:
    count = db.session.execute(select(func.count(func.distinct(InterpretationVersion.interpretation_id)))).scalar()
    n = int(count or 0) + 1
    while db.session.get(Interpretation, f"JS-{on:%Y}-{n:04d}") is not None:
        n += 1
    return f"JS-{on:%Y}-{n:04d}"


def _check_clauses(clauses: list[dict], indicator_ids: list[str]) -> list[str]:
    """Validate clauses and indicators; return the indicator ids the rules object needs
    (explicit ids; all of the clauses' indicators when several clauses; else [])."""
    if not clauses:
        raise ValidationFailed("clauses_required", details={"clauses": ["required"]})
    for n, c in enumerate(clauses):
        if not catalog.edition_exists(c.get("edition_id") or ""):
            raise ValidationFailed("edition", edition=c.get("edition_id"),
                                   details={f"clauses.{n}.edition_id": ["unknown"]})
        if not catalog.clause_exists(c["edition_id"], str(c.get("clause") or "")):
            raise ValidationFailed("clause", edition=c["edition_id"], clause=c.get("clause"),
                                   details={f"clauses.{n}.clause": ["unknown"]})
    pairs = {(c["edition_id"], str(c["clause"])) for c in clauses}
    if indicator_ids:
        found = catalog.indicator_places(indicator_ids)
        for ident in indicator_ids:
            if ident not in found:
                raise ValidationFailed("indicator", indicator=ident, details={"indicator_ids": [ident]})
            if found[ident] not in pairs:
                raise ValidationFailed("indicator_outside_clauses", indicator=ident,
                                       details={"indicator_ids": [ident]})
        return list(indicator_ids)
    if len(pairs) == 1:
        return []
    ids = []
    for edition_id, number in sorted(pairs):
        ids += catalog.indicators_of_clause(edition_id, number)
    return ids


def _check_effect(rules_obj, indicator_ids: list[str]) -> None:
    (key, value), = rules_obj.effect.items()
    if key != "limit":
        return
    units = catalog.indicator_units(indicator_ids) if indicator_ids else [None]
    for unit in units:
        try:
            parse_limit(value, unit)
        except RulesError as exc:
            raise ValidationFailed("interpretation_limit", problem=str(exc),
                                   details={"effect.limit": [str(exc)]}) from exc


def _prepare(principal: Principal, *, title: str, text: str, effect: dict, effective: date, clauses: list[dict],
             indicator_ids: list[str] | None, until: date | None, interpretation_id: str | None):
    """Check a publication and return (rules object, resolved indicator ids, clauses, the
    versions so far). Raises what publish raises."""
    require(principal, "interpretation.publish")
    if not (title or "").strip() or not (text or "").strip():
        raise ValidationFailed("title_text_required",
                               details={"title": ["required"], "text": ["required"]})
    clauses = [{"edition_id": c["edition_id"], "clause": str(c["clause"])} for c in clauses]
    ids = _check_clauses(clauses, list(indicator_ids or []))
    history = _versions(interpretation_id) if interpretation_id else []
    if interpretation_id and not history:
        raise NotFound("interpretation", interpretation=interpretation_id)
    if interpretation_id and is_withdrawn(interpretation_id):
        raise Conflict("interpretation_withdrawn", interpretation=interpretation_id)
    ident = interpretation_id or _new_id(clock.now().date())
    version = history[-1].version + 1 if history else 1
    try:
        rules_obj = RulesInterpretation(id=ident, version=version, edition_id=clauses[0]["edition_id"],
                                        clause=clauses[0]["clause"], indicator_ids=tuple(ids), effective=effective,
                                        effect=effect, until=until, title=title.strip(), text=text.strip())
    except InterpretationError as exc:
        raise ValidationFailed("interpretation_effect", problem=str(exc), details={"effect": [str(exc)]}) from exc
    _check_effect(rules_obj, ids or _clause_indicators(clauses[0]))
    return rules_obj, ids, clauses, history


def preview(principal: Principal, *, title: str, text: str, effect: dict, effective: date, clauses: list[dict],
            indicator_ids: list[str] | None = None, until: date | None = None,
            interpretation_id: str | None = None) -> dict:
    """Which synced findings publishing this (as `publish` would take it) would change:
    inspections.preview_changed_verdicts ({count, rows}). Stores nothing. Raises what
    publish raises."""
    rules_obj, *_ = _prepare(principal, title=title, text=text, effect=effect, effective=effective,
                             clauses=clauses, indicator_ids=indicator_ids, until=until,
                             interpretation_id=interpretation_id)
    return inspections.preview_changed_verdicts(rules_obj)


def publish(principal: Principal, *, title: str, text: str, effect: dict, effective: date,
            clauses: list[dict], indicator_ids: list[str] | None = None, until: date | None = None,
            interpretation_id: str | None = None, answer_id: str | None = None) -> dict:
    """Publish a new interpretation (or version n+1 of `interpretation_id`: a revision).

    Returns {"interpretation": <pull data>, "flags": [<flag dicts of re-judged findings>]}.
    Raises Forbidden (not expert/admin), NotFound (unknown interpretation/answer),
    ValidationFailed (unknown clause/indicator, bad effect, unreadable limit, empty text),
    Conflict (revising a withdrawn one).
    """
    rules_obj, ids, clauses, history = _prepare(
        principal, title=title, text=text, effect=effect, effective=effective, clauses=clauses,
        indicator_ids=indicator_ids, until=until, interpretation_id=interpretation_id)
    ident, version, now = rules_obj.id, rules_obj.version, clock.now()
    answer = db.session.get(Answer, answer_id) if answer_id else None
    if answer_id and answer is None:
        raise NotFound("answer")
    for old in history:
        if old.superseded_at is None:
            old.superseded_at = now
    row = InterpretationVersion(interpretation_id=ident, version=version, edition_id=rules_obj.edition_id,
                                clause=rules_obj.clause, clauses=clauses, indicator_ids=ids, effective=effective,
                                until=until, effect=dict(effect), title=rules_obj.title, text=rules_obj.text,
                                question_id=answer.question_id if answer else None,
                                answer_id=answer.id if answer else None, published_by=principal.user_id,
                                published_at=now)
    db.session.add(row)
    db.session.flush()
    data = _upsert_catalog_row(ident, [*history, row], now)
    search.index_document("interpretation", ident, row.title, f"{row.text}\n{_clause_words(clauses)}")
    if answer is not None:
        _link_answer(answer, ident)
    rulesets.provider().invalidate()
    flags = inspections.flag_changed_verdicts(rules_obj, exclude_new=(ident, version))
    return {"interpretation": data, "flags": flags}


def version_to_rules(row: InterpretationVersion) -> RulesInterpretation:
    """Return the rules.interpretation.Interpretation of a stored version."""
    return RulesInterpretation(id=row.interpretation_id, version=row.version, edition_id=row.edition_id,
                               clause=row.clause, indicator_ids=tuple(row.indicator_ids or ()),
                               effective=row.effective, effect=dict(row.effect), until=row.until,
                               title=row.title, text=row.text)


def is_withdrawn(interpretation_id: str) -> bool:
    """True when the interpretation was withdrawn (its pulled row is a tombstone)."""
    row = db.session.get(Interpretation, interpretation_id)
    return row is not None and row.deleted_at is not None


def _newest(principal: Principal, interpretation_id: str) -> InterpretationVersion:
    require(principal, "interpretation.publish")
    history = _versions(interpretation_id)
    if not history:
        raise NotFound("interpretation", interpretation=interpretation_id)
    if is_withdrawn(interpretation_id):
        raise Conflict("interpretation_withdrawn", interpretation=interpretation_id)
    return history[-1]


def preview_withdrawal(principal: Principal, interpretation_id: str) -> dict:
    """Which synced findings withdrawing the interpretation would change ({count, rows}).
    Stores nothing. Raises Forbidden, NotFound, Conflict (withdrawn already)."""
    return inspections.preview_withdrawal(version_to_rules(_newest(principal, interpretation_id)))


def withdraw(principal: Principal, interpretation_id: str, reason: str) -> dict:
    """Withdraw a published interpretation: rules stop judging with any of its versions
    (the provider is told), the tablets get its tombstone through the change log (their
    catalog drops it), the FAQ and the public search stop showing it, findings whose
    verdict changes back are flagged (before/after), the reason is kept with the row and in
    the audit log. Returns {interpretation_id, version, flags}.

    Raises Forbidden, NotFound, ValidationFailed (no reason), Conflict (withdrawn already).
    """
    newest = _newest(principal, interpretation_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("reason_required", details={"reason": ["required"]})
    before_set = rulesets.provider().published.load()
    now = clock.now()
    row = db.session.get(Interpretation, interpretation_id)
    row.version += 1
    row.deleted_at = row.updated_at = now
    row.data = {**row.data, "withdrawn_at": now.isoformat(), "withdrawal_reason": reason[:2000]}
    row.content_hash = content_hash(row.data)
    record_change("interpretation", interpretation_id, OP_DELETE, row.version, None)
    search.remove_document("interpretation", interpretation_id)
    rulesets.provider().invalidate()
    audit.record(principal, "interpretation.withdraw", interpretation_id, version=newest.version, reason=reason)
    flags = inspections.flag_changed_verdicts(
        version_to_rules(newest), before_set=before_set,
        after_set=tuple(i for i in before_set if i.id != interpretation_id), withdrawn=True)
    return {"interpretation_id": interpretation_id, "version": row.version, "flags": flags}


def managed(principal: Principal) -> list[dict]:
    """Every interpretation ever published, newest first, for the experts' management page:
    {id, version, title, edition_id, clause, effective, published_at, withdrawn_at}.
    Raises Forbidden."""
    require(principal, "interpretation.publish")
    rows = db.session.execute(select(Interpretation).order_by(Interpretation.published_at.desc(),
                                                              Interpretation.id)).scalars()
    return [{"id": r.id, "version": r.data.get("version"), "title": r.data.get("title"), "edition_id": r.edition_id,
             "clause": r.clause, "effective": r.effective.isoformat() if r.effective else None,
             "published_at": clock.as_utc(r.published_at).isoformat() if r.published_at else None,
             "withdrawn_at": clock.as_utc(r.deleted_at).isoformat() if r.deleted_at else None,
             "withdrawal_reason": r.data.get("withdrawal_reason")} for r in rows]


def versions_of(principal: Principal, interpretation_id: str) -> list[dict]:
    """Every version of one interpretation, oldest first (version_json). Raises Forbidden,
    NotFound."""
    require(principal, "interpretation.publish")
    history = _versions(interpretation_id)
    if not history:
        raise NotFound("interpretation", interpretation=interpretation_id)
    return [version_json(v) for v in history]


def _clause_indicators(clause: dict) -> list[str]:
    return catalog.indicators_of_clause(clause["edition_id"], clause["clause"])


def _clause_words(clauses: list[dict]) -> str:
    titles = catalog.clause_titles((c["edition_id"], c["clause"]) for c in clauses)
    return "\n".join(f"{c['edition_id']} 第{c['clause']}条 {titles.get((c['edition_id'], c['clause']), '')}"
                     for c in clauses)


def _upsert_catalog_row(ident: str, versions: list[InterpretationVersion], now) -> dict:
    newest = versions[-1]
    data = {**version_json(newest), "history": [version_json(v) for v in versions[:-1]]}
    row = db.session.get(Interpretation, ident)
    if row is None:
        row = Interpretation(id=ident, version=newest.version)
        db.session.add(row)
    row.version = newest.version
    row.edition_id, row.clause, row.effective = newest.edition_id, newest.clause, newest.effective
    row.published_at, row.updated_at, row.deleted_at = now, now, None
    row.data, row.content_hash = data, content_hash(data)
    record_upsert("interpretation", ident, newest.version, data)
    return data


def _link_answer(answer: Answer, ident: str) -> None:
    answer.interpretation_id = ident
    question = db.session.get(Question, answer.question_id)
    if question is None:
        return
    answers = [{**a, "interpretation_id": ident} if a.get("id") == answer.id else a
               for a in question.data.get("answers", [])]
    save_question(question, answers=answers, interpretation_id=ident)


def list_public(*, standard: str | None = None, edition_id: str | None = None,
                clause: str | None = None) -> list[dict]:
    """Return the newest version of every published interpretation (public), ordered by
    edition, clause, id; filter by standard code, edition, clause."""
    stmt = select(Interpretation).where(Interpretation.deleted_at.is_(None))
    if edition_id:
        stmt = stmt.where(Interpretation.edition_id == edition_id)
    if standard:
        stmt = stmt.where(Interpretation.edition_id.in_(catalog.edition_ids_of_standard(standard)))
    if clause:
        stmt = stmt.where(Interpretation.clause == clause)
    rows = db.session.execute(stmt.order_by(Interpretation.edition_id, Interpretation.clause,
                                            Interpretation.id)).scalars()
    return [r.data for r in rows]


def search_public(text: str, *, limit: int = 10) -> list[dict]:
    """Return the published interpretations (their newest version's data) matching `text`,
    best first (the questions' search index; withdrawn ones left out). Raises nothing
    beyond database errors."""
    hits = search.search(text, ("interpretation",), limit=limit * 2)
    rows = {r.id: r for r in db.session.execute(select(Interpretation).where(
        Interpretation.id.in_([h.doc_id for h in hits]), Interpretation.deleted_at.is_(None))).scalars()}
    return [rows[h.doc_id].data for h in hits if h.doc_id in rows][:limit]


def get_public(interpretation_id: str) -> dict:
    """Return the pulled data of one interpretation (newest version + history).
    Raises NotFound."""
    row = db.session.get(Interpretation, interpretation_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("interpretation", interpretation=interpretation_id)
    return row.data
