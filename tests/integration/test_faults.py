"""Faults between the device and the real server: SIGKILL mid-push, connections cut mid-response."""
import threading

import pytest
from cutting_proxy import CuttingProxy
from device_kit import client_for, enrol_device, fill_outbox, server_rows

from sync.client import HttpTransport, RetryPolicy


def assert_exactly_once(db_url, iids, fids):
    rows = server_rows(db_url)
    assert sorted(r[0] for r in rows["inspections"]) == sorted(iids)
    assert sorted(rows["findings"]) == sorted((f, 1) for f in fids)


@pytest.mark.slow
def test_server_killed_mid_push_then_restarted_loses_and_duplicates_nothing(live_server, tmp_path):
    store = enrol_device(live_server.url, "li", tmp_path / "li.sqlite")
    client = client_for(store, push_batch=10, check_digest=False,
                        retry=RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05))
    assert client.sync().ok
    iids, fids = fill_outbox(store, inspections=50, findings=4)  # 250 items, 25 batches
    pushes = {"n": 0}
    real_push = client.transport.push

    def push_and_kill(items):
        pushes["n"] += 1
        if pushes["n"] == 8:  # kill while the server works on the 8th batch
            threading.Timer(0.01, live_server.kill).start()
        return real_push(items)
    client.transport.push = push_and_kill
    report = client.sync()
    assert not report.ok and report.applied >= 60  # 7 batches went through, then the kill
    assert live_server.proc.poll() is not None
    left = len(store.outbox.items("pending"))
    assert 0 < left <= 250 - report.applied
    live_server.start()  # same port, same database
    report = client.sync()
    assert report.ok, report.errors
    assert report.applied + report.duplicates == left
    assert store.outbox.items() == []
    assert_exactly_once(live_server.db_url, iids, fids)


@pytest.mark.slow
def test_connections_cut_mid_response_still_converge(live_server, tmp_path):
    store = enrol_device(live_server.url, "li", tmp_path / "li.sqlite")
    proxy = CuttingProxy(live_server.port, cut_probability=0.5, min_bytes=1, max_bytes=40_000, seed=7)
    try:
        creds = store.state.credentials()
        retry = RetryPolicy(max_attempts=12, base_delay=0.01, max_delay=0.1, max_total=60)
        client = client_for(store, url=proxy.url, push_batch=15, pull_limit=40, retry=retry)
        client.transport = HttpTransport(proxy.url, creds["token"], timeout=(3, 10))
        first = client.sync()
        assert first.ok, first.errors
        iids, fids = fill_outbox(store, inspections=30, findings=3)
        report = client.sync()
        assert report.ok, report.errors
        assert report.applied + report.duplicates == 120 and report.conflicts == report.rejected == 0
        assert proxy.cuts > 0
        assert store.outbox.items() == []
        assert_exactly_once(live_server.db_url, iids, fids)
        # the device's copy equals a clean device's copy pulled without the proxy
        clean = enrol_device(live_server.url, "li", tmp_path / "clean.sqlite")
        assert client_for(clean).sync().ok
        for table in ("catalog", "records"):
            q = f"SELECT entity, id, version, data FROM {table} ORDER BY entity, id"
            assert store.db.execute(q).fetchall() == clean.db.execute(q).fetchall()
    finally:
        proxy.close()
