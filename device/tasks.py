"""The tablet's side of the enforcement cycle: the tasks pulled for its officer (双随机
targets and 回头看 re-inspections), inspections started from a task, and orders to correct
(责令改正) issued on site from failed findings — offline, like every record (one
transaction writes the record and its outbox item).

    tasks = DeviceTasks(store, records)
    tasks.open_tasks()                     # what Home lists: open tasks, by due date
    iid = tasks.start_inspection(task_id, date.today())     # carries task_id and the enterprise
    tasks.issue_order(iid, [finding_id], "限期整改…", deadline)
    tasks.orders_of(credit_code)           # the enterprise's orders (its history)
"""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from device.errors import InvalidRecord, UnknownRecord
from device.records import DeviceRecords
from device.store import DeviceStore
from sync.protocol import ORDER, TASK

OPEN_STATES = ("assigned", "in_progress")


class DeviceTasks:
    """Tasks and orders to correct on the device (over its record store and outbox)."""

    def __init__(self, store: DeviceStore, records: DeviceRecords | None = None):
        self.store = store
        self.records = records or DeviceRecords(store)

    def tasks(self) -> list[dict[str, Any]]:
        """Return every pulled task that follows the task schema, by due date then id."""
        rows = [r["data"] for r in self.store.records.all("task").values()]
        rows = [t for t in rows if TASK.check(t).ok]
        return sorted(rows, key=lambda t: (t.get("due") or "9999-12-31", t["id"]))

    def open_tasks(self) -> list[dict[str, Any]]:
        """Return the tasks still to do (assigned or in progress): what Home lists."""
        return [t for t in self.tasks() if t.get("state") in OPEN_STATES]

    def task(self, task_id: str) -> dict[str, Any]:
        """Return one pulled task; raises UnknownRecord."""
        found = self.store.records.get("task", task_id)
        if found is None:
            raise UnknownRecord(f"任务不存在 / unknown task {task_id}")
        return found["data"]

    def start_inspection(self, task_id: str, inspected_on: date | str, **fields: Any) -> str:
        """Create an inspection for a task (its enterprise and jurisdiction filled in, the
        task id carried; `fields` given win, e.g. the address typed on site); returns the
        inspection's UUID. Raises UnknownRecord (task), InvalidRecord (unknown fields)."""
        prefilled = {k: v for k, v in self.prefill(task_id).items() if v}
        return self.records.create_inspection(inspected_on, **{**prefilled, **fields})

    def prefill(self, task_id: str) -> dict[str, Any]:
        """Return what an inspection of the task starts with: the task id, the enterprise
        (name, credit code, address) and the jurisdiction (None where the task has none).
        Raises UnknownRecord."""
        task = self.task(task_id)
        enterprise = task.get("enterprise") or {}
        return {"task_id": task_id, "credit_code": enterprise.get("credit_code"),
                "company_name": enterprise.get("name"), "address": enterprise.get("address") or None,
                "jurisdiction": task.get("jurisdiction")}

    def issue_order(self, inspection_id: str, finding_ids: list[str], requirement: str,
                    deadline: date | str) -> str:
        """Issue an order to correct on site for failed findings of an inspection; returns
        the order's UUID (pushed at the next sync). Raises UnknownRecord (inspection),
        InvalidRecord (the order does not follow its schema: no findings, no requirement …)."""
        found = self.store.records.get("inspection", inspection_id)
        if found is None:
            raise UnknownRecord(f"检查记录不存在 / unknown inspection {inspection_id}")
        inspection = found["data"]
        ident = str(uuid.uuid4())
        data = {"id": ident, "inspection_id": inspection_id, "task_id": inspection.get("task_id"),
                "credit_code": inspection.get("credit_code"), "finding_ids": list(finding_ids),
                "requirement": requirement, "deadline": str(deadline),
                "company_name": inspection.get("company_name"),
                "issued_at": datetime.now(UTC).isoformat(timespec="seconds")}
        data = {k: v for k, v in data.items() if v is not None}
        checked = ORDER.check(data, item_id=ident)
        if not checked.ok:
            raise InvalidRecord("; ".join(e.message() for e in checked.errors))
        mutation_id = str(uuid.uuid4())
        with self.store.transaction():
            self.store.outbox.add(mutation_id, "order", ident, 0, checked.values)
            self.store.records.put_local("order", ident, checked.values)
        return ident

    def set_order(self, inspection_id: str, finding_ids: list[str], requirement: str,
                  deadline: date | str) -> str:
        """The order to correct of the 完成检查 step: the inspection's order not sent yet is
        amended (the officer changed its text or deadline before signing), else a new one is
        issued; returns its UUID. Raises UnknownRecord, InvalidRecord (see issue_order)."""
        for order in self.orders():
            if order.get("inspection_id") != inspection_id:
                continue
            data = {**order, "finding_ids": list(finding_ids), "requirement": requirement, "deadline": str(deadline)}
            checked = ORDER.check(data, item_id=order["id"])
            if not checked.ok:
                raise InvalidRecord("; ".join(e.message() for e in checked.errors))
            with self.store.transaction():
                if self.store.outbox.amend_unsent("order", order["id"], checked.values):
                    self.store.records.put_local("order", order["id"], checked.values)
                    return order["id"]
        return self.issue_order(inspection_id, finding_ids, requirement, deadline)

    def orders(self) -> list[dict[str, Any]]:
        """Return every order the device holds (its own and pulled), by deadline."""
        rows = [r["data"] for r in self.store.records.all("order").values()]
        return sorted(rows, key=lambda o: (o.get("deadline") or "", o["id"]))

    def orders_of(self, credit_code: str) -> list[dict[str, Any]]:
        """Return the orders of one enterprise (the history Home shows beside a task)."""
        return [o for o in self.orders() if o.get("credit_code") == credit_code]

    def document_orders(self, inspection_id: str) -> list[dict[str, str]]:
        """Return the orders issued on an inspection in the printed records' input shape
        (`documents` model `orders`: [{text, deadline}]), for its 现场笔录."""
        return [{"text": o["requirement"], "deadline": o["deadline"]} for o in self.orders()
                if o.get("inspection_id") == inspection_id]
