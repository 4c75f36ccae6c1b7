"""`gbfield standards unverified|chain|export` and `gbfield catalog import FILE.xlsx`."""
import json

import openpyxl
import pytest

from cli.main import main


def test_unverified_table_and_share(capsys):
    assert main(["standards", "unverified"]) == 0
    out = capsys.readouterr().out
    assert "待核实" in out and "GB 21455-2019/4/apf/hp-4500" in out and "限值已与公开来源核对" in out
    assert main(["standards", "unverified", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert 0 < data["share"]["values_confirmed"] < data["share"]["indicators"]
    row = next(r for r in data["rows"] if r["item"] == "GB 21455-2019/4/apf/hp-4500")
    assert row["parts"] == ["value", "grade_table"] and "等级表" in row["parts_text"]


def test_show_marks_unconfirmed_limits(capsys):
    assert main(["standards", "show", "GB 21455"]) == 0
    assert "≥3.30（待核实）" in capsys.readouterr().out


@pytest.mark.parametrize("edition, words", [
    ("GB 31701", ["须同时符合 GB 18401", "GB 18401-2010（现行）", "GB/T 30157"]),
    ("GB 18401-2010", ["被要求同时符合 GB 31701-2015"]),
    ("GB 27887-2011", ["代替", "GB 27887-2011/XG1-2019"]),
    ("GB 6675.4-2025", ["部分代替 GB 6675-2003"]),
])
def test_chain(capsys, edition, words):
    assert main(["standards", "chain", edition, "--on", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert all(w in out for w in words), out


def test_chain_json_and_unknown(capsys):
    assert main(["standards", "chain", "GB 7718", "--on", "2026-12-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["edition_id"] == "GB 7718-2011" and data["together"][0]["edition_id"] == "GB 28050-2011"
    assert main(["standards", "chain", "GB 99999"]) == 2


def test_export_then_check_and_out(tmp_path, capsys):
    book = tmp_path / "c.xlsx"
    assert main(["standards", "export", str(book), "GB 6566", "gb 2626"]) == 0
    assert openpyxl.load_workbook(book, read_only=True).sheetnames == ["说明", "GB 2626", "GB 6566"]
    assert main(["catalog", "import", str(book), "--check"]) == 0
    assert "通过" in capsys.readouterr().err
    assert main(["catalog", "import", str(book), "--out", str(tmp_path / "json")]) == 0
    data = json.loads((tmp_path / "json" / "GB-6566.json").read_text(encoding="utf-8"))
    assert data["code"] == "GB 6566" and len(data["editions"][0]["indicators"]) == 8
    assert main(["standards", "export", str(tmp_path / "x.csv")]) == 2
    assert main(["standards", "export", str(book), "GB 1"]) == 2


def test_import_reports_bad_rows(tmp_path, capsys):
    book = tmp_path / "c.xlsx"
    assert main(["standards", "export", str(book), "GB 6566"]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["GB 6566"]
    for row in ws.iter_rows():
        if row[0].value == "GB 6566-2010" and row[1].value and row[1].value.startswith("GB 6566-2010/3.2"):
            row[5].value = "其他"
            bad_row = row[0].row
            break
    wb.save(book)
    assert main(["catalog", "import", str(book), "--check", "--report-json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert [r["row"] for r in report["rows"] if r["status"] == "error"] == [bad_row]
    assert f"GB 6566 第{bad_row}行【指标】" in captured.err and "类型应为" in captured.err


def test_import_workbook_into_the_server(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    book = tmp_path / "c.xlsx"
    assert main(["standards", "export", str(book), "GB 6566"]) == 0
    assert main(["db", "upgrade"]) == 0
    assert main(["catalog", "import", str(book)]) == 0
    assert '"ruleset_created": true' in capsys.readouterr().out
    assert main(["catalog", "import", str(tmp_path / "missing.xlsx")]) == 2
    assert main(["catalog", "import", "--check"]) == 2
