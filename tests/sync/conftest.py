import sys
from pathlib import Path

import pytest

# app_server builds on the server tests' kit (server_testkit, imported by basename)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from app_server import AppServer
from fake_server import FakeServer

from device import DeviceRecords, open_store
from sync.client import RetryPolicy, SyncClient


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "device.sqlite")
    yield s
    s.close()


@pytest.fixture(params=["fake", "app"])
def server(request, tmp_path):
    """The server the engine talks to: the in-memory fake, or the real app in-process
    (fresh database each test) behind the same test-facing surface."""
    backend = FakeServer() if request.param == "fake" else AppServer(f"sqlite:///{tmp_path / 'server.db'}")
    yield backend
    backend.close()


@pytest.fixture
def client(store, server, clock):
    retry = RetryPolicy(max_attempts=4, base_delay=0.5, sleep=clock.sleep, clock=clock, rng=lambda: 1.0)
    return SyncClient(store, server, retry=retry, push_batch=3, pull_limit=4, clock=clock)


@pytest.fixture
def records(store):
    return DeviceRecords(store)
