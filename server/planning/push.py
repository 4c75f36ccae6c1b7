"""The push handler of orders to correct (责令改正) issued on tablets (registered with
server.syncing), which also marks a task in progress when an inspection started from it
arrives in the batch: an order is created once, never edited by push; the inspection it names
must be on the server or in the same batch, its task (if any) the officer's own, its
deadline not in the past. After the flush each new order gets its evidence event and the
changes its officers' devices pull (cycle.order_recorded)."""
from __future__ import annotations

from server.kernel.access import can
from server.kernel.errors import ItemRejected
from server.kernel.extensions import db
from server.planning.cycle import order_problem, order_recorded, record_order, task_started
from server.planning.models import Order
from server.planning.records import order_json
from server.syncing.service import ItemConflict, PushBatch
from sync.protocol import ErrorCode, PushItem, is_clean_text

QUEUE = "new_orders"
BATCH_INSPECTIONS = "planning_batch_inspections"
BATCH_STARTED = "planning_batch_started"


class OrdersPush:
    """Applies pushed orders to correct (the access policy's "order.issue")."""

    entities = ("order",)

    def prepare(self, batch: PushBatch, raw_items: list) -> None:
        """Note the inspections the batch itself creates (an order may follow its inspection)."""
        inspections = [r for r in raw_items if isinstance(r, dict) and r.get("entity") == "inspection"
                       and isinstance(r.get("id"), str)]
        batch.state[BATCH_INSPECTIONS] = {r["id"] for r in inspections}
        # raw values: only ids safe to look up (a lone surrogate in a refused item's task id gave
        # a 500); task_started leaves alone inspections that were not stored
        batch.state[BATCH_STARTED] = {(r["id"], r["data"]["task_id"]) for r in inspections
                                      if isinstance(r.get("data"), dict) and is_clean_text(r["id"], 36)
                                      and is_clean_text(r["data"].get("task_id"), 36)}

    def apply(self, batch: PushBatch, item: PushItem) -> int:
        """Check an order item and queue the new order; returns 1. Raises ItemConflict (the
        order exists, or the item edits one), ItemRejected (role, task, inspection, deadline)."""
        principal = batch.principal
        if not can(principal, "order.issue"):
            raise ItemRejected("role_cannot_push", code=ErrorCode.FORBIDDEN, role=principal.role, entity=item.entity)
        existing = db.session.get(Order, item.id)
        if existing is not None:
            raise ItemConflict("order_exists", existing.version, order_json(existing))
        if item.id in batch.queue(QUEUE):
            raise ItemConflict("order_exists", 1, None)
        if item.base_version != 0:
            raise ItemConflict("no_order", 0, None)
        data = dict(item.values)
        problem = order_problem(principal, data, in_batch=batch.state.get(BATCH_INSPECTIONS, set()))
        if problem is not None:
            raise ItemRejected("order_task" if problem == "order_task" else
                               "order_inspection" if problem == "order_inspection" else "order_deadline",
                               code=ErrorCode.VALIDATION_FAILED)
        batch.add_object(record_order(principal, data, ident=item.id))
        batch.queue(QUEUE).append(item.id)
        return 1

    def finish(self, batch: PushBatch) -> None:
        """Tasks whose inspection arrived in this batch are in progress; the new orders'
        evidence events and pulled changes."""
        for inspection_id, task_id in sorted(batch.state.get(BATCH_STARTED, ())):
            task_started(task_id, inspection_id)
        batch.state[BATCH_STARTED] = set()
        queued = batch.queue(QUEUE)
        for order_id in sorted(set(queued)):
            order = db.session.get(Order, order_id)
            if order is not None:
                order_recorded(batch.principal, order)
        queued.clear()
