"""The scaled-out deployment DESIGN.md describes: several gunicorn worker processes on one
PostgreSQL and one blob folder. Two tablets sync records and photos through it, with small
push batches and small tus chunks so consecutive requests (and the chunks of one upload)
land on different workers. Every record arrives once and every photo arrives intact."""
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from device_kit import client_for, enrol_device, fill_outbox
from serve_app import seed

from device import DeviceRecords
from server import create_app
from server.photos.samples import make_noise_jpeg
from sync.client import RetryPolicy
from sync.client.uploads import PhotoUploader

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn_server(pg_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": pg_url})
    seed(app, "real")
    with app.app_context():
        from server.kernel.extensions import db
        db.engine.dispose()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": pg_url, "GBFIELD_BLOB_DIR": str(tmp_path / "blobs")}
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - the child process keeps it
    access = tmp_path / "access.log"   # one line per request: worker pid and request line
    proc = subprocess.Popen([str(GUNICORN), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60",
                             "--access-logfile", str(access), "--access-logformat", "%(p)s %(m)s %(U)s",
                             "server:create_app()"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/api/v1/health", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError((tmp_path / "gunicorn.log").read_text(errors="replace"))
    yield url, pg_url, tmp_path / "blobs", access
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def prepare_tablet(url, user, n, tmp_path):
    """Enrol, pull the catalog, then work offline: 4 inspections × 2 findings, 2 photos."""
    store = enrol_device(url, user, tmp_path / f"{user}.sqlite")
    assert client_for(store, check_digest=False).sync().ok
    inspections, _findings = fill_outbox(store, inspections=4, findings=2)
    records = DeviceRecords(store)
    shas = []
    for k, iid in enumerate(inspections[:2]):
        path = tmp_path / f"{user}-{k}.jpg"
        path.write_bytes(make_noise_jpeg(700_000, seed=10 * n + k))
        shas.append(records.attach_photo(iid, path))
    return store, inspections, shas


def sync_tablet(url, store, reports):
    uploader = PhotoUploader(url, store.state.credentials()["token"], chunk_size=128 * 1024,
                             retry=RetryPolicy(max_attempts=5, base_delay=0.05, max_delay=0.5, max_total=30),
                             url_store=store.photos)
    reports.append(client_for(store, check_digest=False, push_batch=2, uploader=uploader).sync())


def test_two_tablets_sync_records_and_photos_through_several_workers(gunicorn_server, tmp_path):
    url, db_url, blobs, access = gunicorn_server
    tablets = [prepare_tablet(url, user, n, tmp_path) for n, user in enumerate(("li", "wang"))]
    reports: list = []
    threads = [threading.Thread(target=sync_tablet, args=(url, store, reports)) for store, _, _ in tablets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(reports) == 2 and all(r.ok for r in reports), [r.errors for r in reports]
    assert all(r.photos_uploaded == 2 for r in reports)
    assert all(not store.outbox.items() for store, _, _ in tablets)

    expected = sorted(i for _, inspections, _ in tablets for i in inspections)
    shas = sorted(s for _, _, tablet_shas in tablets for s in tablet_shas)
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        stored = sorted(r[0] for r in conn.execute(sa.text("SELECT id FROM inspections")))
        photos = sorted(r[0] for r in conn.execute(sa.text("SELECT sha256 FROM photos")))
    engine.dispose()
    assert stored == expected          # each once
    assert photos == shas
    for sha in shas:
        [original] = [p for p in blobs.rglob(sha) if "original" in p.parts]
        assert hashlib.sha256(original.read_bytes()).hexdigest() == sha
    # the work really was spread over both worker processes
    lines = [line.split() for line in access.read_text().splitlines() if line.strip()]
    sync_pids = {pid for pid, _m, path in lines if path.startswith(("/api/v1/sync/", "/api/v1/uploads"))}
    assert len(sync_pids) == 2, sync_pids
