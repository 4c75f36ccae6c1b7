"""What devices pull of the cycle (tasks, orders) and the change rows that carry them.

A task's change reaches exactly its assigned officers' devices and the supervisors of its
jurisdiction: one change row per assigned user (`owner_user_id`), each scoped to the task's
jurisdiction path (`scope_path`). A task none of whose officers has a login still gets one
row for the supervisors.
"""
from __future__ import annotations

from server.kernel import clock
from server.kernel.changes import record_upsert
from server.planning.models import Order, Task

TASK_STATES = ("assigned", "in_progress", "closed", "cancelled")
ORDER_STATES = ("open", "reinspecting", "closed", "escalated")


def iso(value) -> str | None:
    """Return a timestamp as ISO 8601 UTC text (None stays None)."""
    return clock.as_utc(value).isoformat() if value is not None else None


def task_json(row: Task) -> dict:
    """Return what devices pull of a task (`sync.protocol.TASK`) with its server fields."""
    return {**row.data, "id": row.id, "kind": row.kind, "state": row.state, "plan_id": row.plan_id,
            "inspectors": list(row.inspectors), "due": row.due.isoformat() if row.due else None,
            "order_id": row.order_id, "inspection_id": row.inspection_id, "outcome": row.outcome,
            "jurisdiction": row.jurisdiction_code, "version": row.version, "updated_at": iso(row.updated_at)}


def order_json(row: Order) -> dict:
    """Return what devices pull of an order to correct (the pushed fields and its state)."""
    return {**row.data, "id": row.id, "inspection_id": row.inspection_id, "task_id": row.task_id,
            "credit_code": row.credit_code, "finding_ids": list(row.finding_ids), "requirement": row.requirement,
            "deadline": row.deadline.isoformat(), "state": row.state, "issued_by": row.issued_by,
            "issued_at": iso(row.issued_at), "reinspection_task_id": row.reinspection_task_id,
            "closed_at": iso(row.closed_at), "jurisdiction": row.jurisdiction_code, "version": row.version}


def emit_task(row: Task) -> None:
    """Queue the task's change for each assigned user's devices (and its supervisors)."""
    data = task_json(row)
    owners = sorted(set(row.user_ids or ())) or [None]
    for owner in owners:
        record_upsert("task", row.id, row.version, data, scope_path=row.jurisdiction_path, owner_user_id=owner)


def emit_order(row: Order, owners: list[int]) -> None:
    """Queue the order's change for `owners`' devices (the task's officers) and supervisors."""
    data = order_json(row)
    for owner in sorted(set(owners)) or [None]:
        record_upsert("order", row.id, row.version, data, scope_path=row.jurisdiction_path, owner_user_id=owner)
