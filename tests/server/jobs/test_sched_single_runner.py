"""Exactly one scheduler runs: the lease, and two real `gbfield scheduler` processes."""
from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from server.jobs import lease
from server.kernel import clock

ROOT = Path(__file__).resolve().parents[3]


def test_the_lease_has_one_holder_until_it_expires(app):
    now = clock.now()
    with app.app_context():
        assert lease.acquire("a", now, 30)
        assert not lease.acquire("b", now + timedelta(seconds=10), 30)
        assert lease.acquire("a", now + timedelta(seconds=20), 30)          # renewal
        assert not lease.acquire("b", now + timedelta(seconds=45), 30)      # renewed until +50
        assert lease.holds("a", now + timedelta(seconds=49))
        assert lease.acquire("b", now + timedelta(seconds=51), 30)          # a stopped renewing
        assert not lease.acquire("a", now + timedelta(seconds=52), 30)
        assert not lease.holds("a", now + timedelta(seconds=52))


def _scheduler(db_url: str, tmp_path: Path, name: str, seconds: float) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db_url, "GBFIELD_SCHEDULER_HEARTBEAT_SECONDS": "1",
           "GBFIELD_SCHEDULER_LEASE_SECONDS": "3", "GBFIELD_BLOB_DIR": str(tmp_path / "blobs"),
           "PYTHONPATH": str(ROOT)}
    with open(tmp_path / f"{name}.log", "w") as log:   # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-m", "cli.main", "scheduler", "--max-seconds", str(seconds)],
                                cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)


def _runs(db_url: str) -> list:
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT job, due, pid, started_at FROM job_runs ORDER BY job, due")).all()
    finally:
        engine.dispose()


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.slow
def test_two_scheduler_processes_never_run_the_same_job_slot(app, db_url, tmp_path):
    first = _scheduler(db_url, tmp_path, "first", 40)
    second = None
    try:
        assert _wait_for(lambda: any(r.job == "heartbeat" for r in _runs(db_url)), 25), \
            (tmp_path / "first.log").read_text()
        second = _scheduler(db_url, tmp_path, "second", 40)
        time.sleep(4)                       # both alive: only the first runs jobs
        runs = _runs(db_url)
        assert {r.pid for r in runs} == {first.pid}
        first.send_signal(signal.SIGKILL)   # the holder dies without releasing its lease
        first.wait(10)
        assert _wait_for(lambda: any(r.pid == second.pid for r in _runs(db_url)), 20), \
            (tmp_path / "second.log").read_text()
        time.sleep(2)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    runs = _runs(db_url)
    slots = [(r.job, r.due) for r in runs]
    assert len(slots) == len(set(slots))
    beats = sorted((r for r in runs if r.job == "heartbeat"), key=lambda r: r.due)
    assert len(beats) >= 5
    # the runs pass from the first process to the second once, never back and forth
    owners = [r.pid for r in beats]
    switches = sum(1 for a, b in itertools.pairwise(owners) if a != b)
    assert owners[0] == first.pid and owners[-1] == second.pid and switches == 1
    # daily jobs ran once per day slot, by the first process only
    for job in ("edition_status", "compliance_stats", "purge", "recheck_reminders"):
        assert [r.pid for r in runs if r.job == job] == [first.pid], job


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_development_server_can_embed_the_scheduler_behind_the_lease(app, config):
    from server.jobs.scheduler import start_embedded

    assert start_embedded({**config, "GBFIELD_EMBED_SCHEDULER": False}) is None
    stop = start_embedded({**config, "GBFIELD_EMBED_SCHEDULER": True, "GBFIELD_SCHEDULER_HEARTBEAT_SECONDS": 1,
                           "GBFIELD_SCHEDULER_LEASE_SECONDS": 3})
    try:
        assert _wait_for(lambda: sum(r.job == "heartbeat" for r in _runs(config["SQLALCHEMY_DATABASE_URI"])) >= 2, 15)
    finally:
        stop.set()
    assert {r.pid for r in _runs(config["SQLALCHEMY_DATABASE_URI"])} == {os.getpid()}

    def released():   # the runner's loop notices the stop event and releases the lease
        with app.app_context():
            return lease.acquire("next", clock.now(), 30)

    assert _wait_for(released, 10)
