"""`gbfield device` usage errors and status output (enrol/sync over HTTP: tests/integration)."""
import io
import json

import pytest

from cli.main import main
from device import DeviceRecords, open_store
from sync.client.local import apply_results
from sync.protocol import PushResult


@pytest.mark.parametrize("argv, text", [
    (["device", "enroll", "ftp://x"], "not a URL"),
    (["device", "enroll", "http://127.0.0.1:9"], "--code"),
    (["device", "enroll", "gbfield-enrol:v1?code=A"], "server URL"),
])
def test_enroll_rejects_bad_input(tmp_path, capsys, argv, text):
    assert main(argv + ["--store", str(tmp_path / "d.sqlite")]) == 2
    assert text in capsys.readouterr().err


def test_enroll_unreachable_server_fails_cleanly(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("the-officers-password\n"))
    rc = main(["device", "enroll", "gbfield-enrol:v1?server=http://127.0.0.1:9&code=A",
               "--store", str(tmp_path / "d.sqlite"), "--password-stdin"])
    assert rc == 1 and "enrolment failed" in capsys.readouterr().err


def test_sync_needs_store_and_enrolment(tmp_path, capsys):
    path = tmp_path / "d.sqlite"
    assert main(["device", "sync", "--store", str(path)]) == 2
    open_store(path).close()
    assert main(["device", "sync", "--store", str(path)]) == 2
    assert "not enrolled" in capsys.readouterr().err


def test_status_lists_outbox_and_rejections(tmp_path, capsys):
    path = tmp_path / "d.sqlite"
    store = open_store(path)
    records = DeviceRecords(store)
    iid = records.create_inspection("2024-05-20")
    records.add_finding(iid, "ind", "1.0")
    mid = store.outbox.items()[1]["mutation_id"]
    apply_results(store, [PushResult(mid, "rejected", error="unknown_indicator", message="指标不存在")])
    store.close()
    assert main(["device", "status", "--store", str(path), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["outbox"] == {"pending": 1, "conflict": 0, "rejected": 1}
    assert status["attention"][0]["reason"] == "指标不存在"
    assert main(["device", "status", "--store", str(path)]) == 0
    assert "[rejected] finding" in capsys.readouterr().out


def test_status_lists_the_photo_queue_with_reasons(tmp_path, capsys):
    path = tmp_path / "d.sqlite"
    store = open_store(path)
    records = DeviceRecords(store)
    iid = records.create_inspection("2024-05-20")
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    sha = records.attach_photo(iid, photo)
    store.photos.note_failure(sha, "图片无法解码 / image cannot be decoded", rejected=True)
    store.close()
    assert main(["device", "status", "--store", str(path), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["photos"] == {"pending": 0, "uploaded": 0, "rejected": 1}
    assert status["photos_attention"][0]["reason"].startswith("图片无法解码")
    assert main(["device", "status", "--store", str(path)]) == 0
    assert "照片 photos: 0 pending, 0 uploaded, 1 rejected" in capsys.readouterr().out
