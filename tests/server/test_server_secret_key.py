"""Without SECRET_KEY in the environment, every app on the same instance folder (each
gunicorn worker, each restart) signs sessions with the same key, kept in the folder."""
import os
import stat
from concurrent.futures import ThreadPoolExecutor

from server.kernel.config import instance_secret, load_config


def test_the_key_is_made_once_and_shared(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with ThreadPoolExecutor(8) as pool:        # workers starting at the same moment
        keys = set(pool.map(lambda _: instance_secret(tmp_path), range(16)))
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert load_config(str(tmp_path))["SECRET_KEY"] == (tmp_path / "secret_key").read_text()


def test_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_config(str(tmp_path))["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()
