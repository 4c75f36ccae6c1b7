"""Home's task rows: open tasks by due date, overdue marked, the enterprise's orders as history."""
from datetime import date

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
