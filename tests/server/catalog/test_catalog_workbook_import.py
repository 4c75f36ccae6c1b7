"""The committee workbook imported through the catalog service
(`server.catalog.service.import_workbook`): the row report, the workbook's standards in
place of the live ones, changes devices pull, and each way it refuses."""
from __future__ import annotations

import json

import openpyxl
import pytest
from sqlalchemy import func, select

import assets
from assets.xlsx import write_workbook
from server.catalog import service as catalog
from server.catalog.models import Indicator
from server.kernel.errors import ValidationFailed
from server.kernel.extensions import db
from server.kernel.i18n import choose_language

RADIUM = "GB 6566-2010/3.1/internal-exposure-index"


def _standard(code: str) -> dict:
    return next(d for d in json.loads(assets.canonical_json(assets.load_catalog())) if d["code"] == code)


def _book(tmp_path, *standards: dict):
    return write_workbook(list(standards), tmp_path / "book.xlsx")


def _set_cell(path, sheet: str, row_id: str, column: int, value: str) -> int:
    book = openpyxl.load_workbook(path)
    for row in book[sheet].iter_rows():
        if len(row) > 1 and row[1].value == row_id:
            row[column].value = value
            book.save(path)
            return row[0].row
    raise AssertionError(f"no row {row_id}")


def test_a_workbook_replaces_the_live_standard(app, tmp_path):
    std = _standard("GB 6566")
    ind = next(i for i in std["editions"][0]["indicators"] if i["id"] == RADIUM)
    ind["limit"] = "≤0.9"
    ind["unverified"] = ["value"]
    path = _book(tmp_path, std)
    with app.app_context():
        total = db.session.execute(select(func.count()).select_from(Indicator)).scalar()
        result = catalog.import_workbook(path, source="test workbook")
        db.session.commit()
        assert result["report"]["standards"] == ["GB 6566"] and result["report"]["rejected"] == []
        assert all(r["status"] == "ok" for r in result["report"]["rows"])
        assert result["summary"]["indicator"]["changed"] == 1
        assert result["summary"]["indicator"]["removed"] == 0 and result["summary"]["ruleset_created"]
        row = db.session.get(Indicator, RADIUM)
        assert row.data["limit"] == "≤0.9" and row.confirmed is False and row.version == 2
        assert catalog.current_catalog().indicator(RADIUM).limit == "≤0.9"
        assert db.session.execute(select(func.count()).select_from(Indicator)).scalar() == total
        again = catalog.import_workbook(path, source="test workbook")
        assert again["summary"]["indicator"]["changed"] == 0 and not again["summary"]["ruleset_created"]


def test_bad_rows_are_reported_and_left_out(app, tmp_path):
    path = _book(tmp_path, _standard("GB 6566"), _standard("GB 2626"))
    bad = _set_cell(path, "GB 6566", RADIUM, 5, "其他")            # 类型: not a kind
    with app.app_context():
        result = catalog.import_workbook(path, check_only=True)
        errors = [r for r in result["report"]["rows"] if r["status"] == "error"]
        assert [(r["sheet"], r["row"]) for r in errors] == [("GB 6566", bad)]
        assert "类型应为" in errors[0]["errors"][0]["reason"]
        assert result["summary"] is None
        assert db.session.get(Indicator, RADIUM).version == 1      # check only: nothing written


def test_an_unreadable_file_is_refused_in_the_callers_language(app, tmp_path):
    path = tmp_path / "not.xlsx"
    path.write_text("gtin,name\n", encoding="utf-8")
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as caught:
            catalog.import_workbook(path)
        assert caught.value.key == "error.validation_failed.workbook_unreadable"
        choose_language("en")
        assert caught.value.message.startswith("Not a readable standards workbook")
        choose_language("zh-CN")
        assert caught.value.message.startswith("不是可读取的标准填报表")


def test_a_workbook_with_no_good_standard_is_refused_with_its_report(app, tmp_path):
    path = _book(tmp_path, _standard("GB 6566"))
    book = openpyxl.load_workbook(path)
    for row in book["GB 6566"].iter_rows():
        if row[0].value == "GB 6566-2010" and len(row) > 1 and row[1].value and row[1].value.startswith("GB 6566-2010/"):
            row[1].value = "GB 6566-2010/9.9/" + row[1].value.rsplit("/", 1)[-1]   # a clause the edition lacks
    book.save(path)
    with app.app_context():
        with pytest.raises(ValidationFailed) as caught:
            catalog.import_workbook(path)
        assert caught.value.key == "error.validation_failed.workbook_empty"
        report = caught.value.details
        assert report["standards"] == [] and report["rejected"] == ["GB 6566"]
        assert any(r["status"] == "error" for r in report["rows"])
        assert db.session.get(Indicator, RADIUM).version == 1


def test_a_workbook_conflicting_with_the_live_catalog_is_refused(app, tmp_path):
    std = _standard("GB 6566")
    std["editions"][0]["replaces"] = ["GB 18401-2010"]          # the live GB 18401-2010 is not replaced
    path = _book(tmp_path, std)
    with app.app_context():
        with pytest.raises(ValidationFailed) as caught:
            catalog.import_workbook(path)
        assert caught.value.key == "error.validation_failed.workbook_conflict"
        assert "GB 18401-2010" in caught.value.message and caught.value.details["standards"] == ["GB 6566"]
        assert db.session.get(Indicator, RADIUM).version == 1
