"""Start/stop/kill the real server as a subprocess (tests/integration/serve_app.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from sync.protocol import PROTOCOL_HEADER

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("serve_app.py")


class ServerProcess:
    """One server subprocess on 127.0.0.1; `url` is set once it answers /api/v1/health."""

    def __init__(self, db_url: str, workdir: Path, catalog: str = "real", env: dict | None = None):
        self.db_url = db_url
        #: extra environment for the server (by default its blobs go to <workdir>/blobs)
        self.env = {"GBFIELD_BLOB_DIR": str(Path(workdir) / "blobs"), **(env or {})}
        self.workdir = Path(workdir)
        self.catalog = catalog
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.url: str | None = None

    def start(self, timeout: float = 60.0) -> ServerProcess:
        """Start (or restart on the same port and database); raises RuntimeError if it fails."""
        port_file = self.workdir / "port"
        port_file.unlink(missing_ok=True)
        log = open(self.workdir / "server.log", "ab")  # noqa: SIM115 - the child process keeps it
        env = {**os.environ, **self.env, "DATABASE_URL": self.db_url, "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, str(SCRIPT), "--db", self.db_url, "--port-file", str(port_file),
               "--catalog", self.catalog, "--port", str(self.port or 0)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.log_tail())
            if port_file.exists():
                self.port = int(port_file.read_text())
                self.url = f"http://127.0.0.1:{self.port}"
                if self._healthy():
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not start: " + self.log_tail())

    def _healthy(self) -> bool:
        try:
            return requests.get(self.url + "/api/v1/health", timeout=2,
                                headers={PROTOCOL_HEADER: "1"}).status_code < 500
        except requests.RequestException:
            return False

    def kill(self) -> None:
        """SIGKILL the server (no cleanup, no flush) and reap it."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Terminate the server and reap it."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, n: int = 3000) -> str:
        path = self.workdir / "server.log"
        return path.read_text(errors="replace")[-n:] if path.exists() else ""
