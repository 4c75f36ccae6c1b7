"""The engine against the real server over HTTP: main path, replays, CLI."""
import json

import pytest
import requests
from device_kit import (
    client_for,
    enrol_device,
    enrolment_payload,
    fill_outbox,
    login,
    server_rows,
)
from serve_app import PASSWORD

from cli.main import main
from device import DeviceRecords, open_store
from sync.protocol import PROTOCOL_HEADER


def run_main_path(server, tmp_path):
    store = enrol_device(server.url, "li", tmp_path / "li.sqlite")
    client = client_for(store)
    first = client.sync()
    assert first.ok, first.errors
    assert first.pulled > 0 and store.counts().get("catalog.indicator", 0) > 0
    iids, fids = fill_outbox(store, inspections=6, findings=3)
    report = client.sync()
    assert report.ok, report.errors
    assert (report.applied, report.conflicts, report.rejected) == (24, 0, 0), report
    assert store.outbox.items() == []
    rows = server_rows(server.db_url)
    assert sorted(r[0] for r in rows["inspections"]) == sorted(iids)
    assert sorted(rows["findings"]) == sorted((f, 1) for f in fids)
    # the device now holds the server's view of its records
    assert set(store.records.all("inspection")) == set(iids)
    assert all(r["data"].get("status") == "submitted" for r in store.records.all("inspection").values())
    assert_text_form_equals_object_form(server, store.state.credentials()["token"])
    return store, client, iids, fids


def assert_text_form_equals_object_form(server, token):
    """`data=text` pages carry the same changes, each upsert's data as its JSON text."""
    headers = {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {token}"}
    url = f"{server.url}/api/v1/sync/pull?since=0&limit=10000"
    plain = requests.get(url, headers=headers, timeout=30).json()
    text = requests.get(url + "&data=text", headers=headers, timeout=30).json()
    assert all(isinstance(c["data"], str) for c in text["changes"] if c["op"] == "upsert")
    decoded = [{**c, "data": json.loads(c["data"]) if c["data"] is not None else None} for c in text["changes"]]
    assert decoded == plain["changes"] and len(decoded) > 100
    assert {k: v for k, v in text.items() if k != "changes"} == {k: v for k, v in plain.items() if k != "changes"}
    bad = requests.get(url + "&data=yaml", headers=headers, timeout=30)
    assert bad.status_code == 400 and bad.json()["error"] == "validation_failed"


def test_main_path_sqlite(live_server, tmp_path):
    run_main_path(live_server, tmp_path)


@pytest.mark.postgres
def test_main_path_postgres(pg_live_server, tmp_path):
    run_main_path(pg_live_server, tmp_path)


def test_replaying_pushes_answers_duplicate_and_changes_nothing(live_server, tmp_path):
    store = enrol_device(live_server.url, "li", tmp_path / "li.sqlite")
    client = client_for(store, check_digest=False)
    assert client.sync().ok
    fill_outbox(store, inspections=3, findings=2)
    items = store.outbox.sendable(100)
    first = client.transport.push(items)
    assert [r["status"] for r in first["results"]] == ["applied"] * 9
    before = server_rows(live_server.db_url)
    changes_before = client.transport.pull(0, 5000)["cursor"]
    for _ in range(2):
        again = client.transport.push(items)
        assert [r["status"] for r in again["results"]] == ["duplicate"] * 9
        assert [r["version"] for r in again["results"]] == [r["version"] for r in first["results"]]
    assert server_rows(live_server.db_url) == before
    assert client.transport.pull(0, 5000)["cursor"] == changes_before  # no new change rows
    # same mutation id with other content: conflict, never an overwrite
    tampered = [{**items[1], "data": {**items[1]["data"], "measured": "999"}}]
    assert client.transport.push(tampered)["results"][0]["status"] == "conflict"
    assert server_rows(live_server.db_url) == before


def test_cli_enroll_sync_status(live_server, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)   # the officer types their password
    path = str(tmp_path / "cli.sqlite")
    payload = enrolment_payload(live_server.url, "wang")
    assert main(["device", "enroll", payload, "--store", path]) == 0
    assert "enrolled" in capsys.readouterr().out
    assert main(["device", "sync", "--store", path, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "pulled" in out
    store = open_store(path)
    DeviceRecords(store).ask_question("5.1条的限值是否适用于外包装？")
    store.close()
    assert main(["device", "status", "--store", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outbox"]["pending"] == 1
    assert main(["device", "sync", "--store", path, "--quiet"]) == 0
    assert "applied 1" in capsys.readouterr().out
    # the code works once
    assert main(["device", "enroll", payload, "--store", str(tmp_path / "other.sqlite")]) == 1


def test_revoked_device_reports_credentials_problem(live_server, tmp_path):
    store = enrol_device(live_server.url, "li", tmp_path / "li.sqlite")
    token = login(live_server.url, "zhao")
    r = requests.post(f"{live_server.url}/api/v1/devices/{store.state.credentials()['device_id']}/revoke",
                      headers={PROTOCOL_HEADER: "1", "Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code < 300, r.text
    fill_outbox(store, 1, 0)
    report = client_for(store).sync()
    assert not report.ok and "重新登记" in report.errors[0]
    assert len(store.outbox.items("pending")) == 1


def test_old_client_is_told_to_update(live_server, tmp_path):
    store = enrol_device(live_server.url, "li", tmp_path / "li.sqlite")
    client = client_for(store)
    client.transport.headers = lambda: {PROTOCOL_HEADER: "0",
                                        "Authorization": f"Bearer {store.state.credentials()['token']}"}
    report = client.sync()
    assert not report.ok and "update the app" in report.errors[0]
