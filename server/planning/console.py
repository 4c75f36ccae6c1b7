"""The cycle's console pages for a supervisor: plans (list, new, one plan with its draw:
commit with the commitment shown before the reveal, reveal, verify), a plan's results
(publish, withdraw within the rules) and its printable compliance report. Tasks and
orders are in console_tasks.py. Words: the catalogue's `cycle.*` (as `w`).

Every page asks the one policy (`require_action`); the services check the subtree.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from assets.messages import words
from sampling import verify
from server.accounts import service as accounts
from server.kernel import clock, uow
from server.kernel.console import bp, lang, lists, require_action
from server.kernel.errors import Conflict, ValidationFailed
from server.kernel.extensions import db
from server.planning import assignments, publication, queries, worklists
from server.planning import plans as plan_service
from server.planning.models import Draw, InspectionItem, RosterInspector
from server.planning.report import render_report_html

PAGE_SIZE = 25
PLAN_FILTERS = (lists.Filter("state", "choice", plan_service.PLAN_STATES), lists.Filter("q"))
RESULT_FILTERS = (lists.Filter("state", "choice", worklists.RESULT_STATES), lists.Filter("q"))
STRATA = ("jurisdiction", "industry", "risk_class")
lists.register_list("plans", "console.plans")


def w() -> dict[str, str]:
    """The cycle pages' words in this request's language."""
    return words("cycle", lang())


def _render(template: str, status: int = 200, **context):
    return render_template(template, w=w(), **context), status


@bp.route("/plans/")
def plans():
    """Plans of the subtree: filters (state, name), sort, numbered pages, saved views."""
    require_action("plan.read")
    query = lists.read_query(PLAN_FILTERS, worklists.PLAN_SORTS, "created")
    total = worklists.plans_page(g.console_user, query.values, limit=1)[1]
    pager = lists.paginate(query.page, total, PAGE_SIZE)
    rows, _ = worklists.plans_page(g.console_user, query.values, sort=query.sort, descending=query.descending,
                                   limit=PAGE_SIZE, offset=pager.offset)
    names = accounts.jurisdiction_names(r["jurisdiction"] for r in rows)
    return _render("console/cycle_plans.html", rows=rows, names=names, query=query, pager=pager,
                   states=plan_service.PLAN_STATES, views=lists.saved_views("plans"), list_name="plans")


def _items() -> list[InspectionItem]:
    return list(db.session.execute(select(InspectionItem)
                                               .order_by(InspectionItem.id)).scalars())


def plan_body(form) -> dict:
    """Return a plan's JSON body (sampling.Plan) from the new-plan form. Raises nothing: the
    service checks it and names the field."""
    allocation: dict = {}
    how, amount = form.get("allocation", "ratio"), (form.get("amount") or "").strip()
    if how == "count":
        allocation["count"] = int(amount) if amount.isdigit() else amount
    else:
        try:
            allocation["ratio"] = str(float(amount) / 100) if amount else ""
        except ValueError:
            allocation["ratio"] = amount
    if (form.get("minimum") or "").strip().isdigit():
        allocation["minimum"] = int(form["minimum"])
    per_target = (form.get("inspectors_per_target") or "2").strip()
    body = {"id": (form.get("id") or "").strip(), "name": (form.get("name") or "").strip(),
            "items": form.getlist("items"), "scope": {"jurisdictions": form.getlist("jurisdictions")},
            "strata": [s for s in form.getlist("strata") if s in STRATA], "allocation": allocation,
            "inspectors_per_target": int(per_target) if per_target.isdigit() else per_target,
            "starts": form.get("starts") or None, "ends": form.get("ends") or None}
    return body


@bp.route("/plans/new", methods=["GET", "POST"])
def new_plan():
    """The new-plan form; POST stores the plan (draft) and opens it, or shows the form again
    with the service's message (400) or the plan id taken (409)."""
    require_action("plan.write")
    form, error, status = request.form if request.method == "POST" else {}, None, 200
    if request.method == "POST":
        try:
            plan = plan_service.create_plan(g.console_user, plan_body(request.form))
        except (ValidationFailed, Conflict) as exc:
            uow.rollback()
            error, status = exc.message, exc.status
        else:
            flash(w()["plan_created"].format(name=plan["name"]), "success")
            return redirect(url_for("console.plan", plan_id=plan["id"]))
    return _render("console/cycle_plan_new.html", status, form=form, error=error, items=_items(),
                   jurisdictions=accounts.jurisdictions_in(g.console_user), strata=STRATA)


def _plan_context(plan_id: str) -> dict:
    plan = plan_service.get_plan(g.console_user, plan_id)
    draw = db.session.get(Draw, plan_id)
    result = (draw.revealed or {}).get("result") if draw and draw.revealed else None
    counts = worklists.plans_page(g.console_user, {"q": plan_id}, limit=50)[0]
    tasks = next((r["tasks"] for r in counts if r["id"] == plan_id), {})
    codes = (draw.pseudonyms or {}) if draw else {}
    names = dict(db.session.execute(select(RosterInspector.code, RosterInspector.name)
                                    .where(RosterInspector.code.in_(list(codes.values())))).all()) if codes else {}
    return {"plan": plan, "draw": draw, "result": result,
            "officer_names": {p: names.get(c, p) for p, c in codes.items()}, "tasks": tasks, "results": worklists.result_counts(plan_id),
            "names": accounts.jurisdiction_names([plan["jurisdiction"], *plan["body"]["scope"]["jurisdictions"]]),
            "verification": None}


@bp.route("/plans/<plan_id>")
def plan(plan_id: str):
    """One plan: its body, its draw (the commitment once committed, the seed and targets
    once drawn), task and result counts, the actions its state allows."""
    require_action("plan.read")
    return _render("console/cycle_plan.html", **_plan_context(plan_id))


@bp.route("/plans/<plan_id>/<any(commit, reveal):step>", methods=["POST"])
def draw_step(plan_id: str, step: str):
    """Commit the draw (the commitment is shown at once, before any reveal) or reveal it."""
    require_action("plan.write")
    words_ = w()
    try:
        if step == "commit":
            out = plan_service.commit(g.console_user, plan_id)
            flash(words_["committed_flash"].format(digest=out["commitment_sha256"]), "success")
        else:
            out = plan_service.reveal(g.console_user, plan_id)
            flash(words_["revealed_flash"].format(targets=out["targets"], tasks=len(out["tasks"])), "success")
    except (Conflict, ValidationFailed) as exc:
        uow.rollback()
        flash(exc.message, "error")
    return redirect(url_for("console.plan", plan_id=plan_id))


@bp.route("/plans/<plan_id>/verify")
def verify_draw(plan_id: str):
    """Re-run the published draw from its own inputs against the commitment published
    before it (what `gbfield draw verify` does) and show the answer on the plan's page."""
    require_action("plan.read")
    context = _plan_context(plan_id)
    draw = context["draw"]
    if draw is not None and draw.revealed is not None:
        context["verification"] = verify(draw.revealed, expected_commitment=draw.commitment_sha256)
    return _render("console/cycle_plan.html", **context)


@bp.route("/plans/<plan_id>/results")
def plan_results(plan_id: str):
    """A plan's reviewed results: published, waiting, withdrawn; publish and withdraw."""
    require_action("result.publish")
    context = _plan_context(plan_id)
    query = lists.read_query(RESULT_FILTERS, worklists.RESULT_SORTS, "reviewed")
    query.values["plan_id"] = plan_id          # the list's links (sort, pages) keep the route's plan
    total = worklists.results_page(g.console_user, plan_id, query.values, limit=1, today=clock.now().date())[1]
    pager = lists.paginate(query.page, total, PAGE_SIZE)
    today = clock.now().date()
    rows, _ = worklists.results_page(g.console_user, plan_id, query.values, sort=query.sort,
                                     descending=query.descending, limit=PAGE_SIZE, offset=pager.offset, today=today)
    return _render("console/cycle_results.html", rows=rows, query=query, pager=pager, today=today,
                   states=worklists.RESULT_STATES, **context)


@bp.route("/plans/<plan_id>/publish", methods=["POST"])
def publish_results(plan_id: str):
    """Publish every reviewed, unpublished result of the plan (一公开)."""
    require_action("result.publish")
    try:
        out = publication.publish(g.console_user, plan_id)
    except Conflict as exc:
        uow.rollback()
        flash(exc.message, "error")
    else:
        flash(w()["published_flash"].format(n=out["published"], waiting=out["waiting"]), "success")
    return redirect(url_for("console.plan_results", plan_id=plan_id))


@bp.route("/plans/<plan_id>/results/<task_id>/withdraw", methods=["POST"])
def withdraw_result(plan_id: str, task_id: str):
    """Withdraw one published result with a reason (refused after its deadline)."""
    require_action("result.publish")
    try:
        out = assignments.withdraw_result(g.console_user, task_id, request.form.get("reason") or "")
    except (Conflict, ValidationFailed) as exc:
        uow.rollback()
        flash(exc.message, "error")
    else:
        flash(w()["withdrawn_flash"].format(deadline=out["deadline"]), "success")
    return redirect(url_for("console.plan_results", plan_id=plan_id))


@bp.route("/plans/<plan_id>/report")
def plan_report(plan_id: str):
    """The plan's compliance report (白皮书) from its reviewed results, printable (A4);
    `?published=1`: only what is published, as the public page shows it."""
    require_action("plan.read")
    plan_service.get_plan(g.console_user, plan_id)
    report = queries.plan_report(plan_id, published_only=request.args.get("published") == "1")
    if report is None:
        return _render("console/cycle_plan.html", 409, **{**_plan_context(plan_id), "no_report": True})
    return render_report_html(report, generated_on=clock.now().date().isoformat())
