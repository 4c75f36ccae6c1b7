"""Every test asking for `store` runs once per implementation of the device store: the
SQLite file and its in-memory twin (the stores' one contract suite)."""
import pytest

from device import DeviceRecords, memory_store, open_store

IMPLEMENTATIONS = ("sqlite", "memory")


def make_store(kind, path):
    """Return an empty device store of `kind` ("sqlite": a file under `path`)."""
    return open_store(path / "device.sqlite") if kind == "sqlite" else memory_store()


@pytest.fixture(params=IMPLEMENTATIONS)
def store(request, tmp_path):
    s = make_store(request.param, tmp_path)
    yield s
    s.close()


@pytest.fixture
def records(store):
    return DeviceRecords(store)
