"""A supervisor's changes to drawn work: a task reassigned (at least two competent officers
without a conflict; the officer taken off forgets it on the tablet), cancelled with a reason
(the tablets pull it and Home drops it), and a published result withdrawn only before its
publication deadline (the deadline job publishes it again)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from planning_kit import PLAN_ID, ROSTER, plan_body, seed_world, supervisor
from server_testkit import PASSWORD
from sqlalchemy import select

from device import DeviceTasks, memory_store
from sampling.deadlines import working_day_deadline
from server.accounts import service as accounts
from server.evidence.models import EvidenceEvent
from server.kernel import uow
from server.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed
from server.kernel.extensions import db
from server.planning import service as planning
from server.planning.models import Publication, Task
from server.planning.publication import stage_publication
from sync.client import RetryPolicy, SyncClient, WsgiTransport

TODAY = date.today()
EXTRA = ("JC110105003,钱进,110105199803031024,110105,textile,{conflict},insp_chaoyang3\n"
         "JC110105004,孙立,110105199904041037,110105,food,,\n")


def _tablet(app, api, username):
    store = memory_store()
    return store, DeviceTasks(store), SyncClient(store, WsgiTransport(app, api.device(username)),
                                                 retry=RetryPolicy(max_attempts=1), check_digest=False)


def _drawn(app, conflict=""):
    seed_world(app)
    with app.app_context(), uow.unit_of_work():
        if accounts.find_user("insp_chaoyang3") is None:
            accounts.create_user("insp_chaoyang3", PASSWORD, "inspector", "110105", display_name="钱进")
        planning.import_inspectors(accounts.principal_of("admin"), ROSTER + EXTRA.format(conflict=conflict).encode(),
                                   "roster.csv")
        planning.create_plan(supervisor(), plan_body(TODAY))
        planning.run(supervisor(), PLAN_ID)
    with app.app_context():
        return list(db.session.execute(select(Task).order_by(Task.id)).scalars())


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_reassigned_task_moves_between_tablets(app, api):
    tasks = _drawn(app)
    task = tasks[0]
    logins = {"JC110105001": "insp_chaoyang", "JC110105002": "insp_chaoyang2", "JC110105003": "insp_chaoyang3"}
    [outside] = set(logins) - set(task.inspectors)          # two of the three officers are on each task
    leaving, keep = sorted(task.inspectors)
    _, gone, gone_sync = _tablet(app, api, logins[leaving])
    _, new, new_sync = _tablet(app, api, logins[outside])
    gone_sync.sync()
    new_sync.sync()
    assert task.id in {t["id"] for t in gone.open_tasks()} and task.id not in {t["id"] for t in new.open_tasks()}
    with app.app_context(), uow.unit_of_work():
        out = planning.reassign_task(supervisor(), task.id, [keep, outside])
    assert out["inspectors"] == [keep, outside] and out["version"] == task.version + 1
    assert gone_sync.sync().ok and new_sync.sync().ok
    assert task.id not in {t["id"] for t in gone.open_tasks()}
    assert task.id in {t["id"] for t in new.open_tasks()}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("codes", "variant"), [
    (["JC110105001"], "officers_count"),
    (["JC110105001", "JC110105001"], "officers_count"),                 # the same officer twice
    (["JC110105001", "JC999"], "officer_unknown"),
    (["JC110105001", "JC110108001"], "officer_outside"),                # 海淀区's officer
    (["JC110105001", "JC110105004"], "officer_competence"),             # food only, the item is textile
    (["JC110105001", "JC110105003"], "officer_conflict"),
])
def test_a_reassignment_names_the_officer_who_may_not_take_it(app, codes, variant):
    tasks = _drawn(app)
    with app.app_context():
        credit = tasks[0].credit_code
    if variant == "officer_conflict":       # re-import the roster with the conflict on this target
        with app.app_context(), uow.unit_of_work():
            planning.import_inspectors(accounts.principal_of("admin"),
                                       ROSTER + EXTRA.format(conflict=credit).encode(), "roster.csv")
    with app.app_context(), uow.unit_of_work(), pytest.raises(ValidationFailed) as caught:
        planning.reassign_task(supervisor(), tasks[0].id, codes)
    assert caught.value.key == f"error.validation_failed.{variant}"
    assert caught.value.message_in("zh-CN") and caught.value.message_in("en")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_cancelled_task_leaves_home_with_its_reason(app, api):
    tasks = _drawn(app)
    tasks.sort(key=lambda t: "JC110105001" not in t.inspectors)       # one of insp_chaoyang's first
    _, home, client = _tablet(app, api, "insp_chaoyang")
    client.sync()
    mine = len(home.open_tasks())
    assert tasks[0].id in {t["id"] for t in home.open_tasks()}
    with app.app_context(), uow.unit_of_work(), pytest.raises(ValidationFailed):
        planning.cancel_task(supervisor(), tasks[0].id, " ")
    with app.app_context(), uow.unit_of_work():
        out = planning.cancel_task(supervisor(), tasks[0].id, "企业已注销")
    assert out["state"] == "cancelled" and out["cancel_reason"] == "企业已注销"
    client.sync()
    assert len(home.open_tasks()) == mine - 1
    pulled = home.task(tasks[0].id)
    assert (pulled["state"], pulled["cancel_reason"]) == ("cancelled", "企业已注销")
    with app.app_context(), uow.unit_of_work(), pytest.raises(Conflict):
        planning.cancel_task(supervisor(), tasks[0].id, "再次取消")
    with app.app_context(), uow.unit_of_work(), pytest.raises(Conflict):
        planning.reassign_task(supervisor(), tasks[0].id, ["JC110105001", "JC110105002"])
    with app.app_context(), uow.unit_of_work(), pytest.raises(NotFound):      # another district
        planning.cancel_task(supervisor("sup_haidian"), tasks[1].id, "不是我的")
    with app.app_context(), uow.unit_of_work(), pytest.raises(Forbidden):
        planning.cancel_task(accounts.principal_of("insp_chaoyang"), tasks[1].id, "检查员不能取消")
    with app.app_context():
        kinds = list(db.session.execute(select(EvidenceEvent.kind)).scalars())
    assert kinds.count("task_cancelled") == 1


def _review_all(app, tasks):
    """Close every task as reviewed (the listener's effect, without tablets: the review flow
    has its own tests) and stage their public rows."""
    with app.app_context(), uow.unit_of_work():
        for task in tasks:
            row = db.session.get(Task, task.id)
            row.state, row.outcome, row.reviewed_on = "closed", "pass", TODAY
            stage_publication(row)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_result_is_withdrawn_only_before_its_deadline(app, api):
    tasks = _drawn(app)
    _review_all(app, tasks)
    with app.app_context(), uow.unit_of_work():
        assert planning.publish(supervisor(), PLAN_ID)["published"] == 3
    assert len(api.client.get("/results.json").json["rows"]) == 3
    with app.app_context(), uow.unit_of_work(), pytest.raises(ValidationFailed):
        planning.withdraw_result(supervisor(), tasks[0].id, "")
    with app.app_context(), uow.unit_of_work():
        out = planning.withdraw_result(supervisor(), tasks[0].id, "企业名称录入有误，更正后重新公示")
    deadline = working_day_deadline(TODAY, 20)
    assert out["deadline"] == deadline.isoformat()
    assert len(api.client.get("/results.json").json["rows"]) == 2
    with app.app_context(), uow.unit_of_work(), pytest.raises(Conflict) as caught:
        planning.withdraw_result(supervisor(), tasks[0].id, "已撤回")
    assert caught.value.key == "error.conflict.result_state"
    # the deadline job publishes it again at the deadline: a withdrawal hides nothing past it
    with app.app_context(), uow.unit_of_work():
        assert planning.publish_due(deadline - timedelta(days=1)) == 0
        assert planning.publish_due(deadline) == 1
        row = db.session.get(Publication, tasks[0].id)
        assert row.withdrawn_reason.startswith("企业名称") and row.published_on == deadline
    with app.app_context(), uow.unit_of_work(), pytest.raises(Conflict) as caught:
        planning.withdraw_result(supervisor(), tasks[0].id, "过期撤回", today=deadline)
    assert caught.value.key == "error.conflict.result_deadline"
    with app.app_context(), uow.unit_of_work(), pytest.raises(NotFound):
        planning.withdraw_result(supervisor("sup_haidian"), tasks[1].id, "不是本辖区")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_tasks_products_are_the_registrys_products_of_its_enterprise(app, api):
    from planning_kit import ASSETS

    from server.registry import service as registry
    with app.app_context(), uow.unit_of_work():
        registry.import_csv(accounts.principal_of("admin"), (ASSETS / "demo_products.csv").read_bytes())
    tasks = _drawn(app)
    with app.app_context():
        products = planning.registered_products([t.credit_code for t in tasks] + ["91110105MA01ABCD00"])
        assert [p["gtin"] for p in products["91110105MA01ABCD00"]] == ["06901234567892"]
        for task in tasks:
            assert db.session.get(Task, task.id).data["products"] == [
                {"gtin": p["gtin"], "name": p["name"]} for p in products[task.credit_code]]
        listed = planning.list_enterprises(supervisor(), q="91110105MA01ABCD00")
        assert [p["gtin"] for p in listed[0]["registered_products"]] == ["06901234567892"]
    _, home, client = _tablet(app, api, "insp_chaoyang")
    client.sync()
    assert all("products" in t for t in home.open_tasks())       # pulled and accepted by the task schema
