"""A question's whole path: asked offline on a tablet → synced → nothing matches → an expert
answers → the answer is published as an interpretation that changes the judgement method
of an indicator → the tablet pulls it → the tablet's provisional verdict and the server's
re-judgement of a new finding both name the interpretation; an older finding whose verdict
changes is flagged with before/after. The tablet is the real sync engine (device store +
SyncClient) over an in-process WSGI transport to the real Flask app."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from server_testkit import GOOD_CREDIT, Api, dispose_app, make_app

from device import DeviceRecords, catalog_judge, open_store
from sync.client import RetryPolicy, SyncClient, WsgiTransport
from tests.server.interpretations.samples import FORMALDEHYDE_A, INFANT_QUESTION


@pytest.fixture
def server(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'server.db'}")
    yield app
    dispose_app(app)


def test_question_path_offline_answer_publish_sync_verdict(server, tmp_path):
    api = Api(server)
    store = open_store(tmp_path / "tablet.sqlite")
    tablet = SyncClient(store, WsgiTransport(server, api.device("insp_chaoyang")),
                        retry=RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05, max_total=2))
    assert tablet.sync().ok                                     # first sync: the catalog
    records = DeviceRecords(store, judge=catalog_judge(store))
    fields = {"jurisdiction": "110105", "company_name": "北京示例婴童服饰有限公司", "credit_code": GOOD_CREDIT,
              "product_class": "A"}

    # 1. offline: an older finding (20.4 mg/kg fails ≤20 by full-value comparison) and a question
    old_inspection = records.create_inspection("2025-06-01", **fields)
    old_finding = records.add_finding(old_inspection, FORMALDEHYDE_A, "20.4", "mg/kg")
    question = records.ask_question(INFANT_QUESTION, indicator_id=FORMALDEHYDE_A)
    assert store.outbox.items()[-1]["entity"] == "question"
    report = tablet.sync()
    assert report.ok and report.applied == 3, report.summary()
    asked = store.records.get("question", question)["data"]
    assert (asked["status"], asked["candidates"], asked["field"]) == ("queued", [], "textile")

    # 2. the textile expert finds it in the queue, answers, and publishes the answer
    api.call("PUT", "/api/v1/questions/experts/expert/fields", "admin", json={"fields": ["textile"]})
    assert [q["id"] for q in api.call("GET", "/api/v1/questions/?queue=true", "expert").json] == [question]
    answer = api.call("POST", f"/api/v1/questions/{question}/answers", "expert",
                      json={"text": "婴儿连体衣属婴幼儿用品，甲醛按A类 ≤20 mg/kg 判定，采用修约值比较法。"}).json
    published = api.call("POST", "/api/v1/interpretations/", "expert", json={
        "title": "婴幼儿纺织产品甲醛含量按A类、修约值比较法判定",
        "text": answer["text"], "answer_id": answer["id"],
        "clauses": [{"edition_id": "GB 18401-2010", "clause": "4.1"}], "indicator_ids": [FORMALDEHYDE_A],
        "effective": "2024-01-01", "effect": {"method": "rounded"}})
    assert published.status_code == 201, published.json
    interp_id = published.json["interpretation"]["id"]
    (flag,) = published.json["flags"]
    assert flag["finding_id"] == old_finding
    assert (flag["before"]["outcome"], flag["after"]["outcome"]) == ("fail", "pass")

    # 3. the tablet pulls the interpretation, the answer and the flag
    assert tablet.sync().ok
    assert store.catalog.row("interpretation", interp_id)["effect"] == {"method": "rounded"}
    answered = store.records.get("question", question)["data"]
    assert answered["status"] == "answered" and answered["interpretation_id"] == interp_id
    flags = [f["data"] for f in store.records.all("flag").values() if f["data"].get("kind") == "interpretation_changed"]
    assert [(f["finding_id"], f["before"]["outcome"], f["after"]["outcome"]) for f in flags] == \
        [(old_finding, "fail", "pass")]

    # 4. a new finding: the tablet's provisional verdict and the server's both name the interpretation
    records = DeviceRecords(store, judge=catalog_judge(store))
    new_inspection = records.create_inspection("2025-07-01", **fields)
    new_finding = records.add_finding(new_inspection, FORMALDEHYDE_A, "20.4", "mg/kg")
    device_verdict = next(i for i in store.outbox.items() if i["id"] == new_finding)["data"]["device_verdict"]
    assert (device_verdict["outcome"], device_verdict["interpretation_ids"]) == ("pass", [interp_id])
    report = tablet.sync()
    assert report.ok and report.applied == 2, report.summary()
    server_verdict = store.records.get("finding", new_finding)["data"]["server_verdict"]
    assert (server_verdict["outcome"], server_verdict["interpretation_ids"]) == ("pass", [interp_id])
    assert store.records.get("finding", new_finding)["data"]["disagrees"] is False
