"""`gbfield scheduler --once` and `gbfield interpretations list|publish`."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cli.main import main
from server.jobs import lease
from server.kernel import clock
from tests.server.interpretations.samples import INFANT_CLASS_A


@pytest.fixture
def env(app, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("GBFIELD_BLOB_DIR", str(tmp_path / "blobs"))
    return app


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_scheduler_once_runs_each_job_once_per_slot(env, capsys):
    assert main(["scheduler", "--once"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert set(first) == {"heartbeat", "edition_status", "escalate_questions", "compliance_stats", "purge",
                          "recheck_reminders", "reinspections"}
    assert first["edition_status"]["baseline"] > 0
    assert main(["scheduler", "--once"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["edition_status"] is None and second["purge"] is None   # same day: already ran


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_scheduler_once_refuses_while_another_process_leads(env, capsys):
    with env.app_context():
        assert lease.acquire("someone-else", clock.now(), 60)
    assert main(["scheduler", "--once"]) == 1
    assert "another scheduler" in capsys.readouterr().err
    with env.app_context():
        assert lease.acquire("someone-else", clock.now() + timedelta(seconds=5), 60)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_interpretations_publish_and_list(env, tmp_path, capsys):
    path = tmp_path / "interp.json"
    path.write_text(json.dumps(INFANT_CLASS_A, ensure_ascii=False), encoding="utf-8")
    assert main(["interpretations", "publish", str(path), "--as", "expert"]) == 0
    published = json.loads(capsys.readouterr().out)["interpretation"]
    assert main(["interpretations", "list", "--standard", "GB 18401"]) == 0
    out = capsys.readouterr().out
    assert published["id"] in out and INFANT_CLASS_A["title"] in out
    assert main(["interpretations", "publish", str(path), "--as", "insp_chaoyang"]) == 1
    assert main(["interpretations", "publish", str(path), "--as", "nobody"]) == 2
