"""The bulk push's fallback, forced for real: while a batch is about to flush, another
device's push of the same new inspection commits first (PostgreSQL: concurrent writers;
SQLite serialises writers, so the race cannot happen there). The bulk flush then hits the
unique key, the batch is re-applied item by item in SAVEPOINTs, the raced item answers
`conflict` with the server's record, and every other item is still applied and stored."""
import threading

import pytest
from server_testkit import Api, dispose_app, finding, inspection_item, make_app, uid
from sqlalchemy import event
from sqlalchemy.orm import Session

from server.inspections.models import Finding, Inspection
from server.kernel.extensions import db
from server.syncing.models import ProcessedMutation

pytestmark = pytest.mark.postgres


@pytest.fixture
def api(pg_url):
    app = make_app(pg_url)
    yield Api(app)
    dispose_app(app)


def test_a_concurrent_insert_during_the_bulk_flush_falls_back_to_per_item_answers(api, caplog):
    mine, theirs = api.device("insp_chaoyang"), api.device("insp_chaoyang")
    raced = inspection_item(findings=[finding()])
    others = [inspection_item(findings=[finding(), finding(measured="30", outcome="fail")]) for _ in range(3)]
    rival = Api(api.app)   # a second client: its request runs in its own thread and session
    fired = []

    def other_device_commits_first(session, flush_context, instances):
        if fired or not any(isinstance(o, Inspection) and o.id == raced["id"] for o in session.new):
            return
        fired.append(True)
        answer = {}
        worker = threading.Thread(target=lambda: answer.update(
            r=rival.push([{**raced, "mutation_id": uid()}], token=theirs)))
        worker.start()
        worker.join(timeout=30)
        assert answer["r"].json["results"][0]["status"] == "applied", answer["r"].json

    event.listen(Session, "before_flush", other_device_commits_first)
    caplog.set_level("INFO", logger="server.syncing.push")
    try:
        r = api.push([raced, *others], token=mine)
    finally:
        event.remove(Session, "before_flush", other_device_commits_first)
    assert fired, "the race was not staged"
    assert "applying item by item" in caplog.text
    assert r.status_code == 200, r.json
    results = r.json["results"]
    assert results[0]["status"] == "conflict" and results[0]["server_version"] == 1
    assert [x["status"] for x in results[1:]] == ["applied"] * 3
    with api.app.app_context():
        ids = {i["id"] for i in (raced, *others)}
        assert db.session.query(Inspection).filter(Inspection.id.in_(ids)).count() == 4
        assert db.session.query(Finding).count() == 1 + 3 * 2
        stored = {m.mutation_id for m in db.session.query(ProcessedMutation)}
        assert {i["mutation_id"] for i in others} <= stored and raced["mutation_id"] not in stored
