import pytest
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


@pytest.fixture
def server():
    return FakeServer()


@pytest.fixture
def client(store, server, clock):
    retry = RetryPolicy(max_attempts=4, base_delay=0.5, sleep=clock.sleep, clock=clock, rng=lambda: 1.0)
    return SyncClient(store, server, retry=retry, push_batch=3, pull_limit=4, clock=clock)


@pytest.fixture
def records(store):
    return DeviceRecords(store)
