"""`gbfield plans directory|import|list` and `gbfield draw run` against a database, then
`gbfield draw verify` on the document the public page serves."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "registry"
PLAN = {"id": "cli-plan", "name": "命令行计划", "items": ["textile-infant"], "scope": {"jurisdictions": ["110105"]},
        "allocation": {"ratio": "0.2"}}


@pytest.fixture
def database(tmp_path, monkeypatch):
    from server.kernel.extensions import db
    from tests.server.server_testkit import make_app

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    app = make_app(url)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return app


def test_directories_plan_draw_and_verify(database, tmp_path, capsys):
    assert main(["plans", "directory", "enterprises", str(ASSETS / "demo_enterprises.csv"), "--as", "admin"]) == 0
    assert main(["plans", "directory", "inspectors", str(ASSETS / "demo_inspectors.csv"), "--as", "admin"]) == 0
    assert main(["plans", "directory", "items", str(ASSETS / "demo_items.csv"), "--as", "sup_chaoyang"]) == 0
    capsys.readouterr()
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(PLAN, ensure_ascii=False), encoding="utf-8")
    assert main(["plans", "import", str(plan), "--as", "sup_chaoyang"]) == 0
    assert main(["draw", "run", "cli-plan", "--as", "sup_chaoyang", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert answer["targets"] == len(answer["tasks"]) > 0
    assert main(["plans", "list", "--as", "sup_haidian"]) == 0 and capsys.readouterr().out == ""
    assert main(["draw", "run", "cli-plan", "--as", "sup_chaoyang"]) == 2     # a second draw of the same plan
    assert "drawn" in capsys.readouterr().err
    doc = database.test_client().get("/results/cli-plan/draw.json").get_data()
    (tmp_path / "draw.json").write_bytes(doc)
    capsys.readouterr()
    assert main(["draw", "verify", str(tmp_path / "draw.json"), "--commitment", answer["commitment_sha256"]]) == 0
    assert "一致" in capsys.readouterr().out


def test_a_rejected_row_exits_1_and_is_listed(database, tmp_path, capsys):
    bad = tmp_path / "roster.csv"
    bad.write_text("执法证号,姓名,身份证号,辖区,执法领域\nJC1,张,110105199601011008,110105,textile\n", encoding="utf-8")
    assert main(["plans", "directory", "inspectors", str(bad), "--as", "admin"]) == 1
    assert "第 2 行  身份证号" in capsys.readouterr().out
