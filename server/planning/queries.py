"""Lists for the console's work lists and the tablet's Home, and the estimate of a plan.

    list_tasks(principal, plan_id=, state=, kind=)   # an inspector sees only their own
    list_orders(principal, state=)
    plan_estimate(plan_id, published_only=True)     # sampling.Estimate from the reviewed results
    plan_report(plan_id)                            # the 白皮书 (report.Report) of the plan
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from sampling import Estimate
from server.accounts import service as accounts
from server.kernel.access import require_action, subtree_filter
from server.kernel.auth import Principal
from server.kernel.errors import ValidationFailed
from server.kernel.extensions import db
from server.planning.models import Draw, Order, Plan, Publication, Task
from server.planning.records import ORDER_STATES, TASK_STATES, order_json, task_json
from server.planning.report import Report, compliance_report, stratum_names

TASK_KINDS = ("planned", "reinspection")



def list_tasks(principal: Principal, *, plan_id: str | None = None, state: str | None = None,
               kind: str | None = None, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """Return tasks the caller may see, by due date: an inspector their own (assigned to
    them), a supervisor those of their subtree. Raises Forbidden (role), ValidationFailed
    (unknown state or kind)."""
    require_action(principal, "task.read")
    query = select(Task)
    if state is not None:
        if state not in TASK_STATES:
            raise ValidationFailed("status", status=state, details={"state": list(TASK_STATES)})
        query = query.where(Task.state == state)
    if kind is not None:
        if kind not in TASK_KINDS:
            raise ValidationFailed("status", status=kind, details={"kind": list(TASK_KINDS)})
        query = query.where(Task.kind == kind)
    if plan_id:
        query = query.where(Task.plan_id == plan_id)
    scope = subtree_filter(principal, Task.jurisdiction_path)
    if scope is not None:
        query = query.where(scope)
    rows = db.session.execute(query.order_by(Task.due, Task.created_at, Task.id)).scalars()
    if principal.role == "inspector":
        rows = [r for r in rows if principal.user_id in (r.user_ids or ())]
    return [task_json(r) for r in list(rows)[offset:offset + limit]]


def list_orders(principal: Principal, *, state: str | None = None, limit: int = 200,
                offset: int = 0) -> list[dict[str, Any]]:
    """Return the orders to correct of the caller's subtree, by deadline (an inspector: the
    orders of their tasks or issued by them). Raises Forbidden, ValidationFailed (state)."""
    require_action(principal, "task.read")
    query = select(Order)
    if state is not None:
        if state not in ORDER_STATES:
            raise ValidationFailed("status", status=state, details={"state": list(ORDER_STATES)})
        query = query.where(Order.state == state)
    scope = subtree_filter(principal, Order.jurisdiction_path)
    if scope is not None:
        query = query.where(scope)
    rows = list(db.session.execute(query.order_by(Order.deadline, Order.id)).scalars())
    if principal.role == "inspector":
        mine = {t.id for t in db.session.execute(select(Task).where(Task.id.in_([r.task_id for r in rows if r.task_id])))
                .scalars() if principal.user_id in (t.user_ids or ())}
        rows = [r for r in rows if r.task_id in mine or r.issued_by == principal.username]
    return [order_json(r) for r in rows[offset:offset + limit]]


def published_plans(limit: int = 5) -> list[dict[str, Any]]:
    """Return the plans with published results, newest publication first: [{id, name,
    rows (published), last (the newest publication date)}] — for the public site."""
    rows = db.session.execute(
        select(Plan.id, Plan.name, func.count(Publication.task_id), func.max(Publication.published_on))
        .join(Publication, Publication.plan_id == Plan.id).where(Publication.published_on.is_not(None))
        .group_by(Plan.id, Plan.name).order_by(func.max(Publication.published_on).desc(), Plan.id).limit(limit)).all()
    return [{"id": i, "name": n, "rows": c, "last": d.isoformat() if d else None} for i, n, c, d in rows]


def _outcomes(plan_id: str, published_only: bool) -> tuple[dict[str, bool], Counter]:
    query = select(Task).where(Task.plan_id == plan_id, Task.kind == "planned", Task.state == "closed")
    if published_only:
        query = query.join(Publication, Publication.task_id == Task.id).where(Publication.published_on.is_not(None))
    outcomes, failures = {}, Counter()
    for task in db.session.execute(query).scalars():
        outcomes[task.credit_code] = task.outcome == "pass"
        if task.outcome == "fail":
            for item in task.data.get("items") or []:
                failures[item["name"]] += 1
    return outcomes, failures


def plan_report(plan_id: str, *, published_only: bool = True) -> Report | None:
    """Return the compliance report (estimate by stratum and overall, 95 % intervals,
    charts) of a drawn plan from its reviewed (default: published) results; None before
    the draw."""
    plan, draw = db.session.get(Plan, plan_id), db.session.get(Draw, plan_id)
    if plan is None or draw is None or draw.revealed is None:
        return None
    result = draw.revealed["result"]
    outcomes, failures = _outcomes(plan_id, published_only)
    codes = [v for s in result["strata"] for k, v in (s.get("values") or {}).items() if k == "jurisdiction"]
    labels = stratum_names(result, accounts.jurisdiction_names(codes))
    return compliance_report(plan.body, result, outcomes, failures.most_common(10), labels=labels)


def plan_estimate(plan_id: str, *, published_only: bool = True) -> Estimate | None:
    """Return the plan's stratified compliance estimate (see plan_report), or None."""
    report = plan_report(plan_id, published_only=published_only)
    return report.estimate if report else None
