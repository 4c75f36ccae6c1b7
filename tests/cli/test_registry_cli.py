"""`gbfield registry import FILE.csv [--json]`: prints the report; exit 0 / 1 / 2."""
from __future__ import annotations

import json

import pytest

from cli.main import main

BAD = ("gtin,name,standards\n"
       "6901234567892,婴儿纯棉连体衣,GB 18401\n"
       "6901234567893,坏条码,GB 18401\n")


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
    return url


def test_demo_import_then_idempotent_json(database, capsys):
    assert main(["registry", "import", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "共 11 行，接受 11 行，拒绝 0 行" in out
    assert main(["registry", "import", "--demo", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["unchanged"], report["added"], report["changed"]) == (11, 0, 0)


def test_rejected_rows_are_listed_and_exit_1(database, tmp_path, capsys):
    path = tmp_path / "products.csv"
    path.write_text(BAD, encoding="utf-8")
    assert main(["registry", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "拒绝 1 行" in out
    assert "第 3 行  商品条码（gtin）：GTIN 校验位错误：应为 2，实为 3" in out
    assert main(["registry", "import", str(path), "--json", "--dry-run"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["dry_run"] and report["rejections"][0]["row"] == 3


@pytest.mark.parametrize("content, args, words", [
    (None, ["registry", "import", "/nonexistent/x.csv"], "cannot read"),
    ("gtin,name\n1,2\n", None, "缺少必需的列"),
    (None, ["registry", "import"], "give a CSV file or --demo"),
])
def test_unusable_input_exits_2(database, tmp_path, capsys, content, args, words):
    if content is not None:
        path = tmp_path / "bad.csv"
        path.write_text(content, encoding="utf-8")
        args = ["registry", "import", str(path)]
    assert main(args) == 2
    assert words in capsys.readouterr().err
