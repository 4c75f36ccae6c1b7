"""`gbfield judge` and `gbfield round`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main

GBFIELD = Path(sys.executable).with_name("gbfield")


@pytest.mark.parametrize("argv, outcome, compared", [
    (["16.50(+)", "≤16.50"], "fail", "16.50(+)"),
    (["16.50(+)", "≤16.50", "--method", "rounded"], "pass", "16.50"),
    (["0.549", "≤0.5", "--method", "rounded"], "pass", "0.5"),
    (["0.76", "≤0.5", "--method", "rounded", "--interval", "0.5"], "fail", "1.0"),
    (["<0.5", "≤0.1"], "inconclusive", "<0.5"),
    (["3-4", "≥3-4级"], "pass", "3-4"),
    (["7", "≤25 km/h", "--unit", "m/s"], "fail", None),
    (["20", "≤20", "--unit", "ppm", "--limit-unit", "mg/kg"], "pass", "20"),
])
def test_judge_json(capsys, argv, outcome, compared):
    assert main(["judge", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    data = json.loads(out)
    assert data["outcome"] == outcome
    assert isinstance(data["compared_value"], str)
    if compared is not None:
        assert data["compared_value"] == compared


def test_judge_readable(capsys):
    assert main(["judge", "0.551", "≤0.5"]) == 0
    out = capsys.readouterr().out
    assert "不合格" in out and "全数值比较法" in out and "步骤" in out and "0.551" in out


@pytest.mark.parametrize("argv, fragment", [
    (["judge", "1", "≤0.5x"], '限值无法识别 "≤0.5x"：第5个字符 "x"'),
    (["judge", "abc", "≤0.5"], "测定值无法识别"),
    (["judge", "1", "≤0.5", "--method", "rounded", "--interval", "0.3"], "修约间隔无效"),
    (["round", "x", "--interval", "0.1"], "测定值无法识别"),
    (["round", "1.5", "--interval", "0.25"], "修约间隔无效"),
])
def test_bad_input_exit_2(capsys, argv, fragment):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert fragment in captured.err and captured.err.count("\n") == 1


@pytest.mark.parametrize("value, interval, expected", [
    ("60.28", "0.5", "60.5"), ("16.50(+)", "0.1", "16.5"), ("16.55(+)", "0.1", "16.6"),
    ("1268", "100", "1300"), ("-0.0365", "0.001", "-0.036"), ("832", "20", "840"),
])
def test_round(capsys, value, interval, expected):
    assert main(["round", value, "--interval", interval]) == 0
    assert capsys.readouterr().out == expected + "\n"


def test_installed_console_script():
    run = subprocess.run([str(GBFIELD), "round", "60.28", "--interval", "0.5"],
                         capture_output=True, text=True, timeout=60, check=False)
    assert (run.returncode, run.stdout) == (0, "60.5\n")
    run = subprocess.run([str(GBFIELD), "judge", "16.50(+)", "≤16.50", "--json"],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0 and json.loads(run.stdout)["outcome"] == "fail"
    run = subprocess.run([str(GBFIELD), "judge", "1", "≤0.5x"], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 2 and "限值无法识别" in run.stderr
