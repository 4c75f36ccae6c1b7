"""The whole enforcement cycle through the real app and the real device engine (in-process):
plan → draw → verify from the published inputs → tasks pulled by two tablets → a failure →
an order to correct issued on the tablet → the deadline passes (clock injected) → the
scheduler's 回头看 task → a passing re-inspection → review → published → estimate."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image
from planning_kit import PLAN_ID, plan_body, seed_world, supervisor
from server_testkit import FORMALDEHYDE_A

from device import DeviceRecords, DeviceTasks, memory_store
from device.completion import EvidencePolicy, Requirement, Signature, Summary, complete_inspection
from sampling import verify
from server.jobs import tasks as jobs
from server.kernel import clock, uow
from server.planning import service as planning
from sync.client import RetryPolicy, SyncClient, WsgiTransport

TODAY = date(2026, 3, 2)


class Tablet:
    """One officer's tablet: a device store, its records and tasks, the sync engine."""

    def __init__(self, app, api, username):
        self.store = memory_store()
        self.records = DeviceRecords(self.store)
        self.tasks = DeviceTasks(self.store, self.records)
        self.client = SyncClient(self.store, WsgiTransport(app, api.device(username)),
                                 retry=RetryPolicy(max_attempts=1), check_digest=False)

    def sync(self):
        report = self.client.sync()
        assert report.ok, report.errors
        return report


@pytest.fixture
def frozen(monkeypatch):
    moment = {"now": datetime(2026, 3, 2, 2, 0, tzinfo=UTC)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


#: the evidence policy of this test: a failing finding needs no photo (photos have their own tests)
NO_PHOTOS = EvidencePolicy(default=Requirement(photo_on_fail=False, note_on_fail=False))


def _complete(tablet, inspection_id, folder):
    """完成检查 on the tablet: the officer and the party sign the summary (drawn ink), which
    locks the inspection and ends its draft state — only then can a supervisor review it."""
    ink = folder / "ink.png"
    if not ink.exists():
        image = Image.new("RGB", (300, 120), (255, 255, 255))
        image.putpixel((10, 10), (0, 0, 0))
        image.save(ink)
    summary = Summary.of(tablet.store, inspection_id, NO_PHOTOS)
    complete_inspection(tablet.records, inspection_id,
                        [Signature("officer", "张三", ink, signer_number="11010520190123"),
                         Signature("party", "王经理", ink)],
                        expected_hash=summary.record_hash, policy=NO_PHOTOS)


def _review(api, inspection_id, outcome="approved"):
    r = api.call("POST", f"/api/v1/inspections/{inspection_id}/reviews", "sup_chaoyang",
                 json={"outcome": outcome, "comment": "" if outcome == "approved" else "请补充"})
    assert r.status_code in (200, 201), r.json


def test_cycle_end_to_end(app, api, db_url, frozen, tmp_path):
    seed_world(app)
    with app.app_context(), uow.unit_of_work():
        boss = supervisor()
        planning.create_plan(boss, plan_body(TODAY))
        committed = planning.commit(boss, PLAN_ID)
    # the commitment is public before the draw; the seed is not
    doc = json.loads(api.client.get(f"/results/{PLAN_ID}/draw.json").data)
    assert doc["commitment_sha256"] == committed["commitment_sha256"] and "seed" not in doc
    with app.app_context(), uow.unit_of_work():
        drawn = planning.reveal(supervisor(), PLAN_ID)
    assert drawn["targets"] == 3 and len(drawn["tasks"]) == 3 and drawn["shortfalls"] == 0

    # anyone re-runs the draw from the published document and the commitment published before
    published = api.client.get(f"/results/{PLAN_ID}/draw.json")
    text = published.get_data(as_text=True)
    assert verify(json.loads(text), expected_commitment=committed["commitment_sha256"]).matches
    for secret in ("JC110105001", "110105199601011009", "张三", "赵敏", "insp_chaoyang"):
        assert secret not in text   # officers appear by pseudonym only

    # both drawn officers' tablets pull the three tasks; the other district's officer none
    one, two = Tablet(app, api, "insp_chaoyang"), Tablet(app, api, "insp_chaoyang2")
    other = Tablet(app, api, "insp_haidian")
    for tablet in (one, two, other):
        tablet.sync()
    assert len(one.tasks.open_tasks()) == len(two.tasks.open_tasks()) == 3
    assert other.tasks.tasks() == []
    assert {t["id"] for t in one.tasks.open_tasks()} == set(drawn["tasks"])

    # tablet one inspects: the first target fails (formaldehyde 64 mg/kg > 20), the others pass
    inspections = {}
    for n, task in enumerate(one.tasks.open_tasks()):
        iid = one.tasks.start_inspection(task["id"], TODAY, product_class="A", category="infant")
        fid = one.records.add_finding(iid, FORMALDEHYDE_A, "64" if n == 0 else "12", "mg/kg")
        inspections[task["id"]] = (iid, fid)
    failed_task = one.tasks.open_tasks()[0]
    failed_iid, failed_fid = inspections[failed_task["id"]]
    order_id = one.tasks.issue_order(failed_iid, [failed_fid], "甲醛含量超标，限期整改",
                                     TODAY + timedelta(days=10))
    for iid, _ in inspections.values():
        _complete(one, iid, tmp_path)
    one.sync()
    two.sync()                                # the other officer sees the visits begun
    assert {t["state"] for t in two.tasks.open_tasks()} == {"in_progress"}
    for iid, _ in inspections.values():
        _review(api, iid)

    # the tasks closed; the order is on the server, open, and on the second tablet too
    two.sync()
    assert two.tasks.open_tasks() == []
    orders = two.tasks.orders_of(failed_task["enterprise"]["credit_code"])
    assert [o["id"] for o in orders] == [order_id] and orders[0]["state"] == "open"

    # the deadline passes: the scheduler's job makes the 回头看 task for the same officers
    frozen["now"] = datetime(2026, 3, 13, 2, 0, tzinfo=UTC)
    api.tokens.clear()                        # console logins expired meanwhile; tablets' tokens last
    answer = jobs.reinspections(frozen["now"], config={"SQLALCHEMY_DATABASE_URI": db_url, "TESTING": True})
    assert len(answer["tasks"]) == 1 and answer["published"] == 0     # 20 working days not yet over
    assert jobs.reinspections(frozen["now"], config={"SQLALCHEMY_DATABASE_URI": db_url, "TESTING": True}) \
        == {"tasks": [], "published": 0}      # once per order
    one.sync()
    [recheck] = one.tasks.open_tasks()
    assert recheck["kind"] == "reinspection" and recheck["order_id"] == order_id

    # a passing re-inspection, reviewed, closes the order
    iid = one.tasks.start_inspection(recheck["id"], date(2026, 3, 13), product_class="A", category="infant")
    one.records.add_finding(iid, FORMALDEHYDE_A, "11", "mg/kg")
    _complete(one, iid, tmp_path)
    one.sync()
    _review(api, iid)
    two.sync()
    assert two.tasks.orders_of(failed_task["enterprise"]["credit_code"])[0]["state"] == "closed"

    # nothing is public before publication; then three rows, the order's outcome, no officer data
    assert json.loads(api.client.get("/results.json").data)["rows"] == []
    with app.app_context(), uow.unit_of_work():
        result = planning.publish(supervisor(), PLAN_ID)
    assert result["published"] == 3 and result["waiting"] == 0
    body = api.client.get("/results.json").get_data(as_text=True)
    rows = json.loads(body)["rows"]
    assert len(rows) == 3
    assert sorted(r["result"] for r in rows) == ["发现问题", "未发现问题", "未发现问题"]
    assert [r["order_outcome"] for r in rows if r["result"] == "发现问题"] == ["整改到位"]
    for secret in ("张三", "赵敏", "insp_", "JC1101", "110105199"):
        assert secret not in body
    page = api.client.get(f"/results/{PLAN_ID}")
    assert page.status_code == 200 and "测试双随机抽查" in page.get_data(as_text=True)
    assert "91110105" in api.client.get("/results/?q=91110105").get_data(as_text=True)

    # the estimate from the published results: 2 of 3 compliant; the re-inspection not counted
    with app.app_context():
        estimate = planning.plan_estimate(PLAN_ID)
    assert sum(s.count.inspected for s in estimate.strata) == 3
    assert sum(s.count.compliant for s in estimate.strata) == 2
    assert 0 < estimate.overall.rate < 1
