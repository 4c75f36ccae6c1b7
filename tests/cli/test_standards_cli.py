"""`gbfield standards list|show|search` through cli.main.main."""
import json

import pytest

from cli.main import main
from cli.standards import display_width, format_table


def test_list_table_and_json(capsys):
    assert main(["standards", "list", "--on", "2025-10-01"]) == 0
    out = capsys.readouterr().out
    assert "GB 17761-2024" in out and "国家纺织产品基本安全技术规范" in out
    assert main(["standards", "list", "--json", "--on", "2025-08-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["code"]: r for r in data["standards"]}
    assert rows["GB 17761"]["edition"] == "GB 17761-2018" and rows["GB 17761"]["status"] == "现行"
    assert data["digest"].startswith("sha256:")


@pytest.mark.parametrize("code", ["GB 18401", "GB18401", "gb 18401-2010", "18401"])
def test_show_accepts_loose_codes(capsys, code):
    assert main(["standards", "show", code, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["code"] == "GB 18401"
    ind = {i["id"]: i for i in data["editions"][0]["indicators"]}
    assert ind["GB 18401-2010/4.1/formaldehyde/B"]["limit"] == "≤75"
    assert ind["GB 18401-2010/4.1/formaldehyde/B"]["classes"] == ["B"]


def test_show_text_lists_statuses(capsys):
    assert main(["standards", "show", "GB 17761", "--on", "2025-10-01"]) == 0
    out = capsys.readouterr().out
    assert "GB 17761-2024  现行" in out and "GB 17761-2018  废止" in out and "≤5.5" in out


def test_show_edition_only(capsys):
    assert main(["standards", "show", "GB 18580-2025", "--json", "--on", "2025-12-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in data["editions"]] == ["GB 18580-2025"]
    assert data["editions"][0]["status"] == "即将实施"


@pytest.mark.parametrize("argv,needle", [
    (["standards", "show", "GB 1840"], "GB 18401"),
    (["standards", "show", "GB 99999"], "没有标准"),
    (["standards", "show", "GB 18401-2003"], "GB 18401-2010"),
    (["standards", "list", "--on", "2025-13-01"], "日期"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, needle):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and needle in err


@pytest.mark.parametrize("query,expected_id", [
    ("甲醛", "GB 18401-2010/4.1/formaldehyde/A"),
    ("电动自行车 车速", "GB 17761-2024/4.1/max-speed"),
    ("饮用水 铅", "GB 5749-2022/4.2/lead"),
])
def test_search_json(capsys, query, expected_id):
    assert main(["standards", "search", *query.split(), "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert expected_id in [h["id"] for h in hits[:10]]


def test_search_first_hit_for_water_lead(capsys):
    assert main(["standards", "search", "饮用水", "铅", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["id"] == "GB 5749-2022/4.2/lead"


def test_search_text_and_no_hit(capsys):
    assert main(["standards", "search", "色牢度"]) == 0
    assert "耐水色牢度" in capsys.readouterr().out
    assert main(["standards", "search", "冰箱能效"]) == 1


def test_table_alignment_is_cjk_width_aware():
    assert display_width("甲醛") == 4 and display_width("pH") == 2
    lines = format_table(["名称", "x"], [["甲醛含量", "1"], ["pH", "2"]]).splitlines()
    col = [display_width(line[:line.index(ch)]) for line, ch in ((lines[2], "1"), (lines[3], "2"))]
    assert col[0] == col[1] == display_width("甲醛含量") + 2
