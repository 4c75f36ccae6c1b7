"""The console's work lists of the cycle, counted and paged in SQL like the inspections
list: plans, tasks, orders to correct and a plan's results. Each `*_page` function takes
the list's filter values (server.kernel.console.lists.ListQuery.values), a sort key, the
order, limit and offset, and returns (rows, total); rows are plain dicts.

Scope: the caller's subtree (`list_filter` of the list's action); roles are asked first.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select

from sampling.deadlines import working_day_deadline
from server.kernel.access import list_filter, require_action
from server.kernel.auth import Principal
from server.kernel.extensions import db
from server.planning.models import Enterprise, Order, Plan, Publication, Task
from server.planning.opendata import ORDER_OUTCOMES, RESULTS
from server.planning.plans import PLAN_STATES
from server.planning.publication import PUBLICATION_WORKING_DAYS
from server.planning.records import ORDER_STATES, TASK_STATES, iso, order_json, task_json

TASK_KINDS = ("planned", "reinspection")
OPEN_TASK_STATES = ("assigned", "in_progress")
OPEN_ORDER_STATES = ("open", "reinspecting")
RESULT_STATES = ("published", "waiting", "withdrawn")
PLAN_SORTS = ("created", "name", "state")
TASK_SORTS = ("due", "company", "state", "updated")
ORDER_SORTS = ("deadline", "company", "state", "issued")
RESULT_SORTS = ("reviewed", "company", "published")
#: the public row's Chinese words back to the codes the console words (both languages)
OUTCOME_OF = {text: code for code, text in RESULTS.items()}
ORDER_STATE_OF = {text: code for code, text in ORDER_OUTCOMES.items()}


def _text(column, value: str):
    return column.contains(value.strip(), autoescape=True)


def _ordered(query, columns: dict[str, Any], sort: str, descending: bool, tiebreak):
    column = columns[sort]
    return query.order_by(column.desc() if descending else column.asc(), tiebreak)


def _page(query, order_query, limit: int, offset: int) -> tuple[list, int]:
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(order_query.limit(limit).offset(offset)).all()
    return rows, total


def plans_page(principal: Principal, values: dict, *, sort: str = "created", descending: bool = True,
               limit: int = 25, offset: int = 0) -> tuple[list[dict], int]:
    """Plans of the subtree: filters `state`, `q` (name or id); with each plan's task counts
    by state ({state: n}). Raises Forbidden."""
    require_action(principal, "plan.read")
    query = select(Plan)
    scope = list_filter(principal, "plan.read", Plan.jurisdiction_path)
    if scope is not None:
        query = query.where(scope)
    if values.get("state") in PLAN_STATES:
        query = query.where(Plan.state == values["state"])
    if values.get("q"):
        query = query.where(or_(_text(Plan.name, values["q"]), _text(Plan.id, values["q"])))
    columns = {"created": Plan.created_at, "name": Plan.name, "state": Plan.state}
    rows, total = _page(query, _ordered(query, columns, sort, descending, Plan.id), limit, offset)
    plans = [r[0] for r in rows]
    counts: dict[str, Counter] = {p.id: Counter() for p in plans}
    if plans:
        for plan_id, state, n in db.session.execute(
                select(Task.plan_id, Task.state, func.count()).where(Task.plan_id.in_(list(counts)),
                                                                     Task.kind == "planned")
                .group_by(Task.plan_id, Task.state)):
            counts[plan_id][state] = n
    return [{"id": p.id, "name": p.name, "state": p.state, "jurisdiction": p.jurisdiction_code,
             "created_by": p.created_by, "created_at": iso(p.created_at), "starts": p.body.get("starts"),
             "ends": p.body.get("ends"), "tasks": dict(counts[p.id]), "task_total": sum(counts[p.id].values())}
            for p in plans], total


def tasks_page(principal: Principal, values: dict, *, today: date, sort: str = "due", descending: bool = False,
               limit: int = 25, offset: int = 0) -> tuple[list[dict], int]:
    """Tasks of the subtree: filters `plan`, `state`, `kind`, `q` (company name or credit
    code), `overdue` (open and due before `today`), `shortfall`. Raises Forbidden."""
    require_action(principal, "task.manage")
    query = select(Task, Enterprise.name).outerjoin(Enterprise, Enterprise.credit_code == Task.credit_code)
    scope = list_filter(principal, "task.manage", Task.jurisdiction_path)
    if scope is not None:
        query = query.where(scope)
    if values.get("plan"):
        query = query.where(Task.plan_id == values["plan"])
    if values.get("state") in TASK_STATES:
        query = query.where(Task.state == values["state"])
    if values.get("kind") in TASK_KINDS:
        query = query.where(Task.kind == values["kind"])
    if values.get("q"):
        query = query.where(or_(_text(Enterprise.name, values["q"]), _text(Task.credit_code, values["q"].upper())))
    if values.get("overdue"):
        query = query.where(Task.state.in_(OPEN_TASK_STATES), Task.due < today)
    columns = {"due": Task.due, "company": Enterprise.name, "state": Task.state, "updated": Task.updated_at}
    rows, total = _page(query, _ordered(query, columns, sort, descending, Task.id), limit, offset)
    out = []
    for task, name in rows:
        item = task_json(task)
        item["company_name"] = name or (task.data.get("enterprise") or {}).get("name") or ""
        item["overdue"] = task.state in OPEN_TASK_STATES and task.due is not None and task.due < today
        out.append(item)
    return out, total


def orders_page(principal: Principal, values: dict, *, today: date, sort: str = "deadline",
                descending: bool = False, limit: int = 25, offset: int = 0) -> tuple[list[dict], int]:
    """Orders to correct of the subtree, each with its 回头看 task (state, due, outcome):
    filters `state`, `q`, `overdue` (open past its deadline with no re-inspection yet, or
    re-inspecting past the task's due date), `plan`. Raises Forbidden."""
    require_action(principal, "task.manage")
    recheck = Task.__table__.alias("recheck")
    origin = Task.__table__.alias("origin")
    query = (select(Order, Enterprise.name, recheck.c.state, recheck.c.due, recheck.c.outcome, origin.c.plan_id)
             .outerjoin(Enterprise, Enterprise.credit_code == Order.credit_code)
             .outerjoin(recheck, recheck.c.id == Order.reinspection_task_id)
             .outerjoin(origin, origin.c.id == Order.task_id))
    scope = list_filter(principal, "task.manage", Order.jurisdiction_path)
    if scope is not None:
        query = query.where(scope)
    if values.get("state") in ORDER_STATES:
        query = query.where(Order.state == values["state"])
    if values.get("plan"):
        query = query.where(origin.c.plan_id == values["plan"])
    if values.get("q"):
        query = query.where(or_(_text(Enterprise.name, values["q"]), _text(Order.credit_code, values["q"].upper())))
    if values.get("overdue"):
        query = query.where(or_(and_(Order.state == "open", Order.deadline < today),
                                and_(Order.state == "reinspecting", recheck.c.due < today)))
    columns = {"deadline": Order.deadline, "company": Enterprise.name, "state": Order.state,
               "issued": Order.issued_at}
    rows, total = _page(query, _ordered(query, columns, sort, descending, Order.id), limit, offset)
    out = []
    for order, name, r_state, r_due, r_outcome, plan_id in rows:
        item = order_json(order)
        item.update(company_name=name or order.data.get("company_name") or "", plan_id=plan_id,
                    reinspection={"state": r_state, "due": r_due.isoformat() if r_due else None,
                                  "outcome": r_outcome} if r_state else None,
                    overdue=(order.state == "open" and order.deadline < today)
                    or (order.state == "reinspecting" and r_due is not None and r_due < today))
        out.append(item)
    return out, total


def results_page(principal: Principal, plan_id: str, values: dict, *, today: date, sort: str = "reviewed",
                 descending: bool = True, limit: int = 25, offset: int = 0) -> tuple[list[dict], int]:
    """A plan's reviewed results (its publications): filters `state` (published, waiting,
    withdrawn: waiting again after a withdrawal), `q`; each row with its publication
    `deadline` and whether it is `withdrawable` on `today`. The caller checked the plan."""
    require_action(principal, "result.publish")
    query = select(Publication).where(Publication.plan_id == plan_id)
    state = values.get("state")
    if state == "published":
        query = query.where(Publication.published_on.is_not(None))
    elif state == "waiting":
        query = query.where(Publication.published_on.is_(None))
    elif state == "withdrawn":
        query = query.where(Publication.published_on.is_(None), Publication.withdrawn_on.is_not(None))
    if values.get("q"):
        query = query.where(or_(_text(Publication.enterprise, values["q"]),
                                _text(Publication.credit_code, values["q"].upper())))
    columns = {"reviewed": Publication.reviewed_on, "company": Publication.enterprise,
               "published": Publication.published_on}
    rows, total = _page(query, _ordered(query, columns, sort, descending, Publication.task_id), limit, offset)
    out = []
    for (p,) in rows:
        deadline = working_day_deadline(p.reviewed_on, PUBLICATION_WORKING_DAYS)
        out.append({"task_id": p.task_id, "enterprise": p.enterprise, "credit_code": p.credit_code, "row": p.row,
                    "reviewed_on": p.reviewed_on.isoformat(),
                    "published_on": p.published_on.isoformat() if p.published_on else None,
                    "published_by": p.published_by, "deadline": deadline.isoformat(),
                    "outcome": OUTCOME_OF.get(p.row.get("result")), "order_state": ORDER_STATE_OF.get(
                        p.row.get("order_outcome")), "order_deadline": p.row.get("order_deadline") or None,
                    "withdrawable": p.published_on is not None and today < deadline,
                    "withdrawn_on": p.withdrawn_on.isoformat() if p.withdrawn_on else None,
                    "withdrawn_by": p.withdrawn_by, "withdrawn_reason": p.withdrawn_reason})
    return out, total


def result_counts(plan_id: str) -> dict[str, int]:
    """Return {published, waiting} of a plan's reviewed results."""
    rows = db.session.execute(select(Publication.published_on.is_not(None), func.count())
                              .where(Publication.plan_id == plan_id)
                              .group_by(Publication.published_on.is_not(None))).all()
    counts = {bool(k): n for k, n in rows}
    return {"published": counts.get(True, 0), "waiting": counts.get(False, 0)}
