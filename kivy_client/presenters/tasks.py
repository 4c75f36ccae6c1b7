"""The Home screen's task list (双随机 targets and 回头看 re-inspections pulled for this
officer) as plain rows, with the enterprise's orders to correct as its history. The
screen (tablet-field) lists `TasksPresenter.rows(today)` and calls `start(task_id, today)`
to open an inspection from a task; `issue_order(...)` from a failed finding."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from device import DeviceTasks

KIND_LABELS = {"planned": "双随机抽查 / random inspection", "reinspection": "回头看 / re-inspection"}
ORDER_LABELS = {"open": "整改中 / correcting", "reinspecting": "待复查 / to re-check", "closed": "整改到位 / met",
                "escalated": "逾期未整改 / escalated"}


@dataclass(frozen=True)
class TaskRow:
    """One line of Home's task list."""

    task_id: str
    title: str              # the enterprise's name
    subtitle: str           # kind · plan
    items: str              # what to check
    due: str                # "2026-04-01" or "—"
    overdue: bool
    history: tuple[str, ...]  # the enterprise's orders to correct, one line each
    kind: str = ""          # "planned" | "reinspection" (KIND_LABELS)
    plan: str = ""          # the plan's name

    def kind_label(self, language: str = "zh_CN") -> str:
        """The task's kind in `language` ("zh_CN" or "en")."""
        zh, _, en = KIND_LABELS.get(self.kind, "").partition(" / ")
        return en if language == "en" and en else zh


@dataclass(frozen=True)
class OrderRow:
    """One order to correct whose deadline is near or past (Home's 整改到期 list)."""

    order_id: str
    enterprise: str
    requirement: str
    deadline: str
    overdue: bool
    state: str              # ORDER_LABELS' text


class TasksPresenter:
    """Home's tasks over the device's `DeviceTasks`."""

    def __init__(self, tasks: DeviceTasks):
        self.tasks = tasks

    def rows(self, today: date) -> list[TaskRow]:
        """Return the open tasks as rows, by due date (re-inspections carry their order)."""
        out = []
        for task in self.tasks.open_tasks():
            enterprise = task.get("enterprise") or {}
            due = task.get("due") or ""
            history = tuple(f"{o.get('deadline', '')} 责令改正：{o.get('requirement', '')}（{ORDER_LABELS.get(o.get('state'), '待同步 / not synced')}）"
                            for o in self.tasks.orders_of(enterprise.get("credit_code", "")))
            out.append(TaskRow(task_id=task["id"], title=enterprise.get("name") or enterprise.get("credit_code", ""),
                               subtitle=" · ".join(x for x in (KIND_LABELS.get(task.get("kind"), ""),
                                                               task.get("plan_name") or "") if x),
                               items="、".join(i.get("name", "") for i in task.get("items") or []),
                               due=due or "—", overdue=bool(due) and due < today.isoformat(), history=history,
                               kind=task.get("kind") or "", plan=task.get("plan_name") or ""))
        return out

    def orders_due(self, today: date, within_days: int = 7) -> list[OrderRow]:
        """Return the orders still open (or not yet synced) whose deadline is at most
        `within_days` away or past, soonest first: a re-check is due."""
        horizon = (today + timedelta(days=within_days)).isoformat()
        out = []
        for order in self.tasks.orders():
            state = order.get("state") or ""
            if state not in ("", "open") or not order.get("deadline") or order["deadline"] > horizon:
                continue
            out.append(OrderRow(order["id"], order.get("company_name") or order.get("credit_code", ""),
                                order.get("requirement", ""), order["deadline"], order["deadline"] < today.isoformat(),
                                ORDER_LABELS.get(state, "待同步 / not synced")))
        return out

    def start(self, task_id: str, today: date, **fields) -> str:
        """Open an inspection from a task; returns its id (raises UnknownRecord)."""
        return self.tasks.start_inspection(task_id, today, **fields)

    def issue_order(self, inspection_id: str, finding_ids: list[str], requirement: str, deadline: date) -> str:
        """Issue an order to correct on site; returns its id (raises InvalidRecord)."""
        return self.tasks.issue_order(inspection_id, finding_ids, requirement, deadline)
