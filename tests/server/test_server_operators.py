"""Health for operators: readiness (database, blob store, scheduler lease), Prometheus
metrics (latency by route, push items by result, pull pages, upload bytes, queues, jobs),
and a request id on every request and log line."""
from __future__ import annotations

import json
import logging
from datetime import timedelta

from server_testkit import inspection_item

from server.jobs import lease
from server.kernel import clock
from server.kernel.requestlog import JsonFormatter, RequestIdFilter


def test_ready_names_each_check_and_is_degraded_without_a_scheduler(api):
    r = api.call("GET", "/api/v1/ready")
    assert r.status_code == 200
    assert r.json["status"] == "degraded"
    assert r.json["checks"]["database"]["ok"] and r.json["checks"]["blob_store"]["ok"]
    assert not r.json["checks"]["scheduler"]["ok"]
    with api.app.app_context():
        assert lease.acquire("sched-1", clock.now(), 60)
    r = api.call("GET", "/api/v1/ready")
    assert r.json["status"] == "ready" and "sched-1" in r.json["checks"]["scheduler"]["detail"]
    with api.app.app_context():
        assert lease.acquire("sched-2", clock.now() + timedelta(seconds=120), 60)   # the first one died
    assert "sched-2" in api.call("GET", "/api/v1/ready").json["checks"]["scheduler"]["detail"]


def test_ready_is_503_when_the_blob_store_fails(api, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the blob folder should be")
    api.app.config["GBFIELD_BLOB_DIR"] = str(blocked)
    api.app.extensions.pop("gbfield_blobs", None)       # made again from the config
    r = api.call("GET", "/api/v1/ready")
    assert r.status_code == 503
    assert r.json["status"] == "down" and not r.json["checks"]["blob_store"]["ok"]
    assert r.json["checks"]["database"]["ok"]


def metric_lines(api) -> list[str]:
    r = api.client.get("/metrics")
    assert r.status_code == 200, r.data
    return r.get_data(as_text=True).splitlines()


def value(lines: list[str], prefix: str) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith(prefix))


def test_metrics_count_pushes_pulls_latency_and_queues(api):
    before = metric_lines(api)
    items = [inspection_item(), inspection_item(credit_code="91110105MA01ABCD0X")]
    results = api.push(items, "insp_chaoyang").json["results"]
    assert [r["status"] for r in results] == ["applied", "rejected"]
    api.pull("insp_chaoyang")
    after = metric_lines(api)
    for name, grew_by in [('gbfield_push_items_total{entity="inspection",result="applied"}', 1),
                          ('gbfield_push_items_total{entity="inspection",result="rejected"}', 1),
                          ("gbfield_pull_pages_total", 1)]:
        assert value(after, name) - value(before, name) == grew_by, name
    assert value(after, 'gbfield_request_seconds_count{method="POST",route="/api/v1/sync/push",status="200"}') >= 1
    assert value(after, 'gbfield_queue_length{queue="inspections_awaiting_review"}') >= 1
    assert any(line.startswith('gbfield_queue_length{queue="uploads_in_progress"}') for line in after)


def test_metrics_are_refused_off_the_loopback_without_the_token(api):
    r = api.client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert r.status_code == 403 and r.json["error"] == "forbidden"
    api.app.config["GBFIELD_METRICS_TOKEN"] = "s3cret-token"
    r = api.client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"},
                       headers={"Authorization": "Bearer s3cret-token"})
    assert r.status_code == 200
    assert api.client.get("/metrics").status_code == 403     # with a token, the loopback needs it too


def test_every_answer_carries_a_request_id_and_a_sane_given_one_is_kept(api):
    made = api.call("GET", "/api/v1/health").headers["X-Request-Id"]
    assert len(made) == 32
    assert api.call("GET", "/api/v1/health", headers={"X-Request-Id": "tablet-7.abc"}
                    ).headers["X-Request-Id"] == "tablet-7.abc"
    assert api.call("GET", "/api/v1/health", headers={"X-Request-Id": "bad id <script>"}
                    ).headers["X-Request-Id"] != "bad id <script>"


def test_the_request_line_is_structured_with_its_id(api, caplog):
    caplog.set_level(logging.INFO, logger="server.request")
    r = api.push([inspection_item()], "insp_chaoyang")
    (record,) = [rec for rec in caplog.records if rec.name == "server.request" and rec.path == "/api/v1/sync/push"]
    assert record.request_id == r.headers["X-Request-Id"]
    assert record.status == 200 and record.route == "/api/v1/sync/push" and record.user == "insp_chaoyang"
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == record.request_id and line["message"] == "request" and line["ms"] >= 0


def test_log_lines_written_during_a_request_carry_its_id(api):
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.request_id)
    handler = Keep()
    handler.addFilter(RequestIdFilter())
    log = logging.getLogger("server.request")
    log.addHandler(handler)
    level = log.level
    log.setLevel(logging.INFO)
    try:
        rid = api.call("GET", "/api/v1/health", headers={"X-Request-Id": "abc123"}).headers["X-Request-Id"]
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
    assert seen == [rid] == ["abc123"]
