"""Pull paging, visibility, tombstones and the retention horizon, digests."""
import dataclasses
from datetime import timedelta

import pytest
from server_testkit import inspection_item

import assets
from server.catalog.importer import import_catalog
from server.kernel import clock
from server.kernel.extensions import db
from server.syncing.pull import purge_tombstones
from sync.protocol import PullPage, digest_lines


def pull_all(api, who=None, token=None, limit=37, entities=None):
    since, pages, seen = 0, [], []
    for _ in range(500):
        r = api.pull(who, token=token, since=since, limit=limit, entities=entities)
        assert r.status_code == 200, r.json
        page = PullPage.from_json(r.json, since=since)
        pages.append(page)
        seen.extend(page.changes)
        since = page.cursor
        if not page.has_more:
            return seen, pages
    raise AssertionError("pull did not finish")


def test_pull_pages_with_remaining_counts(api):
    changes, pages = pull_all(api, "insp_chaoyang")
    total = len(changes)
    assert total > 150 and len(pages) > 3
    served = 0
    for page in pages:
        served += len(page.changes)
        assert page.remaining == total - served
    assert pages[-1].has_more is False and pages[-1].remaining == 0
    assert len({c.seq for c in changes}) == total


def test_entities_filter(api):
    changes, _ = pull_all(api, "insp_chaoyang", entities="ruleset,product")
    assert {c.entity for c in changes} == {"ruleset", "product"}
    r = api.pull("insp_chaoyang", entities="bogus")
    assert r.status_code == 400 and r.json["error"] == "validation_failed"


def test_devices_see_only_their_records_supervisors_their_subtree(api):
    mine = inspection_item(jurisdiction="110105")
    other = inspection_item(jurisdiction="110108")
    api.push([mine], "insp_chaoyang")
    api.push([other], "insp_haidian")

    def ids(who):
        return {c.id for c in pull_all(api, who, entities="inspection")[0]}

    assert ids("insp_chaoyang") == {mine["id"]}
    assert ids("insp_haidian") == {other["id"]}
    assert ids("sup_chaoyang") == {mine["id"]}
    assert ids("sup_pudong") == set()
    assert ids("admin") == {mine["id"], other["id"]}


def test_withdrawn_catalog_rows_travel_as_tombstones_and_horizon_forces_resync(api):
    first, _ = pull_all(api, "insp_chaoyang", entities="standard,edition,indicator")
    cursor = max(c.seq for c in first)
    catalog = assets.load_catalog()
    dropped = catalog.standards[-1]
    with api.app.app_context():
        import_catalog(dataclasses.replace(catalog, standards=catalog.standards[:-1]), source="test")
        db.session.commit()
    r = api.pull("insp_chaoyang", since=cursor, limit=1000)
    deletes = [c for c in r.json["changes"] if c["op"] == "delete"]
    assert {c["id"] for c in deletes if c["entity"] == "standard"} == {dropped.code}
    assert all(c["data"] is None for c in deletes)
    with api.app.app_context():
        assert purge_tombstones(clock.now() + timedelta(seconds=1)) > 0
        db.session.commit()
    r = api.pull("insp_chaoyang", since=cursor, limit=10)
    assert r.status_code == 410 and r.json["error"] == "resync_required"
    fresh, _ = pull_all(api, "insp_chaoyang", entities="standard")
    assert dropped.code not in {c.id for c in fresh}
    assert all(c.op == "upsert" for c in fresh)


def test_digest_matches_what_was_pulled_and_names_mismatches(api):
    changes, _ = pull_all(api, "insp_chaoyang", entities="indicator,product")
    held = {"indicator": {}, "product": {}}
    for c in changes:
        held[c.entity][c.id] = c.version
    digests = {e: digest_lines(v.items()) for e, v in held.items()}
    r = api.call("POST", "/api/v1/sync/digest", "insp_chaoyang", json={"digests": digests})
    assert r.status_code == 200 and r.json == {"mismatched": []}
    held["indicator"].popitem()
    digests["indicator"] = digest_lines(held["indicator"].items())
    r = api.call("POST", "/api/v1/sync/digest", "insp_chaoyang", json={"digests": digests})
    assert r.json == {"mismatched": ["indicator"]}


@pytest.mark.parametrize("query", ["since=-1", "limit=0", "limit=999999", "since=abc"])
def test_bad_pull_arguments(api, query):
    r = api.call("GET", f"/api/v1/sync/pull?{query}", "insp_chaoyang")
    assert r.status_code == 400 and r.json["error"] == "validation_failed"


def test_catalog_reimport_only_versions_changed_rows(api):
    with api.app.app_context():
        summary = import_catalog(assets.load_catalog(), source="again")
        db.session.commit()
    assert summary["indicator"]["added"] == summary["indicator"]["changed"] == 0
    assert summary["ruleset_created"] is False


def _device_client(api, limit):
    from device import open_store
    from sync.client import RetryPolicy, SyncClient, WsgiTransport

    store = open_store(":memory:")
    transport = WsgiTransport(api.app, api.device("insp_chaoyang"))
    return store, SyncClient(store, transport, retry=RetryPolicy(max_attempts=1), pull_limit=limit,
                             check_digest=False)


def test_after_a_purge_a_fresh_device_pages_through_and_a_stale_one_resyncs(api):
    stale_store, stale = _device_client(api, limit=1000)
    assert stale.sync().ok
    catalog = assets.load_catalog()
    dropped = catalog.standards[-1]
    with api.app.app_context():
        import_catalog(dataclasses.replace(catalog, standards=catalog.standards[:-1]), source="test")
        db.session.commit()
        assert purge_tombstones(clock.now() + timedelta(seconds=1)) > 0
        db.session.commit()
        horizon = db.session.execute(db.text("SELECT value FROM sync_state")).scalar()
    # a first sync in small pages: every page after the first has since < horizon
    fresh_store, fresh = _device_client(api, limit=7)
    report = fresh.sync()
    assert report.ok and not report.resynced, report.errors
    assert report.requests > 3 and fresh_store.state.horizon == horizon
    assert fresh_store.catalog.row("standard", dropped.code) is None
    # the device whose cursor predates the purge is told to re-sync, and does
    assert 0 < stale_store.state.cursor < horizon
    report = stale.sync()
    assert report.ok and report.resynced == ["all"], report.errors
    assert stale_store.catalog.row("standard", dropped.code) is None
    assert stale_store.catalog.digests() == fresh_store.catalog.digests()


def test_pages_report_the_horizon_and_a_stale_cursor_answers_410(api):
    r = api.pull("insp_chaoyang", since=0, limit=5)
    assert r.status_code == 200 and r.json["horizon"] == 0
    with api.app.app_context():
        from server.kernel.changes import SyncState
        db.session.add(SyncState(key="tombstone_horizon", value=10_000_000))
        db.session.commit()
    assert api.pull("insp_chaoyang", since=5, limit=5).status_code == 410
    ok = api.call("GET", "/api/v1/sync/pull?since=5&limit=5&horizon=10000000", "insp_chaoyang")
    assert ok.status_code == 200 and ok.json["horizon"] == 10_000_000
    older = api.call("GET", "/api/v1/sync/pull?since=5&limit=5&horizon=9", "insp_chaoyang")
    assert older.status_code == 410 and older.json["error"] == "resync_required"
