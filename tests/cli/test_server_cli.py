"""`gbfield db upgrade`, `users create`, `catalog import`, `serve --demo` end to end."""
import io
import os
import re
import subprocess
import sys
import time

import pytest
import requests

from cli.main import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return {**os.environ, "DATABASE_URL": url}


def test_upgrade_then_create_user_and_import(env, monkeypatch, capsys):
    assert main(["db", "upgrade"]) == 0
    from server import create_app
    from server.accounts.service import ensure_jurisdiction
    from server.kernel.extensions import db
    app = create_app()
    with app.app_context():
        ensure_jurisdiction("110000", "北京市")
        db.session.commit()
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-password\n"))
    assert main(["users", "create", "zhang", "--role", "inspector", "--jurisdiction", "110000",
                 "--password-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-password\n"))
    assert main(["users", "create", "li", "--role", "inspector", "--jurisdiction", "999999",
                 "--password-stdin"]) == 2
    assert main(["catalog", "import"]) == 0
    out = capsys.readouterr().out
    assert "created zhang" in out and '"ruleset_created": true' in out


@pytest.mark.slow
def test_serve_demo_answers_login(env, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--demo", "--port", "0"],
                            env={**env, "GBFIELD_PASSWORD_PROFILE": "default"}, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # the demo year (~20 s of CPU) loads before the server listens; a busy CI machine is slower
        port, lines, deadline = None, [], time.monotonic() + 300
        while port is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
        assert port, "".join(lines)
        assert "sup_chaoyang" in "".join(lines)
        base = f"http://127.0.0.1:{port}/api/v1"
        r = requests.post(f"{base}/auth/login", json={"username": "sup_chaoyang", "password": "gbfield-demo"},
                          timeout=10)
        assert r.status_code == 200
        rows = requests.get(f"{base}/inspections/", headers={"Authorization": f"Bearer {r.json()['token']}"},
                            timeout=10).json()
        # the demo year: 朝阳区's share of 360 inspections, disagreements among them
        assert len(rows) >= 50 and any(row["has_disagreement"] for row in rows)
        assert {row["jurisdiction"] for row in rows} == {"110105"}
    finally:
        proc.terminate()
        proc.wait(10)
