"""The committee workbook: JSON -> XLSX -> JSON gives the same data; bad rows are reported
row by row and left out while the others load; a bad standard never blocks the others."""
from __future__ import annotations

import openpyxl
import pytest

from assets import CatalogError, load_catalog
from assets.loader import default_paths, read_standard_dicts
from assets.xlsx import README_SHEET, normalise_standard, read_workbook, write_workbook

REAL = [d for p in default_paths() for _, d in read_standard_dicts(p)]


SMALL = [d for d in REAL if d["code"] in ("GB 6566", "GB 18580", "GB 31701", "GB 18401")]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return write_workbook(REAL, tmp_path_factory.mktemp("x") / "catalog.xlsx")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return write_workbook(SMALL, tmp_path_factory.mktemp("s") / "small.xlsx")


def test_round_trip_gives_the_same_data(exported):
    result = read_workbook(exported)
    assert result.errors == [] and result.rejected == []
    assert {s["code"]: normalise_standard(s) for s in result.standards} == {s["code"]: normalise_standard(s) for s in REAL}


def test_round_trip_catalog_equals_the_packaged_one(exported, tmp_path):
    import json

    from assets import canonical_json
    paths = []
    for std in read_workbook(exported).standards:
        path = tmp_path / (std["code"].replace(" ", "-").replace("/", "-") + ".json")
        path.write_text(json.dumps(std, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    assert canonical_json(load_catalog(paths)) == canonical_json(load_catalog())


def test_workbook_has_a_chinese_readme_and_one_sheet_per_standard(exported):
    book = openpyxl.load_workbook(exported, read_only=True)
    assert book.sheetnames[0] == README_SHEET and len(book.sheetnames) == len(REAL) + 1
    first = [row[0] for row in book[README_SHEET].iter_rows(values_only=True)]
    assert any("待核实" in (line or "") for line in first)
    cells = [c for row in book["GB 18401"].iter_rows(values_only=True) for c in row if c]
    assert "【版本】" in cells and "【指标】" in cells and "版本号（id）" in cells and "【关联标准】" in cells


def _edit(path, sheet, find, column_header, value, out):
    """Change the cell in the row whose first cell is `find`, column `column_header`."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = None
    for row in ws.iter_rows():
        texts = [c.value for c in row]
        if column_header in texts:
            header = texts
        if header and texts and texts[0] == find or (header and find in texts):
            row[header.index(column_header)].value = value
            break
    book.save(out)
    return out


@pytest.mark.parametrize("find, column, value, words", [
    ("GB 6566-2010", "发布日期（issued）", "2010年13月2日", "日期无法识别"),
    ("GB 6566-2010/3.1/internal-exposure-index", "类型（kind）", "其他", "类型应为"),
    ("GB 6566-2010/3.1/internal-exposure-index", "可选答案（answers）", "符合", "可选答案应写作"),
    ("GB 6566-2010/3.1/internal-exposure-index", "待核实（unverified）", "大概", "待核实项应为"),
    ("GB 6566-2010/3.1/internal-exposure-index", "版本号（edition）", "GB 6566-2099", "不在【版本】块中"),
])
def test_bad_cells_reported_by_row_and_left_out(small, tmp_path, find, column, value, words):
    result = read_workbook(_edit(small, "GB 6566", find, column, value, tmp_path / "bad.xlsx"))
    bad = result.errors
    assert bad[0].sheet == "GB 6566" and bad[0].row > 2 and bad[0].ident == find
    assert any(words in reason for _, reason in bad[0].errors), bad[0].errors
    if "/" in find:          # an indicator row: only that row is left out
        assert len(bad) == 1
        assert len([i for e in next(s for s in result.standards if s["code"] == "GB 6566")["editions"]
                    for i in e["indicators"]]) == 7
    else:                    # an edition row: its rows are reported as belonging to no edition
        assert all("不在【版本】块中" in b.errors[0][1] or "没有可用的版本" in b.errors[0][1] for b in bad[1:])
    assert {s["code"] for s in result.standards} >= {"GB 18580", "GB 31701", "GB 18401"}
    assert bad[0].to_dict()["status"] == "error"


def test_schema_problem_rejects_only_that_standard(small, tmp_path):
    path = _edit(small, "GB 6566", "GB 6566-2010/3.1/internal-exposure-index", "条款号（clause）", "9.9", tmp_path / "b.xlsx")
    result = read_workbook(path)
    assert result.rejected == ["GB 6566"]
    [bad] = result.errors
    assert bad.block == "indicator" and "9.9" in bad.errors[0][1]
    assert len(result.standards) == len(SMALL) - 1


def test_cells_typed_as_numbers_and_dates_still_read(small, tmp_path):
    import datetime
    path = _edit(small, "GB 6566", "GB 6566-2010", "年份（year）", 2010, tmp_path / "n.xlsx")
    path = _edit(path, "GB 6566", "GB 6566-2010", "实施日期（effective）", datetime.datetime(2011, 7, 1), tmp_path / "n2.xlsx")
    result = read_workbook(path)
    assert result.errors == []
    assert {s["code"]: normalise_standard(s) for s in result.standards} == {s["code"]: normalise_standard(s) for s in SMALL}


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(CatalogError, match="XLSX"):
        read_workbook(path)
