import pytest
from server_process import ServerProcess


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture
def live_server(tmp_path, sqlite_url):
    """A real server subprocess on SQLite with demo users and the real catalog."""
    srv = ServerProcess(sqlite_url, tmp_path).start()
    yield srv
    srv.stop()


@pytest.fixture
def pg_live_server(tmp_path, pg_url):
    """The same on the throwaway PostgreSQL."""
    srv = ServerProcess(pg_url, tmp_path).start()
    yield srv
    srv.stop()
