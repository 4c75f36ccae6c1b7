"""Publication (一公开) of a plan's reviewed results: a reviewed planned task's public row is
staged (`stage_publication`, kept in step with its order by `refresh_publication`), a
supervisor publishes a plan's rows (`publish`), the deadline job publishes what waited
PUBLICATION_WORKING_DAYS working days (`publish_due`), and the public pages read them
(`published_rows`: no officer data).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from sampling.deadlines import working_day_deadline
from server.evidence import service as evidence
from server.kernel import clock
from server.kernel.access import Target, require, require_action
from server.kernel.auth import Principal
from server.kernel.errors import Conflict, NotFound
from server.kernel.extensions import db
from server.planning.models import Order, Plan, Publication, Task
from server.planning.opendata import public_row

PUBLICATION_WORKING_DAYS = 20      # GBFIELD_PUBLICATION_WORKING_DAYS (docs/sampling.md)


def _record_of(task: Task, plan: Plan | None, order: Order | None) -> dict[str, Any]:
    items = "、".join(i["name"] for i in task.data.get("items") or [])
    return {"plan_id": task.plan_id, "plan_name": plan.name if plan else "",
            "enterprise": (task.data.get("enterprise") or {}).get("name", ""), "credit_code": task.credit_code,
            "item": items, "outcome": task.outcome, "inspected_on": task.data.get("inspected_on") or "",
            "order_deadline": order.deadline.isoformat() if order else None,
            "order_state": order.state if order else None}


def stage_publication(task: Task) -> None:
    """Stage (or update) the public row of a reviewed planned task; published later."""
    plan = db.session.get(Plan, task.plan_id) if task.plan_id else None
    order = db.session.get(Order, task.order_id) if task.order_id else None
    row = db.session.get(Publication, task.id)
    record = public_row(_record_of(task, plan, order))
    if row is None:
        db.session.add(Publication(task_id=task.id, plan_id=task.plan_id, credit_code=task.credit_code,
                                   enterprise=record["enterprise"], row=record, reviewed_on=task.reviewed_on))
    else:
        row.row = {**record, "published_on": row.row.get("published_on", "")}


def refresh_publication(order: Order) -> None:
    """Keep the public row of the order's planned task in step with the order's state."""
    task = db.session.get(Task, order.task_id) if order.task_id else None
    if task is not None and task.kind == "planned" and db.session.get(Publication, task.id) is not None:
        stage_publication(task)


def publish(principal: Principal, plan_id: str, *, today: date | None = None) -> dict[str, Any]:
    """Publish every reviewed, not yet published result of a plan; returns {published,
    waiting (tasks not reviewed yet), deadline (the latest day allowed for the oldest)}.
    Raises Forbidden (role), NotFound (plan unknown or outside the subtree)."""
    require_action(principal, "result.publish")
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound("plan", plan=plan_id)
    require(principal, "result.publish", Target("plan", plan.jurisdiction_path))
    if plan.state not in ("drawn", "closed"):
        raise Conflict("plan_state", plan=plan.id, state=plan.state)
    day = today or clock.now().date()
    rows = db.session.execute(select(Publication).where(Publication.plan_id == plan_id,
                                                        Publication.published_on.is_(None))).scalars().all()
    for row in rows:
        row.published_on, row.published_by = day, principal.username
        row.row = {**row.row, "published_on": day.isoformat()}
    waiting = db.session.execute(select(Task.id).where(Task.plan_id == plan_id, Task.kind == "planned",
                                                       Task.state != "closed")).scalars().all()
    if rows:
        evidence.append_event("published", actor=principal.username, record_type="plan", record_id=plan_id,
                              details={"rows": len(rows), "on": day.isoformat()})
    oldest = min((r.reviewed_on for r in rows), default=None)
    return {"published": len(rows), "waiting": len(waiting),
            "deadline": working_day_deadline(oldest, PUBLICATION_WORKING_DAYS).isoformat() if oldest else None}


def publish_due(today: date, working_days: int = PUBLICATION_WORKING_DAYS) -> int:
    """The publication deadline: publish every reviewed result whose `working_days`-th
    working day after review (China's calendar, 调休 included) is today or past, so no
    result waits longer than the deadline. Returns how many rows were published."""
    rows = db.session.execute(select(Publication).where(Publication.published_on.is_(None))).scalars().all()
    due = [r for r in rows if working_day_deadline(r.reviewed_on, working_days) <= today]
    for row in due:
        row.published_on, row.published_by = today, "scheduler"
        row.row = {**row.row, "published_on": today.isoformat()}
    if due:
        evidence.append_event("published", actor="scheduler", record_type="plan", record_id=due[0].plan_id,
                              details={"rows": len(due), "on": today.isoformat(), "deadline": working_days})
    return len(due)


def published_rows(*, plan_id: str | None = None, q: str | None = None, limit: int = 500) -> list[dict]:
    """Return the published rows (public form, no officer data), newest publication first,
    of one plan or matching `q` (part of the enterprise name or credit code)."""
    query = select(Publication.row).where(Publication.published_on.is_not(None))
    if plan_id:
        query = query.where(Publication.plan_id == plan_id)
    if q and q.strip():
        text = q.strip()
        query = query.where(Publication.enterprise.contains(text, autoescape=True)
                            | Publication.credit_code.contains(text.upper(), autoescape=True))
    return list(db.session.execute(query.order_by(Publication.published_on.desc(), Publication.credit_code)
                                   .limit(limit)).scalars())
