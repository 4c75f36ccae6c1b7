"""device.DeviceTasks over both store implementations (the `store` fixture): pulled tasks
listed for Home, an inspection started from a task, an order issued on site queued for
push in the same transaction, refusals."""
from __future__ import annotations

import pytest

from device import DeviceTasks, InvalidRecord, UnknownRecord
from sync.client.local import store_page

CODE = "91110105MA01ABCD00"


def _task(ident, state="assigned", due="2026-04-01", **extra):
    return {"seq": 1, "entity": "task", "id": ident, "op": "upsert", "version": 1,
            "data": {"id": ident, "kind": "planned", "state": state, "plan_id": "p", "plan_name": "计划",
                     "enterprise": {"credit_code": CODE, "name": "示例企业", "address": "示例路1号"},
                     "items": [{"id": "textile-infant", "name": "婴幼儿纺织产品"}], "inspectors": ["JC1", "JC2"],
                     "due": due, "jurisdiction": "110105", **extra}}


@pytest.fixture
def tasks(store, records):
    store_page(store, [_task("t2", due="2026-05-01"), _task("t1"), _task("t3", state="closed"),
                       {**_task("bad"), "data": {"id": "bad", "kind": "planned"}}], cursor=4)
    return DeviceTasks(store, records)


def test_home_lists_open_tasks_by_due_date(tasks):
    assert [t["id"] for t in tasks.open_tasks()] == ["t1", "t2"]
    assert [t["id"] for t in tasks.tasks()] == ["t1", "t3", "t2"]     # a malformed task is never listed


def test_an_inspection_from_a_task_carries_it_and_the_enterprise(tasks, store):
    iid = tasks.start_inspection("t1", "2026-03-02")
    data = store.records.get("inspection", iid)["data"]
    assert (data["task_id"], data["credit_code"], data["company_name"]) == ("t1", CODE, "示例企业")
    with pytest.raises(UnknownRecord):
        tasks.start_inspection("nope", "2026-03-02")


def test_an_order_is_queued_with_its_record(tasks, store, records):
    iid = tasks.start_inspection("t1", "2026-03-02")
    fid = records.add_finding(iid, "GB 18401-2010/4.1/formaldehyde/A", "64", "mg/kg")
    before = len(store.outbox.items())
    oid = tasks.issue_order(iid, [fid], "限期整改", "2026-03-12")
    queued = store.outbox.items()[before:]
    assert [(i["entity"], i["id"]) for i in queued] == [("order", oid)]
    assert tasks.orders_of(CODE)[0]["task_id"] == "t1"
    assert tasks.document_orders(iid) == [{"text": "限期整改", "deadline": "2026-03-12"}]
    with pytest.raises(InvalidRecord):
        tasks.issue_order(iid, [], "限期整改", "2026-03-12")
    with pytest.raises(InvalidRecord):
        tasks.issue_order(iid, [fid], "", "2026-03-12")
    with pytest.raises(UnknownRecord):
        tasks.issue_order("nope", [fid], "限期整改", "2026-03-12")
    assert len(store.outbox.items()) == before + 1
