"""Plans and their draws in the database: define a plan, commit its draw (the commitment is
published before the draw), reveal it (seed and result), and make one task per drawn target.

The draw runs `sampling` over the directory and roster of the plan's jurisdiction as they
are at commit time. Officers enter the draw under pseudonyms ("R" + 12 hex of
HMAC-SHA256(instance secret, roster code)), so the published documents verify with
`gbfield draw verify` and still name no officer; the map back to roster codes stays on the
server (`Draw.pseudonyms`). History (an officer not at the same enterprise twice running) is
the officers of each enterprise's newest earlier planned task.
"""
from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from sampling import Inspector, Plan, PlanError, SamplingError, commit_draw, new_seed, reveal_draw
from server.evidence import service as evidence
from server.kernel import clock
from server.kernel.access import Target, require, require_action, require_subtree, subtree_filter
from server.kernel.auth import Principal
from server.kernel.errors import Conflict, NotFound, ValidationFailed
from server.kernel.extensions import db
from server.planning import directories
from server.planning.models import Draw, Task
from server.planning.models import Plan as PlanRow
from server.planning.records import emit_task

PLAN_STATES = ("draft", "committed", "drawn", "closed")


def pseudonym(code: str) -> str:
    """Return the published pseudonym of roster code `code` on this server."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return "R" + hmac.new(key, f"roster|{code}".encode(), hashlib.sha256).hexdigest()[:12]


def plan_json(row: PlanRow, draw: Draw | None = None) -> dict[str, Any]:
    """Return a plan's API view: body, state, jurisdiction and its draw's public facts."""
    out = {"id": row.id, "name": row.name, "state": row.state, "jurisdiction": row.jurisdiction_code,
           "created_by": row.created_by, "created_at": clock.as_utc(row.created_at).isoformat(),
           "body": row.body}
    if draw is not None:
        out["commitment_sha256"] = draw.commitment_sha256
        out["committed_at"] = clock.as_utc(draw.committed_at).isoformat()
        out["drawn_at"] = clock.as_utc(draw.drawn_at).isoformat() if draw.drawn_at else None
    return out


def _resolve_items(body: dict[str, Any]) -> dict[str, Any]:
    """Replace item ids (strings) of a plan body by the item list's entries; raises
    ValidationFailed naming unknown ids."""
    items = body.get("items")
    if not isinstance(items, list):
        return body
    ids = [i for i in items if isinstance(i, str)]
    known = directories.items_by_id(ids)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValidationFailed("plan", problem=f"未知抽查事项 {', '.join(unknown)} (unknown items)",
                               details={"items": unknown})
    return {**body, "items": [known[i] if isinstance(i, str) else i for i in items]}


def create_plan(principal: Principal, body: dict[str, Any], *, jurisdiction: str | None = None) -> dict[str, Any]:
    """Check and store a plan (`sampling.Plan` JSON; items may be ids of the item list).
    The plan belongs to `jurisdiction` (default: the caller's); every scope jurisdiction must
    lie inside it. Returns the plan's view. Raises Forbidden (role, outside subtree),
    ValidationFailed (the plan's problem, naming its field), Conflict (the id exists)."""
    require_action(principal, "plan.write")
    if not isinstance(body, dict):
        raise ValidationFailed("plan", problem="JSON object", details={"plan": ["object"]})
    body = _resolve_items(body)
    try:
        plan = Plan.from_dict(body)
    except PlanError as exc:
        raise ValidationFailed("plan", problem=exc.message, details={exc.field or "plan": [exc.message]}) from exc
    code = jurisdiction or principal.jurisdiction_code
    path = directories.accounts.jurisdiction_path(code)
    if path is None:
        raise ValidationFailed("plan", problem=f"未知行政区划 {code} (unknown jurisdiction)",
                               details={"jurisdiction": [code]})
    require_subtree(principal, path, write=True)
    for scope in plan.jurisdictions:
        scope_path = directories.accounts.jurisdiction_path(scope)
        if scope_path is None or not scope_path.startswith(path):
            raise ValidationFailed("plan", problem=f"抽查范围 {scope} 不在计划辖区 {code} 内 (scope outside the plan's "
                                                   f"jurisdiction)", details={"scope.jurisdictions": [scope]})
    if db.session.get(PlanRow, plan.id) is not None:
        raise Conflict("plan_exists", plan=plan.id)
    now = clock.now()
    row = PlanRow(id=plan.id, name=plan.name, jurisdiction_code=code, jurisdiction_path=path, body=plan.to_dict(),
                  state="draft", created_by=principal.username, created_at=now, updated_at=now)
    db.session.add(row)
    db.session.flush()
    return plan_json(row)


def _visible_plan(principal: Principal, plan_id: str, *, write: bool = False) -> PlanRow:
    require_action(principal, "plan.write" if write else "plan.read")
    row = db.session.get(PlanRow, plan_id)
    if row is None:
        raise NotFound("plan", plan=plan_id)
    require(principal, "plan.read", Target("plan", row.jurisdiction_path))      # outside: 404
    return row


def get_plan(principal: Principal, plan_id: str) -> dict[str, Any]:
    """Return a plan's view. Raises NotFound (unknown or outside the subtree), Forbidden."""
    row = _visible_plan(principal, plan_id)
    return plan_json(row, db.session.get(Draw, row.id))


def list_plans(principal: Principal, *, state: str | None = None, limit: int = 100,
               offset: int = 0) -> list[dict[str, Any]]:
    """Return the plans of the caller's subtree, newest first (optionally of one `state`).
    Raises Forbidden (role), ValidationFailed (unknown state)."""
    require_action(principal, "plan.read")
    query = select(PlanRow)
    scope = subtree_filter(principal, PlanRow.jurisdiction_path)
    if scope is not None:
        query = query.where(scope)
    if state is not None:
        if state not in PLAN_STATES:
            raise ValidationFailed("status", status=state, details={"state": list(PLAN_STATES)})
        query = query.where(PlanRow.state == state)
    rows = list(db.session.execute(query.order_by(PlanRow.created_at.desc(), PlanRow.id)
                                   .limit(limit).offset(offset)).scalars())
    draws = {d.plan_id: d for d in db.session.execute(select(Draw).where(Draw.plan_id.in_([r.id for r in rows])))
             .scalars()} if rows else {}
    return [plan_json(r, draws.get(r.id)) for r in rows]


def _history(credit_codes: set[str], names: dict[str, str]) -> dict[str, list[str]]:
    """{credit code: pseudonyms of the officers of its newest earlier planned task}."""
    newest = (select(Task.credit_code, func.max(Task.created_at).label("at"))
              .where(Task.kind == "planned").group_by(Task.credit_code).subquery())
    rows = db.session.execute(select(Task.credit_code, Task.inspectors)
                              .join(newest, (Task.credit_code == newest.c.credit_code)
                                    & (Task.created_at == newest.c.at))).all()
    return {code: sorted(names.get(c, pseudonym(c)) for c in inspectors)
            for code, inspectors in rows if code in credit_codes}


def commit(principal: Principal, plan_id: str, *, seed: str | None = None) -> dict[str, Any]:
    """Commit the plan's draw: snapshot the directory and roster, keep the seed secret,
    return {plan_id, commitment_sha256, commitment, committed_at} — publish the digest now.
    Raises NotFound/Forbidden, Conflict (already committed), ValidationFailed (the inputs)."""
    row = _visible_plan(principal, plan_id, write=True)
    if row.state != "draft":
        raise Conflict("plan_state", plan=row.id, state=row.state)
    plan = Plan.from_dict(row.body)
    enterprises = directories.directory_for(principal, row.jurisdiction_path)
    roster = directories.roster_for(principal, row.jurisdiction_path)
    names = {i.code: pseudonym(i.code) for i in roster}
    masked = [Inspector(code=names[i.code], jurisdiction=i.jurisdiction, competences=i.competences,
                        conflicts=i.conflicts) for i in roster]
    history = _history({e.credit_code for e in enterprises}, names)
    seed = seed or new_seed()
    try:
        doc = commit_draw(plan, enterprises, masked, history, seed)
    except SamplingError as exc:
        raise ValidationFailed("plan", problem=exc.message, details={"draw": [exc.message]}) from exc
    now = clock.now()
    draw = Draw(plan_id=row.id, commitment_sha256=doc["commitment_sha256"], committed=doc, seed=seed,
                revealed=None, pseudonyms={v: k for k, v in names.items()}, committed_at=now, drawn_at=None)
    db.session.add(draw)
    row.state, row.updated_at = "committed", now
    evidence.append_event("committed", actor=principal.username, record_type="plan", record_id=row.id,
                          details={"commitment_sha256": draw.commitment_sha256,
                                   "enterprises": len(enterprises), "inspectors": len(roster)})
    db.session.flush()
    return {"plan_id": row.id, "commitment_sha256": draw.commitment_sha256, "commitment": doc["commitment"],
            "committed_at": clock.as_utc(now).isoformat()}


def reveal(principal: Principal, plan_id: str) -> dict[str, Any]:
    """Reveal the committed draw, store the result and make one task per drawn target
    (its drawn officers assigned). Returns {plan_id, targets, tasks, shortfalls, document}.
    Raises NotFound/Forbidden, Conflict (not committed, or already drawn)."""
    row = _visible_plan(principal, plan_id, write=True)
    draw = db.session.get(Draw, row.id)
    if row.state != "committed" or draw is None:
        raise Conflict("plan_state", plan=row.id, state=row.state)
    doc = reveal_draw(draw.committed, draw.seed)
    now = clock.now()
    draw.revealed, draw.drawn_at = doc, now
    row.state, row.updated_at = "drawn", now
    tasks = _make_tasks(row, doc, draw.pseudonyms)
    evidence.append_event("drawn", actor=principal.username, record_type="plan", record_id=row.id,
                          details={"commitment_sha256": draw.commitment_sha256, "seed": doc["seed"],
                                   "targets": len(doc["result"]["targets"]), "tasks": len(tasks)})
    db.session.flush()
    return {"plan_id": row.id, "targets": len(doc["result"]["targets"]), "tasks": [t.id for t in tasks],
            "shortfalls": doc["result"]["shortfalls"], "document": doc}


def run(principal: Principal, plan_id: str, *, seed: str | None = None) -> dict[str, Any]:
    """commit then reveal in one call (`gbfield draw run`); returns reveal's answer with
    the commitment. Raises as they do."""
    committed = commit(principal, plan_id, seed=seed)
    return {**reveal(principal, plan_id), "commitment_sha256": committed["commitment_sha256"]}


def _make_tasks(row: PlanRow, doc: dict[str, Any], pseudonyms: dict[str, str]) -> list[Task]:
    body = row.body
    items = [{"id": i["id"], "name": i["name"], "competence": i["competence"], "legal_basis": i["legal_basis"],
              "category": i.get("category"), "standards": i.get("standards", []),
              "indicators": i.get("indicators", [])} for i in body["items"]]
    due = date.fromisoformat(body["ends"]) if body.get("ends") else None
    codes = {p: pseudonyms.get(p, p) for t in doc["result"]["targets"] for p in t["inspectors"]}
    users = directories.accounts_of(codes.values())
    products = directories.registered_products([t["credit_code"] for t in doc["result"]["targets"]])
    out = []
    now = clock.now()
    for target in doc["result"]["targets"]:
        enterprise = directories.enterprise(target["credit_code"])
        inspectors = [codes[p] for p in target["inspectors"]]
        task = Task(id=str(uuid.uuid4()), plan_id=row.id, kind="planned", credit_code=target["credit_code"],
                    jurisdiction_code=enterprise.jurisdiction_code if enterprise else row.jurisdiction_code,
                    jurisdiction_path=enterprise.jurisdiction_path if enterprise else row.jurisdiction_path,
                    inspectors=inspectors, user_ids=[users[c] for c in inspectors if c in users],
                    state="assigned", due=due, data={
                        "plan_name": row.name, "stratum": target["stratum"], "shortfall": target["shortfall"],
                        "enterprise": {"credit_code": target["credit_code"], "name": target["name"],
                                       "address": enterprise.address if enterprise else ""},
                        "items": items, "products": [{"gtin": p["gtin"], "name": p["name"]}
                                                     for p in products.get(target["credit_code"], [])][:50]},
                    version=1, created_at=now, updated_at=now)
        db.session.add(task)
        emit_task(task)
        out.append(task)
    return out


def draw_document(plan_id: str, *, public: bool = True) -> dict[str, Any] | None:
    """Return the draw's document as published: the revealed one, else the committed one
    (no seed), else None. Names officers only by pseudonym."""
    draw = db.session.get(Draw, plan_id)
    if draw is None:
        return None
    return draw.revealed or draw.committed
