"""Helpers for client↔server tests: log in, enrol a device, inspect the server database."""
from __future__ import annotations

import time
from pathlib import Path

import requests
import sqlalchemy as sa
from serve_app import PASSWORD

from device import DeviceRecords, DeviceStore, open_store
from sync.client import HttpTransport, RetryPolicy, SyncClient
from sync.protocol import PROTOCOL_HEADER

H = {PROTOCOL_HEADER: "1"}


def login(url: str, username: str) -> str:
    """Return a user token for a demo user."""
    r = requests.post(f"{url}/api/v1/auth/login", json={"username": username, "password": PASSWORD},
                      headers=H, timeout=10)
    r.raise_for_status()
    return r.json()["token"]


def enrolment_payload(url: str, username: str, supervisor: str = "zhao") -> str:
    """Return a fresh QR payload for `username`, created by a supervisor."""
    token = login(url, supervisor)
    r = requests.post(f"{url}/api/v1/devices/enrolments", json={"username": username},
                      headers={**H, "Authorization": f"Bearer {token}"}, timeout=10)
    r.raise_for_status()
    return r.json()["payload"]


def enrol_device(url: str, username: str, store_path: Path) -> DeviceStore:
    """Return a device store enrolled for `username` (credentials saved)."""
    from sync.protocol import parse_enrol_payload

    _server, code = parse_enrol_payload(enrolment_payload(url, username))
    answer = HttpTransport(url).enrol(code, f"test-{username}", "test", PASSWORD)
    store = open_store(store_path)
    store.state.save_credentials({"server_url": url, "device_id": answer["device_id"],
                                  "token": answer["token"], "user": answer["user"]})
    return store


def client_for(store: DeviceStore, url: str | None = None, **kw) -> SyncClient:
    """Return a SyncClient over HTTP with a fast retry policy (for tests)."""
    creds = store.state.credentials()
    retry = kw.pop("retry", None) or RetryPolicy(max_attempts=5, base_delay=0.05, max_delay=0.5, max_total=20)
    transport = HttpTransport(url or creds["server_url"], creds["token"], timeout=(3, 30))
    return SyncClient(store, transport, retry=retry, **kw)


def first_indicators(store: DeviceStore, n: int = 5) -> list[str]:
    """Return `n` indicator ids from the device's catalog cache (after a sync)."""
    return [r[0] for r in store.db.execute(
        "SELECT id FROM catalog WHERE entity = 'indicator' ORDER BY id LIMIT ?", (n,))]


def fill_outbox(store: DeviceStore, inspections: int, findings: int) -> tuple[list[str], list[str]]:
    """Create submitted (not draft) inspections with findings offline; return (inspection ids, finding ids).
    They skip 完成检查 on purpose: these tests are about sync, and a supervisor may review them."""
    records = DeviceRecords(store)
    indicators = first_indicators(store, findings) or ["missing"]
    iids, fids = [], []
    for k in range(inspections):
        iid = records.create_inspection("2024-05-20", company_name=f"测试企业{k}", draft=False)
        iids.append(iid)
        for f in range(findings):
            fids.append(records.add_finding(iid, indicators[f % len(indicators)], f"{k % 50}.{f}", None,
                                            sample=f // len(indicators) + 1))
    return iids, fids


def server_rows(db_url: str) -> dict[str, list[tuple]]:
    """Return the server's inspection ids and finding (id, revision) pairs, straight from its DB."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {
                "inspections": [tuple(r) for r in conn.execute(sa.text("SELECT id FROM inspections"))],
                "findings": [tuple(r) for r in conn.execute(sa.text("SELECT id, revision FROM findings"))],
                "mutations": [tuple(r) for r in conn.execute(sa.text(
                    "SELECT mutation_id FROM processed_mutations"))],
            }
    finally:
        engine.dispose()


def first_sync_through(server_url: str, store_path: Path, proxy, *, compress: bool, page: int):
    """Return (seconds, SyncReport) of one first sync of a fresh tablet through `proxy` (a
    CuttingProxy), compressed both ways or not at all. Raises AssertionError if it failed."""
    store = enrol_device(server_url, "li", store_path)
    token = store.state.credentials()["token"]
    transport = HttpTransport(proxy.url, token, timeout=(5, 60), compress=compress)
    if not compress:
        transport.session.headers["Accept-Encoding"] = "identity"
    client = SyncClient(store, transport, pull_limit=page, check_digest=False,
                        retry=RetryPolicy(max_attempts=8, base_delay=0.2, max_delay=2, max_total=120))
    t0 = time.perf_counter()
    report = client.sync()
    seconds = time.perf_counter() - t0
    assert report.ok, report.errors
    transport.close()
    store.close()
    return seconds, report
