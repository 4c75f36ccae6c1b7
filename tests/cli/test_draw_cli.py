"""`gbfield draw verify`: 0 for an untouched published draw, 1 naming what differs, 2 for a
file that is not a draw."""
from __future__ import annotations

import json

import pytest
from stdnum.cn import uscc

from cli.main import main as gbfield
from sampling import Enterprise, Inspector, Plan, run_draw

PLAN = {"id": "p1", "name": "纺织品抽查", "allocation": {"ratio": "0.3"},
        "items": [{"id": "T1", "name": "甲醛", "competence": "textile", "legal_basis": "《产品质量法》"}]}


def _code(n: int) -> str:
    body = f"91110105MA{n:07d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def draw_file(tmp_path):
    directory = [Enterprise(_code(n), f"企业{n}", "110105", "C18", "A") for n in range(10)]
    roster = [Inspector(f"JC{n}", "110105", ("textile",)) for n in range(4)]
    doc = run_draw(Plan.from_dict(PLAN), directory, roster, {}, "5a" * 32)
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_untouched_draw_exits_0(draw_file, capsys):
    doc = json.loads(draw_file.read_text(encoding="utf-8"))
    assert gbfield(["draw", "verify", str(draw_file), "--commitment", doc["commitment_sha256"]]) == 0
    out = capsys.readouterr().out
    assert "一致" in out and "MATCH" in out and "3 targets" in out


def test_changed_draw_exits_1_and_names_the_difference(draw_file, capsys):
    doc = json.loads(draw_file.read_text(encoding="utf-8"))
    doc["inputs"]["roster"].pop()
    draw_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert gbfield(["draw", "verify", str(draw_file), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["matches"] is False
    assert "roster_sha256" in [d["part"] for d in report["differences"]]


@pytest.mark.parametrize("content", ["not json", "{\"format\": \"x\"}"])
def test_not_a_draw_exits_2(tmp_path, capsys, content):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    assert gbfield(["draw", "verify", str(path)]) == 2
    assert "gbfield draw" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path, capsys):
    assert gbfield(["draw", "verify", str(tmp_path / "none.json")]) == 2
