"""Home's task rows: open tasks by due date, overdue marked, the enterprise's orders as history."""
from datetime import date

import pytest

from device import DeviceRecords, DeviceTasks, memory_store
from kivy_client.presenters.tasks import TasksPresenter
from sync.client.local import store_page


def _task(ident, due, kind="planned"):
    return {"seq": 1, "entity": "task", "id": ident, "op": "upsert", "version": 1,
            "data": {"id": ident, "kind": kind, "state": "assigned", "plan_name": "计划A",
                     "enterprise": {"credit_code": "91110105MA01ABCD00", "name": "示例企业"},
                     "items": [{"id": "a", "name": "婴幼儿纺织产品"}], "inspectors": ["JC1", "JC2"], "due": due}}


def test_rows_show_kind_due_and_history():
    store = memory_store()
    store_page(store, [_task("t1", "2026-03-01"), _task("t2", "2026-04-01", kind="reinspection")], cursor=2)
    tasks = DeviceTasks(store, DeviceRecords(store))
    presenter = TasksPresenter(tasks)
    iid = presenter.start("t1", date(2026, 3, 2))
    fid = tasks.records.add_finding(iid, "GB 18401-2010/4.1/formaldehyde/A", "64", "mg/kg")
    presenter.issue_order(iid, [fid], "限期整改", date(2026, 3, 12))
    rows = presenter.rows(date(2026, 3, 2))
    assert [(r.task_id, r.overdue) for r in rows] == [("t1", True), ("t2", False)]
    assert rows[0].title == "示例企业" and rows[0].subtitle.startswith("双随机抽查")
    assert rows[1].subtitle.startswith("回头看") and rows[0].items == "婴幼儿纺织产品"
    assert rows[0].history == ("2026-03-12 责令改正：限期整改（待同步 / not synced）",)


def test_orders_falling_due_are_listed_soonest_first():
    store = memory_store()
    store_page(store, [_task("t1", "2026-03-01")], cursor=1)
    tasks = DeviceTasks(store, DeviceRecords(store))
    presenter = TasksPresenter(tasks)
    iid = presenter.start("t1", date(2026, 3, 2))
    fid = tasks.records.add_finding(iid, "GB 18401-2010/4.1/formaldehyde/A", "64", "mg/kg")
    presenter.issue_order(iid, [fid], "限期整改", date(2026, 3, 12))
    presenter.issue_order(iid, [fid], "下架同批次", date(2026, 3, 5))
    presenter.issue_order(iid, [fid], "远期整改", date(2026, 5, 1))
    due = presenter.orders_due(date(2026, 3, 6))
    assert [(o.requirement, o.overdue) for o in due] == [("下架同批次", True), ("限期整改", False)]
    assert due[0].enterprise == "示例企业" and due[0].state.startswith("待同步")


def test_an_inspection_started_from_a_task_carries_it_and_its_enterprise(synced_store, tmp_path):
    """开始检查 on a Home task: the officer scans the product; the inspection carries the
    task id and the task's enterprise as the party (a shop may sell another's products)."""
    from tablet_kit import DEMO_GTIN

    from kivy_client.presenters import InspectionPresenter, PresenterError, ScanPresenter
    from kivy_client.presenters.home import HomePresenter

    task = _task("t-home", "2025-06-03")
    task["data"]["enterprise"] = {"credit_code": "91110105MA01ABCD00", "name": "示例商场", "address": "朝阳路9号"}
    store_page(synced_store, [task], cursor=synced_store.state.cursor)
    home = HomePresenter(synced_store)
    [row] = [r for r in home.tasks.rows(date(2025, 6, 1)) if r.task_id == "t-home"]
    assert (row.title, row.due, row.overdue) == ("示例商场", "2025-06-03", False)
    inspection = InspectionPresenter(synced_store, photo_dir=tmp_path / "photos", today=lambda: date(2025, 6, 1))
    with pytest.raises(PresenterError):
        inspection.use_task("no-such-task")
    inspection.use_task("t-home")
    inspection.use_resolution(ScanPresenter(synced_store, today=lambda: date(2025, 6, 1)).scan(DEMO_GTIN))
    assert inspection.form["company_name"] == "示例商场" and inspection.form["address"] == "朝阳路9号"
    assert inspection.indicators     # the scanned product's indicators
    iid = inspection.start(site="一楼童装区")
    data = synced_store.records.get("inspection", iid)["data"]
    assert data["task_id"] == "t-home" and data["company_name"] == "示例商场" and data["site"] == "一楼童装区"
    assert inspection.task is None   # the next inspection is not from the task again
