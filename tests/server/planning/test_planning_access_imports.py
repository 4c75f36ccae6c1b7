"""The planning service's rules: row-by-row import reports (kept in the evidence log),
who may see and draw what, an order to correct refused on push for what it names, and a
failing 回头看 escalating the order."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from planning_kit import ASSETS, PLAN_ID, ROSTER, plan_body, seed_world, supervisor
from server_testkit import FORMALDEHYDE_A, GOOD_CREDIT, finding, inspection_item
from sqlalchemy import select

from server.accounts import service as accounts
from server.evidence import service as evidence
from server.evidence.models import EvidenceEvent
from server.kernel import uow
from server.kernel.errors import Forbidden, NotFound, ValidationFailed
from server.kernel.extensions import db
from server.planning import service as planning

TODAY = date.today()


def _imports(app, principal_name, content, kind="inspectors"):
    with app.app_context(), uow.unit_of_work():
        who = accounts.principal_of(principal_name)
        return getattr(planning, f"import_{kind}")(who, content, f"{kind}.csv")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_import_reports_each_row_and_reimport_changes_nothing(app):
    bad = ROSTER + ("JC110105009,错号,110105199601011008,110105,textile,,\n"     # wrong ID check digit
                    "JC110108002,钱,110108199001011231,110108,knitting,,\n").encode()  # unknown competence
    report = _imports(app, "admin", bad)
    assert (report["accepted"], report["rejected"], report["added"]) == (3, 2, 3)
    rejected = {r["row"]: r["errors"] for r in report["rows"] if r["status"] == "rejected"}
    assert set(rejected) == {5, 6}
    assert rejected[5][0]["column"] == "id_number" and rejected[6][0]["column"] == "competences"
    again = _imports(app, "admin", bad)
    assert (again["added"], again["changed"], again["unchanged"]) == (0, 0, 3)
    with app.app_context():
        kinds = list(db.session.execute(select(EvidenceEvent.kind)).scalars())
        assert kinds.count("imported") == 2 and evidence.verify().ok


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_rows_outside_the_supervisors_district_are_refused(app):
    report = _imports(app, "sup_haidian", ROSTER)
    outside = [r for r in report["rows"] if r["status"] == "rejected"]
    assert len(outside) == 2 and all(r["errors"][-1]["column"] == "jurisdiction" for r in outside)
    assert report["added"] == 1
    with app.app_context(), pytest.raises(Forbidden):
        planning.import_enterprises(accounts.principal_of("insp_chaoyang"),
                                    (ASSETS / "demo_enterprises.csv").read_bytes(), "e.csv")
    with app.app_context(), pytest.raises(ValidationFailed):
        planning.import_items(accounts.principal_of("admin"), b"", "empty.csv")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_another_district_cannot_see_or_draw_and_inspectors_cannot_plan(app, api):
    seed_world(app)
    with app.app_context(), uow.unit_of_work():
        planning.create_plan(supervisor(), plan_body(TODAY))
    with app.app_context():
        haidian = supervisor("sup_haidian")
        with pytest.raises(NotFound):
            planning.get_plan(haidian, PLAN_ID)
        with pytest.raises(NotFound):
            planning.commit(haidian, PLAN_ID)
        assert planning.list_plans(haidian) == []
        with pytest.raises(Forbidden):
            planning.create_plan(accounts.principal_of("insp_chaoyang"), plan_body(TODAY, plan_id="x"))
        with pytest.raises(ValidationFailed):   # a scope outside the plan's district
            planning.create_plan(haidian, plan_body(TODAY, plan_id="y"))
        with pytest.raises(ValidationFailed):   # fewer than two officers per target
            planning.create_plan(supervisor(), {**plan_body(TODAY, plan_id="z"), "inspectors_per_target": 1})
    # not drawn, not published: the public sees nothing of it
    assert api.client.get(f"/results/{PLAN_ID}").status_code == 404
    with app.app_context(), uow.unit_of_work():
        planning.run(supervisor(), PLAN_ID)
    with app.app_context():
        assert len(planning.list_tasks(accounts.principal_of("insp_chaoyang"))) == 3
        assert planning.list_tasks(accounts.principal_of("insp_haidian")) == []
        assert planning.list_tasks(supervisor("sup_haidian")) == []
        assert len(planning.list_tasks(supervisor())) == 3
    assert api.client.get("/results.json").json["rows"] == []


def _order_item(inspection_id, finding_id, *, task_id=None, deadline=None):
    ident = str(uuid.uuid4())
    data = {"id": ident, "inspection_id": inspection_id, "credit_code": GOOD_CREDIT, "finding_ids": [finding_id],
            "requirement": "限期整改", "deadline": (deadline or TODAY + timedelta(days=5)).isoformat()}
    if task_id:
        data["task_id"] = task_id
    return {"mutation_id": str(uuid.uuid4()), "entity": "order", "id": ident, "base_version": 0, "data": data}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pushed_orders_are_refused_for_what_they_name(app, api):
    seed_world(app)
    f = finding(measured="64", outcome="fail")
    inspection = inspection_item(findings=[f])
    cases = {
        "unknown inspection": _order_item(str(uuid.uuid4()), f["id"]),
        "past deadline": _order_item(inspection["id"], f["id"], deadline=TODAY - timedelta(days=1)),
        "someone else's task": _order_item(inspection["id"], f["id"], task_id=str(uuid.uuid4())),
    }
    good = _order_item(inspection["id"], f["id"])
    answer = api.push([inspection, *cases.values(), good], "insp_chaoyang").json["results"]
    assert [r["status"] for r in answer] == ["applied", "rejected", "rejected", "rejected", "applied"]
    assert [r["error"] for r in answer[1:4]] == ["validation_failed"] * 3
    assert "今天" in answer[2]["message"]
    again = api.push([{**good, "mutation_id": str(uuid.uuid4())}], "insp_chaoyang").json["results"]
    assert again[0]["status"] == "conflict"
    pulled = api.pull("insp_chaoyang", entities="order").json["changes"]
    assert [c["id"] for c in pulled] == [good["id"]] and pulled[0]["data"]["state"] == "open"
    assert api.pull("insp_haidian", entities="order").json["changes"] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_failing_reinspection_escalates_the_order_to_the_supervisor(app, api):
    seed_world(app)
    with app.app_context(), uow.unit_of_work():
        planning.create_plan(supervisor(), plan_body(TODAY, count=1))
        task_id = planning.run(supervisor(), PLAN_ID)["tasks"][0]
    f = finding(measured="64", outcome="fail")
    first = inspection_item(findings=[f], task_id=task_id)
    order = _order_item(first["id"], f["id"], task_id=task_id)
    assert [r["status"] for r in api.push([first, order], "insp_chaoyang").json["results"]] == ["applied"] * 2
    assert api.call("POST", f"/api/v1/inspections/{first['id']}/reviews", "sup_chaoyang",
                    json={"outcome": "approved"}).status_code in (200, 201)
    with app.app_context(), uow.unit_of_work():
        [recheck] = planning.reinspection_due(TODAY + timedelta(days=6))
    again = inspection_item(findings=[finding(measured="55", outcome="fail", indicator=FORMALDEHYDE_A)],
                            task_id=recheck)
    assert api.push([again], "insp_chaoyang2").json["results"][0]["status"] == "applied"
    assert api.call("POST", f"/api/v1/inspections/{again['id']}/reviews", "sup_chaoyang",
                    json={"outcome": "approved"}).status_code in (200, 201)
    with app.app_context():
        [settled] = planning.list_orders(supervisor())
        assert settled["state"] == "escalated"
        notes = accounts.notifications(supervisor())
        assert [n["kind"] for n in notes] == ["order_escalated"]
        assert accounts.notifications(supervisor("sup_haidian")) == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_reviewed_results_are_published_by_the_deadline_at_the_latest(app, api):
    seed_world(app)
    with app.app_context(), uow.unit_of_work():
        planning.create_plan(supervisor(), plan_body(TODAY, count=1))
        task_id = planning.run(supervisor(), PLAN_ID)["tasks"][0]
    item = inspection_item(findings=[finding(measured="12")], task_id=task_id)
    assert api.push([item], "insp_chaoyang").json["results"][0]["status"] == "applied"
    assert api.call("POST", f"/api/v1/inspections/{item['id']}/reviews", "sup_chaoyang",
                    json={"outcome": "approved"}).status_code in (200, 201)
    with app.app_context(), uow.unit_of_work():
        assert planning.publish_due(TODAY + timedelta(days=10)) == 0
        assert planning.publish_due(TODAY + timedelta(days=40)) == 1
        assert planning.publish_due(TODAY + timedelta(days=41)) == 0
    [row] = api.client.get("/results.json").json["rows"]
    assert row["result"] == "未发现问题" and row["published_on"] == (TODAY + timedelta(days=40)).isoformat()
