"""A supervisor's changes to the drawn work: reassign a task's officers, cancel a task
with a reason, withdraw a published result. Each change reaches the tablets through the
change log and is kept in the evidence log.

    reassign_task(principal, task_id, roster_codes)   # ≥ 2 officers, competent, no conflict
    cancel_task(principal, task_id, reason)           # the tablets drop it from Home
    withdraw_result(principal, task_id, reason)       # only before the publication deadline

An officer taken off a task gets a `delete` change of it (their tablet forgets it; the
inspection they may have started stays theirs); the officers on it get the new version.
A withdrawn result goes back to waiting and the deadline job publishes it again at its
deadline, so a withdrawal never hides a result past the legal deadline (docs/planning.md).
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
from server.kernel.changes import record_change
from server.kernel.errors import Conflict, NotFound, ValidationFailed
from server.kernel.extensions import db
from server.planning import directories
from server.planning.models import Plan, Publication, RosterInspector, Task
from server.planning.publication import PUBLICATION_WORKING_DAYS
from server.planning.records import emit_task, task_json
from sync.protocol import OP_DELETE

OPEN_STATES = ("assigned", "in_progress")
MIN_OFFICERS = 2             # 行政处罚法 art. 42: at least two officers (docs/sampling.md)
MAX_REASON = 500


def _task_for_write(principal: Principal, task_id: str) -> Task:
    require_action(principal, "task.manage")
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound("task", task=task_id)
    require(principal, "task.manage", Target("task", task.jurisdiction_path))
    return task


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if len(text) < 2 or len(text) > MAX_REASON:
        raise ValidationFailed("reason", max=MAX_REASON, details={"reason": [f"2–{MAX_REASON}"]})
    return text


def _bump(task: Task) -> None:
    task.version += 1
    task.updated_at = clock.now()


def _forget_on(task: Task, user_ids: set[int]) -> None:
    """Queue a delete of the task for the devices of users no longer on it."""
    for owner in sorted(user_ids):
        record_change("task", task.id, OP_DELETE, task.version, None, scope_path=task.jurisdiction_path,
                      owner_user_id=owner)


def officer_problems(task: Task, codes: list[str]) -> dict[str, str]:
    """Return {roster code: why it may not take the task} for the chosen officers
    ("unknown", "outside" the task's jurisdiction, a conflict of "interest" with the
    enterprise, lacking the items' "competence"); {} when every one may."""
    rows = {r.code: r for r in db.session.execute(select(RosterInspector)
                                                  .where(RosterInspector.code.in_(codes))).scalars()}
    needed = {i.get("competence") for i in task.data.get("items") or () if i.get("competence")}
    out = {}
    for code in codes:
        row = rows.get(code)
        if row is None:
            out[code] = "unknown"
        elif not task.jurisdiction_path.startswith(row.jurisdiction_path):
            out[code] = "outside"
        elif task.credit_code in (row.conflicts or ()):
            out[code] = "interest"
        elif not needed <= set(row.competences or ()):
            out[code] = "competence"
    return out


def reassign_task(principal: Principal, task_id: str, roster_codes: list[str]) -> dict[str, Any]:
    """Give an open task to `roster_codes` (at least two distinct officers of the roster who
    cover its jurisdiction, have the items' competence and no conflict with the enterprise).
    Returns the task. Raises NotFound/Forbidden, Conflict (task closed or cancelled),
    ValidationFailed (fewer than two officers, or an officer who may not take it: `details`
    names each with the reason)."""
    task = _task_for_write(principal, task_id)
    if task.state not in OPEN_STATES:
        raise Conflict("task_state", task=task.id, state=task.state)
    codes = list(dict.fromkeys(c.strip() for c in roster_codes if c and c.strip()))
    if len(codes) < MIN_OFFICERS:
        raise ValidationFailed("officers_count", n=MIN_OFFICERS, details={"officers": [f"≥ {MIN_OFFICERS}"]})
    problems = officer_problems(task, codes)
    if problems:
        code, why = next(iter(problems.items()))
        details = {"officers": [f"{c}: {w}" for c, w in problems.items()]}
        raise ValidationFailed("officer_unknown" if why == "unknown" else "officer_outside" if why == "outside"
                               else "officer_conflict" if why == "interest" else "officer_competence",
                               officer=code, details=details)
    before, users = list(task.inspectors), directories.accounts_of(codes)
    removed = set(task.user_ids or ()) - set(users.values())
    task.inspectors, task.user_ids = codes, [users[c] for c in codes if c in users]
    _bump(task)
    _forget_on(task, removed)
    emit_task(task)
    evidence.append_event("task_reassigned", actor=principal.username, record_type="task", record_id=task.id,
                          details={"before": len(before), "after": len(codes)})
    db.session.flush()
    return task_json(task)


def cancel_task(principal: Principal, task_id: str, reason: str) -> dict[str, Any]:
    """Cancel an open task with a reason (the enterprise closed, moved, a duplicate …): its
    officers' tablets pull state `cancelled` and `cancel_reason`, and Home no longer lists
    it. Returns the task. Raises NotFound/Forbidden, Conflict (already closed or
    cancelled), ValidationFailed (reason missing or longer than 500 characters)."""
    task = _task_for_write(principal, task_id)
    text = _reason(reason)
    if task.state not in OPEN_STATES:
        raise Conflict("task_state", task=task.id, state=task.state)
    task.state = "cancelled"
    task.data = {**task.data, "cancel_reason": text, "cancelled_by": principal.username,
                 "cancelled_at": clock.now().isoformat()}
    _bump(task)
    emit_task(task)
    evidence.append_event("task_cancelled", actor=principal.username, record_type="task", record_id=task.id,
                          details={"reason": text, "kind": task.kind})
    db.session.flush()
    return task_json(task)


def withdraw_result(principal: Principal, task_id: str, reason: str, *, today: date | None = None) -> dict[str, Any]:
    """Take a published result off the public pages with a reason (an error to correct).
    Allowed only while its publication deadline (20 working days after review) has not
    passed: it goes back to waiting and is published again at that deadline at the latest.
    Returns {task_id, deadline}. Raises Forbidden (role), NotFound (unknown, outside the
    subtree), Conflict (not published; `result_deadline` past), ValidationFailed (reason)."""
    require_action(principal, "result.publish")
    row = db.session.get(Publication, task_id)
    plan = db.session.get(Plan, row.plan_id) if row is not None else None
    if row is None or plan is None:
        raise NotFound("result", task=task_id)
    require(principal, "result.publish", Target("plan", plan.jurisdiction_path))
    text = _reason(reason)
    if row.published_on is None:
        raise Conflict("result_state", task=task_id, state="waiting")
    day = today or clock.now().date()
    deadline = working_day_deadline(row.reviewed_on, PUBLICATION_WORKING_DAYS)
    if day >= deadline:
        raise Conflict("result_deadline", task=task_id, deadline=deadline.isoformat())
    row.published_on, row.published_by = None, None
    row.withdrawn_on, row.withdrawn_by, row.withdrawn_reason = day, principal.username, text
    row.row = {**row.row, "published_on": ""}
    evidence.append_event("result_withdrawn", actor=principal.username, record_type="plan", record_id=row.plan_id,
                          details={"task": task_id, "reason": text, "deadline": deadline.isoformat()})
    db.session.flush()
    return {"task_id": task_id, "deadline": deadline.isoformat()}
