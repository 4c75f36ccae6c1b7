"""回头看 on the server: every officer of a jurisdiction pulls one `history` row per
inspection of it (other officers' too; drafts left out) with its current findings, while
it changed within the window (GBFIELD_HISTORY_MONTHS, default 24); other jurisdictions do
not see it."""
from datetime import timedelta

import pytest
from server_testkit import finding, finding_item, inspection_item, uid

from server.kernel import clock
from server.kernel.changes import Change
from server.kernel.extensions import db


@pytest.fixture(autouse=True)
def colleague(app):
    """A second officer of 朝阳区 (the demo year's; the tests' small world has one)."""
    from server_testkit import PASSWORD

    from server.app import demo

    with app.app_context():
        demo.seed_users(PASSWORD, tuple(u for u in demo.YEAR_USERS if u[0] == "insp_chaoyang2"))
        db.session.commit()


def history(api, who, token=None):
    r = api.pull(who, token=token, entities="history")
    assert r.status_code == 200, r.json
    return {c["id"]: c for c in r.json["changes"]}


def test_an_officer_pulls_the_jurisdictions_inspections_with_their_findings(api):
    first = finding(measured="25", outcome="fail")
    pushed = inspection_item(findings=[first], inspector="张三")
    draft = inspection_item(status="draft")
    token = api.device("insp_chaoyang")
    assert api.push([pushed, draft], token=token).status_code == 200
    iid = pushed["id"]
    r = api.push([finding_item(iid, {**first, "revision": 2, "measured": "18", "device_verdict": {"outcome": "pass"}})],
                 token=token)
    assert r.json["results"][0]["status"] == "applied", r.json
    colleague = history(api, "insp_chaoyang2")
    assert draft["id"] not in colleague
    row = colleague[iid]["data"]
    assert (row["credit_code"], row["inspected_on"], row["status"]) == ("91110105MA01ABCD00", "2025-06-01", "submitted")
    assert [(f["indicator_id"], f["measured"], f["outcome"]) for f in row["findings"]] == [
        (first["indicator_id"], "18", "pass")]
    assert iid not in history(api, "insp_haidian")          # another district
    assert iid not in history(api, None, token)            # its own officer has the records
    # a supervisor's return is in the row too (the device takes the newest version)
    r = api.call("POST", f"/api/v1/inspections/{iid}/reviews", "sup_chaoyang",
                 json={"outcome": "returned", "comment": "请复核"})
    assert r.status_code == 201, r.json
    again = history(api, "insp_chaoyang2")[iid]
    assert again["data"]["status"] == "returned" and again["version"] > colleague[iid]["version"]


def test_the_window_is_configurable_and_old_rows_are_not_pulled(app, api):
    item = inspection_item(findings=[finding()])
    assert api.push([item], token=api.device("insp_chaoyang")).status_code == 200
    assert item["id"] in history(api, "insp_chaoyang2")
    with app.app_context():
        old = clock.now() - timedelta(days=800)       # 26 months
        db.session.query(Change).filter(Change.entity == "history", Change.entity_id == item["id"]).update(
            {"created_at": old})
        db.session.commit()
    assert item["id"] not in history(api, "insp_chaoyang2")      # default window: 24 months
    app.config["GBFIELD_HISTORY_MONTHS"] = 36
    assert item["id"] in history(api, "insp_chaoyang2")
    app.config["GBFIELD_HISTORY_MONTHS"] = 24
    assert uid() not in history(api, "insp_chaoyang2")
