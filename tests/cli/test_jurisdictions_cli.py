"""`gbfield jurisdictions`: an operator builds the division tree a fresh install needs
before the first user can be created."""
import io
import json
import sys

import pytest

from cli.main import main


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'j.db'}")
    assert main(["db", "upgrade"]) == 0


def test_add_then_create_a_user_there(monkeypatch, capsys):
    assert main(["jurisdictions", "add", "110000", "北京市"]) == 0
    assert main(["jurisdictions", "add", "110100", "北京市市辖区", "--parent", "110000"]) == 0
    assert main(["jurisdictions", "add", "110105", "朝阳区", "--parent", "110100"]) == 0
    assert main(["jurisdictions", "add", "110105", "朝阳区", "--parent", "110100"]) == 0   # idempotent
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-password\n"))
    assert main(["users", "create", "zhang", "--role", "inspector", "--jurisdiction", "110105",
                 "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["jurisdictions", "list", "--json"]) == 0
    tree = json.loads(capsys.readouterr().out)
    assert [(j["code"], j["path"]) for j in tree] == [
        ("110000", "/110000/"), ("110100", "/110000/110100/"), ("110105", "/110000/110100/110105/")]


@pytest.mark.parametrize("argv, words", [
    (["jurisdictions", "add", "11010", "朝阳区"], "6位数字"),
    (["jurisdictions", "add", "110105", "朝阳区", "--parent", "110100"], "上级行政区划不存在"),
])
def test_add_rejects_bad_codes_with_a_reason(capsys, argv, words):
    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_import_orders_parents_first_and_rejects_a_bad_file_whole(tmp_path, capsys):
    good = tmp_path / "divisions.csv"
    good.write_text("code,name,parent\n310115,浦东新区,310100\n310100,上海市市辖区,310000\n310000,上海市,\n",
                    encoding="utf-8")
    assert main(["jurisdictions", "import", str(good)]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,parent\n320000,江苏省,\n3201,南京市,320000\n", encoding="utf-8")
    assert main(["jurisdictions", "import", str(bad)]) == 2
    assert "row 2" in capsys.readouterr().err
    capsys.readouterr()
    assert main(["jurisdictions", "list"]) == 0
    out = capsys.readouterr().out
    assert "    310115  浦东新区" in out and "320000" not in out   # nothing of the bad file stored
