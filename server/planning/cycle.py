"""The cycle's rules after the draw: tasks close on review, orders to correct (责令改正),
回头看 at the deadline, closing or escalating. A reviewed planned task's public row is
staged for publication (一公开: server.planning.publication).

    on_review(principal, inspection, outcome)   # inspections' review listener (setup)
    issue_order(principal, ...)                 # a supervisor's order in the console
    reinspection_due(today)                     # the daily job: 回头看 tasks for orders due

Orders issued on tablets arrive through the push handler (server/planning/push.py) and
land in `record_order`, the same path as the console's.
"""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select

from sampling.deadlines import working_day_deadline
from server.accounts import service as accounts
from server.evidence import service as evidence
from server.inspections import service as inspections
from server.kernel import clock
from server.kernel.access import require_action
from server.kernel.auth import Principal
from server.kernel.errors import ValidationFailed
from server.kernel.extensions import db
from server.planning import directories
from server.planning.models import Order, Task
from server.planning.publication import refresh_publication, stage_publication
from server.planning.records import emit_order, emit_task, order_json


def _today() -> date:
    return clock.now().date()


def _touch(task: Task) -> None:
    task.version += 1
    task.updated_at = clock.now()
    emit_task(task)


def _touch_order(order: Order, owners: list[int]) -> None:
    order.version += 1
    order.updated_at = clock.now()
    emit_order(order, owners)


def _task_owners(task_id: str | None) -> list[int]:
    task = db.session.get(Task, task_id) if task_id else None
    return list(task.user_ids) if task is not None else []


def task_started(task_id: str, inspection_id: str) -> None:
    """An inspection started from an assigned task reached the server: the task is in
    progress (its officers' devices pull the change). Unknown tasks, inspections that were
    not stored (rejected items) and tasks already further are left alone."""
    task = db.session.get(Task, task_id)
    if task is None or task.state != "assigned" or not inspections.exists(inspection_id):
        return
    task.state, task.inspection_id = "in_progress", inspection_id
    _touch(task)


# ---- review: tasks close, orders close or escalate ----------------------------------------

def on_review(principal: Principal, inspection: dict[str, Any], outcome: str) -> None:
    """The inspections feature's review listener: an approved inspection started from a
    task closes it with the inspection's outcome (a planned task's public row waits for
    publication; a re-inspection closes or escalates its order); a returned or rejected one
    leaves the task in progress. Raises nothing for inspections without a task."""
    task = db.session.get(Task, inspection.get("task_id") or "")
    if task is None:
        return
    task.inspection_id = inspection["id"]
    if outcome != "approved":
        task.state = "in_progress"
        _touch(task)
        return
    results = inspections.finding_results(inspection["id"])
    failed = [r for r in results if r["outcome"] == "fail"]
    task.state, task.outcome, task.reviewed_on = "closed", "fail" if failed else "pass", _today()
    task.data = {**task.data, "inspected_on": inspection.get("inspected_on")}
    _touch(task)
    if task.kind == "planned":
        stage_publication(task)
    elif task.order_id:
        _settle_order(principal, db.session.get(Order, task.order_id), task, results)


def _settle_order(principal: Principal, order: Order | None, task: Task, results: list[dict]) -> None:
    """A reviewed re-inspection: every re-checked finding passing closes the order, else it
    escalates (the supervisors of its jurisdiction are notified)."""
    if order is None:
        return
    rechecked = set(task.data.get("finding_indicators") or ())
    relevant = [r for r in results if not rechecked or r["indicator_id"] in rechecked]
    passed = bool(relevant) and all(r["outcome"] == "pass" for r in relevant)
    order.state = "closed" if passed else "escalated"
    order.closed_at = clock.now()
    _touch_order(order, list(task.user_ids))
    evidence.append_event("order_closed" if passed else "order_escalated", actor=principal.username,
                          record_type="order", record_id=order.id,
                          details={"reinspection": task.id, "inspection": task.inspection_id,
                                   "findings": len(relevant)})
    if not passed:
        accounts.notify(accounts.supervisors_over(order.jurisdiction_path), "order_escalated",
                        {"order_id": order.id, "credit_code": order.credit_code,
                         "company_name": order.data.get("company_name"), "deadline": order.deadline.isoformat()})
    refresh_publication(order)


# ---- orders to correct -------------------------------------------------------------------

def record_order(principal: Principal, data: dict[str, Any], *, ident: str | None = None) -> Order:
    """Store an order to correct from checked data ({inspection_id, task_id?, credit_code,
    finding_ids, requirement, deadline, company_name?, issued_at?}); its jurisdiction is
    the task's, else the caller's. Queues the change and the evidence event; returns the row.
    Raises nothing (the caller checked)."""
    task = db.session.get(Task, data.get("task_id") or "")
    now = clock.now()
    order = Order(id=ident or str(uuid.uuid4()), task_id=task.id if task else None,
                  inspection_id=data["inspection_id"], credit_code=data["credit_code"],
                  jurisdiction_code=task.jurisdiction_code if task else principal.jurisdiction_code,
                  jurisdiction_path=task.jurisdiction_path if task else principal.jurisdiction_path,
                  finding_ids=list(data["finding_ids"]), requirement=data["requirement"],
                  deadline=date.fromisoformat(str(data["deadline"])[:10]), state="open",
                  issued_by=principal.username, issued_at=now, data={
                      k: data[k] for k in ("company_name", "issued_at") if data.get(k)},
                  version=1, updated_at=now)
    if task is not None:
        task.order_id = order.id
    return order


def order_problem(principal: Principal, data: dict[str, Any], *, in_batch: set[str] = frozenset()) -> str | None:
    """Return the message variant refusing an order (None when it may be issued):
    `order_task` (the task is unknown or not the caller's), `order_inspection` (unknown
    inspection), `order_deadline` (a deadline before today)."""
    task_id = data.get("task_id")
    if task_id:
        task = db.session.get(Task, task_id)
        mine = task is not None and (principal.user_id in (task.user_ids or ())
                                     or (principal.role != "inspector" and principal.in_subtree(task.jurisdiction_path)))
        if not mine:
            return "order_task"
    if data["inspection_id"] not in in_batch and not inspections.exists(data["inspection_id"]):
        return "order_inspection"
    if date.fromisoformat(str(data["deadline"])[:10]) < _today():
        return "order_deadline"
    return None


def order_recorded(principal: Principal, order: Order) -> None:
    """After the order's row is written: the evidence event and the changes devices pull."""
    evidence.append_event("ordered", actor=principal.username, record_type="order", record_id=order.id,
                          details={"inspection": order.inspection_id, "task": order.task_id,
                                   "deadline": order.deadline.isoformat(), "findings": len(order.finding_ids)})
    owners = _task_owners(order.task_id) or [principal.user_id]
    emit_order(order, owners)
    task = db.session.get(Task, order.task_id) if order.task_id else None
    if task is not None:
        _touch(task)
    refresh_publication(order)


def issue_order(principal: Principal, inspection_id: str, finding_ids: list[str], requirement: str,
                deadline: date, *, task_id: str | None = None, credit_code: str | None = None,
                company_name: str | None = None) -> dict[str, Any]:
    """A supervisor (or officer) issues an order to correct outside the tablet; returns it.
    Raises Forbidden (role), ValidationFailed (no findings, no requirement, past deadline,
    unknown inspection or task)."""
    require_action(principal, "order.issue")
    task = db.session.get(Task, task_id) if task_id else None
    code = credit_code or (task.credit_code if task else None)
    if not finding_ids or not requirement.strip() or not code:
        raise ValidationFailed("order", details={"order": ["finding_ids, requirement, credit_code"]})
    data = {"inspection_id": inspection_id, "task_id": task_id, "credit_code": code, "finding_ids": finding_ids,
            "requirement": requirement, "deadline": deadline.isoformat(), "company_name": company_name}
    problem = order_problem(principal, data)
    if problem is not None:
        raise ValidationFailed("order_task" if problem == "order_task" else
                               "order_inspection" if problem == "order_inspection" else "order_deadline",
                               details={"order": [problem]})
    order = record_order(principal, data)
    db.session.add(order)
    db.session.flush()
    order_recorded(principal, order)
    return _order_view(order)


def _order_view(order: Order) -> dict[str, Any]:
    return order_json(order)


def reinspection_due(today: date) -> list[str]:
    """回头看: for each open order whose deadline is before `today`, make a re-inspection
    task (the same officers, the failed findings' indicators) and move the order to
    `reinspecting`. Returns the new task ids. Raises nothing."""
    due = db.session.execute(select(Order).where(Order.state == "open", Order.deadline < today)
                             .order_by(Order.deadline, Order.id)).scalars().all()
    out = []
    now = clock.now()
    for order in due:
        origin = db.session.get(Task, order.task_id) if order.task_id else None
        indicators = _failed_indicators(order)
        inspectors = list(origin.inspectors) if origin else directories.roster_codes_of(order.issued_by)
        users = list(origin.user_ids) if origin else list(directories.accounts_of(inspectors).values())
        enterprise = (origin.data.get("enterprise") if origin else None) or {
            "credit_code": order.credit_code, "name": order.data.get("company_name") or "", "address": ""}
        task = Task(id=str(uuid.uuid4()), plan_id=origin.plan_id if origin else None, kind="reinspection",
                    credit_code=order.credit_code, jurisdiction_code=order.jurisdiction_code,
                    jurisdiction_path=order.jurisdiction_path, inspectors=inspectors, user_ids=users,
                    state="assigned", due=working_day_deadline(today, 5), order_id=order.id, data={
                        "plan_name": origin.data.get("plan_name") if origin else None, "enterprise": enterprise,
                        "items": [{"id": i, "name": i} for i in indicators], "finding_indicators": indicators,
                        "requirement": order.requirement, "deadline": order.deadline.isoformat()},
                    version=1, created_at=now, updated_at=now)
        db.session.add(task)
        emit_task(task)
        order.state, order.reinspection_task_id = "reinspecting", task.id
        _touch_order(order, users)
        refresh_publication(order)
        out.append(task.id)
    if out:
        evidence.append_event("ordered", actor="scheduler", record_type="reinspection", record_id=out[0],
                              details={"tasks": out})
    return out


def _failed_indicators(order: Order) -> list[str]:
    results = {r["id"]: r for r in inspections.finding_results(order.inspection_id)}
    return sorted({results[f]["indicator_id"] for f in order.finding_ids if f in results})
