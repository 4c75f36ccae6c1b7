"""Keep-alive: gunicorn with the project's settings (server/app/gunicorn_conf.py, gthread
workers) keeps a tablet's connection open, so one sync is one TCP connection; gunicorn's
default sync workers answer `Connection: close` and cost one connection per request."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cutting_proxy import CuttingProxy
from device_kit import enrol_device, fill_outbox
from serve_app import seed

from server import create_app
from sync.client import HttpTransport, SyncClient

pytestmark = pytest.mark.slow
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(db_url: str, workdir: Path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "GBFIELD_BLOB_DIR": str(workdir / "blobs"),
           "GBFIELD_WEB_BIND": f"127.0.0.1:{port}", "GBFIELD_WEB_WORKERS": "2"}
    log = open(workdir / f"gunicorn-{port}.log", "wb")  # noqa: SIM115 - the child process keeps it
    proc = subprocess.Popen([str(GUNICORN), "-c", "python:server.app.gunicorn_conf", *extra, "server:create_app()"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return proc, port
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError((workdir / f"gunicorn-{port}.log").read_text(errors="replace"))


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    seed(create_app({"SQLALCHEMY_DATABASE_URI": url}), "real")
    return url


@pytest.mark.parametrize("worker", ["gthread (the project's settings)", "sync"])
def test_one_sync_is_one_connection_with_gthread_workers(database, tmp_path, worker):
    proc, port = start_gunicorn(database, tmp_path, *(("-k", "sync", "--threads", "1") if worker == "sync" else ()))
    try:
        store = enrol_device(f"http://127.0.0.1:{port}", "li", tmp_path / "tablet.sqlite")
        fill_outbox(store, inspections=3, findings=1)
        with CuttingProxy(port, cut_probability=0) as proxy:
            transport = HttpTransport(proxy.url, store.state.credentials()["token"])
            client = SyncClient(store, transport, check_digest=False, prefetch=False, pull_limit=100,
                                push_batch=1)
            report = client.sync()
            transport.close()
        assert report.ok, report.errors
        assert transport.requests_sent >= 7          # 3 pushes, 4 pull pages of the real catalog
        expected = 1 if worker != "sync" else transport.requests_sent
        assert proxy.connections == expected
    finally:
        stop(proc)
