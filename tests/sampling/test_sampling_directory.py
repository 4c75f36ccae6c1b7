"""Importing the enterprise directory and the inspector roster from CSV and XLSX: every row
gets a verdict, bad rows say why in Chinese, good rows are never lost to a bad one."""
from __future__ import annotations

import io

import openpyxl
import pytest
from conftest import credit_code
from stdnum.cn import ric

from sampling import TableError, check_enterprise_file, check_inspector_file

GOOD = credit_code(1)
WRONG_CHECK = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
ID_BODY = "11010519491231002"
ID_NUMBER = ID_BODY + ric.calc_check_digit(ID_BODY + "0")
HEADER = "统一社会信用代码,企业名称,地址,辖区,行业,信用风险分类,商品条码\n"


def _csv(rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + rows).encode(encoding)


def test_good_rows_become_enterprises():
    report = check_enterprise_file(_csv(f"{GOOD},北京示例婴童服饰有限公司,朝阳区某路1号,110105,c1811,高风险,"
                                        f"6901234567892;06901234567892\n"))
    assert report.to_dict()["accepted"] == 1
    e = report.accepted[0]
    assert (e.credit_code, e.industry, e.risk_class, e.products) == (GOOD, "C1811", "D", ("06901234567892",))


@pytest.mark.parametrize("row, column, reason", [
    (f"{WRONG_CHECK},甲,,110105,C18,A,", "credit_code", f"应为 {GOOD[17]}"),
    ("91110105MA0000,甲,,110105,C18,A,", "credit_code", "18位"),
    ("91110105MA000001IO,甲,,110105,C18,A,", "credit_code", "不允许的字符"),
    (",甲,,110105,C18,A,", "credit_code", "缺少"),
    (f"{GOOD},,,110105,C18,A,", "name", "缺少企业名称"),
    (f"{GOOD},甲,,朝阳区,C18,A,", "jurisdiction", "6位"),
    (f"{GOOD},甲,,110105,18,A,", "industry", "GB/T 4754"),
    (f"{GOOD},甲,,110105,C18,E,", "risk_class", "A、B、C、D"),
    (f"{GOOD},甲,,110105,C18,A,6901234567893", "products", "校验"),
    (f"{GOOD},{'长' * 201},,110105,C18,A,", "name", "过长"),
])
def test_bad_enterprise_rows_say_why(row, column, reason):
    report = check_enterprise_file(_csv(row + "\n" + f"{credit_code(2)},乙,,110105,C18,B,\n"))
    data = report.to_dict()
    assert (data["accepted"], data["rejected"]) == (1, 1)
    bad = data["rows"][0]
    assert bad["row"] == 2 and bad["status"] == "rejected"
    assert any(e["column"] == column and reason in e["reason"] for e in bad["errors"]), bad["errors"]
    assert report.lines()[0].startswith("第 2 行")


def test_unknown_division_is_refused_when_the_tree_is_given():
    report = check_enterprise_file(_csv(f"{GOOD},甲,,110199,C18,A,\n"), jurisdictions={"110105"})
    assert "gbfield jurisdictions" in report.rejected[0].errors[0].reason


def test_repeated_credit_code_rejects_every_copy():
    report = check_enterprise_file(_csv(f"{GOOD},甲,,110105,C18,A,\n{GOOD.lower()},乙,,110105,C18,A,\n"
                                        f"{credit_code(3)},丙,,110105,C18,A,\n"))
    assert [r["status"] for r in report.to_dict()["rows"]] == ["rejected", "rejected", "accepted"]
    assert "第 2、3 行" in report.rejected[0].errors[0].reason


def test_gb18030_csv_and_english_headers():
    header = "credit_code,name,jurisdiction,industry,risk_class,remark\n"
    report = check_enterprise_file(_csv(f"{GOOD},北京示例有限公司,110105,C18,A,备注\n", header, "gb18030"))
    assert report.accepted[0].name == "北京示例有限公司"
    assert report.ignored_columns == ["remark"]


def test_xlsx_with_numeric_cells():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "企业名称", "辖区", "行业", "信用风险分类", "商品条码"])
    sheet.append([GOOD, "北京示例有限公司", 110105, "C18", "B", 6901234567892])
    sheet.append([None, None, None, None, None, None])
    sheet.append([WRONG_CHECK, "错码公司", 110105, "C18", "B", None])
    buffer = io.BytesIO()
    book.save(buffer)
    report = check_enterprise_file(buffer.getvalue(), "名录库.xlsx")
    data = report.to_dict()
    assert (data["accepted"], data["rejected"]) == (1, 1)
    assert report.accepted[0].jurisdiction == "110105" and report.accepted[0].products == ("06901234567892",)
    assert data["rows"][1]["row"] == 4


@pytest.mark.parametrize("content, filename, message", [
    (b"", "a.csv", "为空"),
    ("企业名称,辖区\n甲,110105\n".encode(), "a.csv", "统一社会信用代码"),
    (b"\xff\xfe\x00\x00\xff", "a.csv", "编码"),
    (b"PK\x03\x04not a zip", "a.xlsx", "XLSX"),
])
def test_unreadable_files(content, filename, message):
    with pytest.raises(TableError, match=message):
        check_enterprise_file(content, filename)


ROSTER_HEADER = "执法证号,姓名,身份证号,辖区,执法领域,回避企业,登录账号\n"


def test_good_inspector_row():
    report = check_inspector_file((ROSTER_HEADER + f"JC001,王小明,{ID_NUMBER},110105,纺织品；食品,{GOOD},"
                                                   f"insp_chaoyang\n").encode())
    i = report.accepted[0]
    assert (i.code, i.competences, i.conflicts, i.id_number, i.account) == \
        ("JC001", ("textile", "food"), (GOOD,), ID_NUMBER, "insp_chaoyang")
    assert "insp_chaoyang" not in str(i.snapshot())


@pytest.mark.parametrize("row, column, reason", [
    (f"JC 1,王,{ID_NUMBER},110105,textile,", "code", "字母"),
    (f"JC001,王,{ID_BODY}0,110105,textile,", "id_number", "身份证号无效") if ric.calc_check_digit(ID_BODY + "0") != "0"
    else (f"JC001,王,{ID_BODY}1,110105,textile,", "id_number", "身份证号无效"),
    ("JC001,王,110105194913310021,110105,textile,", "id_number", "身份证号无效"),
    (f"JC001,王,{ID_NUMBER},110105,木工,", "competences", "未知执法领域"),
    (f"JC001,王,{ID_NUMBER},110105,,", "competences", "至少"),
    (f"JC001,王,{ID_NUMBER},110105,textile,{WRONG_CHECK}", "conflicts", "回避企业"),
    (f"JC001,王,{ID_NUMBER},110105,textile,,张 三", "account", "登录账号"),
])
def test_bad_inspector_rows_say_why(row, column, reason):
    report = check_inspector_file((ROSTER_HEADER + row + "\n").encode())
    errors = report.rejected[0].errors
    assert any(e.column == column and reason in e.reason for e in errors), errors


def test_repeated_roster_code_or_id_number():
    other_body = "11010519800101001"
    other = other_body + ric.calc_check_digit(other_body + "0")
    report = check_inspector_file((ROSTER_HEADER + f"JC001,甲,{ID_NUMBER},110105,textile,\n"
                                   f"JC001,乙,{other},110105,textile,\n"
                                   f"JC003,丙,{ID_NUMBER},110105,textile,\n").encode())
    assert report.to_dict()["accepted"] == 0
