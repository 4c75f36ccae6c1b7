"""The cycle's console pages for tasks and orders to correct: the task list (filters,
sort, pages like every work list), one task with its officers (reassign) and its cancel
form (a reason; the tablets pull the cancellation), and the orders list (overdue,
the 回头看 scheduled and its result)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from server.accounts import service as accounts
from server.kernel import clock, uow
from server.kernel.access import Target, list_filter, require
from server.kernel.console import bp, lists, require_action
from server.kernel.errors import Conflict, NotFound, ValidationFailed
from server.kernel.extensions import db
from server.planning import assignments, worklists
from server.planning.console import PAGE_SIZE, w
from server.planning.models import Order, Plan, RosterInspector, Task
from server.planning.records import ORDER_STATES, TASK_STATES, order_json, task_json

TASK_FILTERS = (lists.Filter("plan", max_length=60), lists.Filter("state", "choice", TASK_STATES),
                lists.Filter("kind", "choice", worklists.TASK_KINDS), lists.Filter("q"),
                lists.Filter("overdue", "flag"))
ORDER_FILTERS = (lists.Filter("plan", max_length=60), lists.Filter("state", "choice", ORDER_STATES),
                 lists.Filter("q"), lists.Filter("overdue", "flag"))
lists.register_list("tasks", "console.tasks")
lists.register_list("orders", "console.orders")


def _plans() -> list[tuple[str, str]]:
    query = select(Plan.id, Plan.name).order_by(Plan.created_at.desc())
    scope = list_filter(g.console_user, "plan.read", Plan.jurisdiction_path)
    return list(db.session.execute(query.where(scope) if scope is not None else query).all())


@bp.route("/tasks/")
def tasks():
    """Tasks of the subtree: plan, state, kind, company, overdue; sorted, paged, saved views."""
    require_action("task.manage")
    query = lists.read_query(TASK_FILTERS, worklists.TASK_SORTS, "due")
    if "sort" not in request.args:
        query.descending = False                 # soonest due first by default
    today = clock.now().date()
    total = worklists.tasks_page(g.console_user, query.values, today=today, limit=1)[1]
    pager = lists.paginate(query.page, total, PAGE_SIZE)
    rows, _ = worklists.tasks_page(g.console_user, query.values, today=today, sort=query.sort,
                                   descending=query.descending, limit=PAGE_SIZE, offset=pager.offset)
    return render_template("console/cycle_tasks.html", w=w(), rows=rows, query=query, pager=pager,
                           plans=_plans(), states=TASK_STATES, kinds=worklists.TASK_KINDS,
                           officers=_officer_names({c for r in rows for c in r["inspectors"]}),
                           views=lists.saved_views("tasks"), list_name="tasks")


def _officer_names(codes) -> dict[str, str]:
    codes = sorted(set(codes))
    if not codes:
        return {}
    return dict(db.session.execute(select(RosterInspector.code, RosterInspector.name)
                                   .where(RosterInspector.code.in_(codes))).all())


def _visible_task(task_id: str) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound("task", task=task_id)
    require(g.console_user, "task.manage", Target("task", task.jurisdiction_path))
    return task


def _task_context(task_id: str) -> dict:
    task = _visible_task(task_id)
    roster = list(db.session.execute(select(RosterInspector).order_by(RosterInspector.code)).scalars())
    candidates = [r for r in roster if task.jurisdiction_path.startswith(r.jurisdiction_path)]
    problems = assignments.officer_problems(task, [r.code for r in candidates])
    order = db.session.get(Order, task.order_id) if task.order_id else None
    plan = db.session.get(Plan, task.plan_id) if task.plan_id else None
    return {"task": task_json(task), "plan": plan, "order": order_json(order) if order else None,
            "candidates": candidates, "problems": problems, "open": task.state in assignments.OPEN_STATES,
            "officers": _officer_names(task.inspectors), "names": accounts.jurisdiction_names([task.jurisdiction_code]),
            "today": clock.now().date().isoformat(), "error": None}


@bp.route("/tasks/<task_id>")
def task(task_id: str):
    """One task: the enterprise, items, officers (reassign), its inspection and order, cancel."""
    require_action("task.manage")
    return render_template("console/cycle_task.html", w=w(), **_task_context(task_id))


@bp.route("/tasks/<task_id>/<any(reassign, cancel):act>", methods=["POST"])
def task_act(task_id: str, act: str):
    """Reassign the task's officers (ticked roster codes) or cancel it (a reason); the
    task's page again with the service's message when refused (400 / 409)."""
    require_action("task.manage")
    words_ = w()
    try:
        if act == "reassign":
            assignments.reassign_task(g.console_user, task_id, request.form.getlist("officers"))
            flash(words_["reassigned_flash"], "success")
        else:
            assignments.cancel_task(g.console_user, task_id, request.form.get("reason") or "")
            flash(words_["cancelled_flash"], "success")
    except (ValidationFailed, Conflict) as exc:
        uow.rollback()
        context = _task_context(task_id)
        context["error"] = {"act": act, "message": exc.message, "reason": request.form.get("reason") or ""}
        return render_template("console/cycle_task.html", w=words_, **context), exc.status
    return redirect(url_for("console.task", task_id=task_id))


@bp.route("/orders/")
def orders():
    """Orders to correct of the subtree: state, overdue, company, plan; each with its
    回头看 task (state, due, result)."""
    require_action("task.manage")
    query = lists.read_query(ORDER_FILTERS, worklists.ORDER_SORTS, "deadline")
    if "sort" not in request.args:
        query.descending = False
    today = clock.now().date()
    total = worklists.orders_page(g.console_user, query.values, today=today, limit=1)[1]
    pager = lists.paginate(query.page, total, PAGE_SIZE)
    rows, _ = worklists.orders_page(g.console_user, query.values, today=today, sort=query.sort,
                                    descending=query.descending, limit=PAGE_SIZE, offset=pager.offset)
    return render_template("console/cycle_orders.html", w=w(), rows=rows, query=query, pager=pager,
                           plans=_plans(), states=ORDER_STATES, views=lists.saved_views("orders"),
                           list_name="orders")
