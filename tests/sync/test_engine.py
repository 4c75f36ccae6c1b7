"""SyncClient against a server: acknowledgement, retries, paging, conflicts, drift.

Every test runs twice (`server` fixture): against the in-memory FakeServer and against the
real app in-process (`app_server.AppServer`), through the same test-facing surface; the
fake's catalog is the rows a test seeds, the app's the real one. A test that needs what
only the fake can do says so with `only_fake` and a reason.
"""
import pytest

from sync.client.errors import CredentialsError, RequestRejected, RetryableError
from sync.protocol import digest_lines


def only_fake(reason):
    """Run a test against the fake only (`reason`: why, and where the real app is covered)."""
    return pytest.mark.parametrize("server", ["fake"], indirect=True)


def make_inspections(records, server, n, findings=2):
    ids = []
    for k in range(n):
        iid = records.create_inspection("2024-05-20", company_name=f"公司{k}", draft=False)
        for f in range(findings):
            records.add_finding(iid, server.indicator, f"{k}.{f}", "mg/kg", sample=f + 1)   # one sample each
        ids.append(iid)
    return ids


def test_first_sync_pulls_every_page_and_saves_cursor(client, server, store):
    total = server.seed_catalog(10)            # the fake: the 10 rows seeded; the app: its catalog
    pages = []
    report = client.sync(progress=lambda stage, done, rem: pages.append((stage, done, rem)))
    assert report.ok and report.pulled == total and report.cursor == total
    assert sum(n for key, n in store.counts().items() if key.startswith("catalog.")) == total
    # pages of 4 with `remaining` reported: [6, 2, 0] for the fake's 10
    assert [p[2] for p in pages] == [max(total - 4 * (k + 1), 0) for k in range(-(-total // 4))]


def test_push_acknowledges_items_and_empties_outbox(client, server, store, records):
    server.seed_catalog(1)
    make_inspections(records, server, 3)
    report = client.sync()
    assert report.ok, report.errors
    assert (report.pushed, report.applied, report.duplicates) == (9, 9, 0)
    assert store.outbox.items() == []
    assert len(server.live("finding")) == 6
    # the pull after the push brings the server's view (status set by the server)
    assert all(r["data"]["status"] == "submitted" for r in store.records.all("inspection").values())


def test_lost_push_answer_is_resent_with_same_mutation_ids_and_answered_duplicate(client, server, store, records):
    make_inspections(records, server, 1, findings=0)
    server.fail("push", "after")  # applied on the server, the answer never arrives
    report = client.sync()
    assert report.ok and report.duplicates == 1 and report.applied == 0
    assert server.applied_count == 1 and store.outbox.items() == []


def test_retries_use_exponential_backoff(client, server, clock, records):
    make_inspections(records, server, 1, findings=0)
    for _ in range(3):
        server.fail("push")
    report = client.sync()
    assert report.ok
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_retries_run_out_keeps_everything_in_outbox(client, server, store, records):
    make_inspections(records, server, 2, findings=1)
    for _ in range(10):
        server.fail("push")
    report = client.sync()
    assert not report.ok and "sync interrupted" in report.errors[0]
    pending = store.outbox.items("pending")
    assert len(pending) == 4
    assert [i["attempts"] for i in pending] == [1, 1, 1, 0]  # one batch of 3 was tried
    assert all(i["last_error"] for i in pending[:3])
    assert server.applied_count == 0
    server.faults.clear()
    assert client.sync().ok and store.outbox.items() == [] and server.applied_count == 4


def test_interrupted_pull_resumes_from_last_stored_page(client, server, store):
    total = server.seed_catalog(12)
    server.fail("pull")  # page 1 ok below, then failures on page 2 beyond the retry budget
    client.retry.max_attempts = 1
    report = client.sync()
    assert not report.ok and store.state.cursor == 0
    # a fault in the middle: let one page through then fail
    server.faults.clear()
    calls = {"n": 0}
    real_pull = server.pull

    def flaky(since, limit, entities=None, horizon=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RetryableError("cut")
        return real_pull(since, limit, entities, horizon)
    server.pull = flaky
    report = client.sync()
    assert not report.ok and store.state.cursor == 4
    report = client.sync()
    assert report.ok and store.state.cursor == total and report.pulled == total - 4


def test_conflict_is_kept_with_server_record_and_resolved_by_officer(client, server, store, records):
    iid = make_inspections(records, server, 1, findings=0)[0]
    assert client.sync().ok
    server.return_inspection(iid)
    records.edit_inspection(iid, note="现场补充")  # based on version 1, server is at 2
    # keep the conflict from being overwritten by pulling: the push happens first
    report = client.sync()
    assert report.conflicts == 1
    [item] = store.outbox.items("conflict")
    assert item["server_version"] == 2 and item["server_current"]["status"] == "returned"
    assert store.records.get("inspection", iid)["data"]["note"] == "现场补充"  # officer's edit still shown
    new_id = records.resolve_conflict(item["mutation_id"], keep="mine")
    report = client.sync()
    assert report.ok and report.applied == 1 and store.outbox.items() == []
    assert server.record("inspection", iid)["data"]["note"] == "现场补充"
    assert new_id != item["mutation_id"]


def test_taking_the_servers_record_surfaces_the_edit_queued_behind_the_discarded_one(
        client, server, store, records):
    iid = make_inspections(records, server, 1, findings=0)[0]
    assert client.sync().ok
    server.edit("inspection", iid, note="服务器")
    records.edit_inspection(iid, note="第一次")
    records.edit_inspection(iid, note="第二次")  # queued behind, base unknown until the first is answered
    assert client.sync().conflicts == 1
    first = store.outbox.items("conflict")[0]
    assert records.resolve_conflict(first["mutation_id"], keep="server") is None
    [second] = store.outbox.items()
    assert second["state"] == "conflict" and second["data"]["note"] == "第二次"  # not stuck, not rebased
    assert second["server_version"] == 2 and second["server_current"]["note"] == "服务器"
    records.resolve_conflict(second["mutation_id"], keep="mine")
    report = client.sync()
    assert report.ok and report.applied == 1 and store.outbox.items() == []
    assert server.record("inspection", iid)["data"]["note"] == "第二次"


@only_fake("the fake's refusal trigger (measured 'reject-me'); the real app's refusals: "
           "test_a_refused_inspection_is_kept_with_the_servers_reason below")
def test_rejected_item_stays_with_reason_and_blocks_later_edits_of_that_record(client, server, store, records):
    iid = make_inspections(records, server, 1, findings=0)[0]
    fid = records.add_finding(iid, "ind-000", "reject-me")
    records.correct_finding(fid, "1.5")
    report = client.sync()
    assert report.rejected == 1
    states = [(i["state"], i["data"]["revision"]) for i in store.outbox.items()]
    assert states == [("rejected", 1), ("pending", 2)]
    assert store.outbox.items("rejected")[0]["last_error"] == "测量值无法识别"
    records.retry_rejected(store.outbox.items("rejected")[0]["mutation_id"], measured="1.4")
    report = client.sync()
    assert report.ok and store.outbox.items() == []
    assert server.record("finding", fid)["data"]["measured"] == "1.5"


def test_queued_edits_of_one_record_get_base_from_previous_ack(client, server, store, records):
    iid = records.create_inspection("2024-05-20")
    records.edit_inspection(iid, note="a")
    records.edit_inspection(iid, note="b")
    assert [i["base_version"] for i in store.outbox.items()] == [0, None, None]
    report = client.sync()
    assert report.ok and report.applied == 3 and report.conflicts == 0
    assert server.record("inspection", iid)["version"] == 3
    assert server.record("inspection", iid)["data"]["note"] == "b"


@only_fake("purging tombstones needs the server's purge job; against the real app: tests/server/"
           "test_server_pull.py::test_after_a_purge_a_fresh_device_pages_through_and_a_stale_one_resyncs")
def test_resync_required_drops_and_repulls_but_keeps_unacknowledged(client, server, store, records):
    server.seed_catalog(5)
    assert client.sync().ok  # cursor 5
    server.write("indicator", "ind-000", None, op="delete")  # seq 6
    for k in range(5, 12):
        server.write("indicator", f"ind-{k:03d}", {"id": f"ind-{k:03d}"})
    server.purge("indicator", "ind-000")  # horizon 6 > cursor 5: this device missed a tombstone
    records.create_inspection("2024-05-20")
    client.retry.max_attempts = 1
    server.fail("push")  # the push fails: the inspection must survive the reset
    client.sync()
    server.faults.clear()
    report = client.sync()
    # a single resync, though the re-pull pages (limit 4) pass below the horizon again
    assert report.ok and report.resynced == ["all"], report
    assert store.counts()["catalog.indicator"] == 11
    assert store.catalog.row("indicator", "ind-000") is None
    assert len(store.records.all("inspection")) == 1


def test_drift_check_repulls_mismatched_entity(client, server, store):
    server.seed_catalog(6)
    assert client.sync().ok
    served = store.catalog.digests()["indicator"]
    (gone, _), (changed, _) = sorted(store.catalog.versions("indicator"))[2:4]   # ind-002, ind-003 for the fake
    store.db.execute("DELETE FROM catalog WHERE entity = 'indicator' AND id = ?", (gone,))
    store.db.execute("UPDATE catalog SET version = 9 WHERE entity = 'indicator' AND id = ?", (changed,))
    report = client.sync()
    assert report.resynced == ["indicator"]
    rows = store.db.execute("SELECT id, version FROM catalog WHERE entity = 'indicator'").fetchall()
    assert digest_lines(rows) == served == digest_lines(server.indicator_versions())


@pytest.mark.parametrize("exc, text", [
    (CredentialsError("401 device_revoked", code="device_revoked", status=401), "重新登记"),
    (RequestRejected("400 bad", status=400), "rejected"),
])
def test_fatal_answers_end_the_run_with_a_message(client, server, store, records, exc, text):
    make_inspections(records, server, 1, findings=0)
    server.fail("push", exc=exc)
    report = client.sync()
    if isinstance(exc, CredentialsError):
        assert not report.ok and text in report.errors[0] and len(store.outbox.items("pending")) == 1
    else:  # a 400 for a one-item batch rejects that item, kept with the reason
        assert store.outbox.items("rejected")[0]["last_error"].startswith("400")


def test_a_refused_inspection_is_kept_with_the_servers_reason_and_sent_again_when_fixed(
        client, server, store, records):
    iid = records.create_inspection("2024-05-20", company_name="甲", jurisdiction="999999")
    records.edit_inspection(iid, note="补充", jurisdiction="110105")   # waits behind the refused one
    report = client.sync()
    assert report.rejected == 1 and report.applied == 0
    assert [(i["state"], i["base_version"]) for i in store.outbox.items()] == [("rejected", 0), ("pending", None)]
    [item] = store.outbox.items("rejected")
    assert item["error_code"] == "unknown_jurisdiction" and "未知辖区" in item["last_error"]
    records.retry_rejected(item["mutation_id"], jurisdiction="110105")
    report = client.sync()
    assert report.ok and report.applied == 2 and store.outbox.items() == []
    assert server.record("inspection", iid)["data"]["note"] == "补充"


def test_an_item_refused_for_good_does_not_hold_back_the_records_behind_it(client, server, store, records):
    """Issue 12: never a poisoned queue. The refused item is set aside with its reason (shown
    to the officer from the outbox); every other record queued behind it still goes."""
    bad = records.create_inspection("2024-05-20", company_name="甲", jurisdiction="999999")
    good = [records.create_inspection("2024-05-21", company_name=f"乙{k}") for k in range(3)]
    report = client.sync()
    assert report.rejected == 1 and report.applied == 3
    [item] = store.outbox.items("rejected")
    assert item["id"] == bad
    assert item["error_code"] == "unknown_jurisdiction" and item["last_error"]
    assert all(server.record("inspection", iid) is not None for iid in good)
    assert store.outbox.items("pending") == []
