"""合规自查清单 from the real catalog: the right editions, classes and indicators, related
standards marked, unknown standards listed; and its PDF, rendered and read back."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

import assets
from server.planning.pdf import checklist_pdf
from server.planning.selfcheck import checklist_for_category, checklist_for_product

ON = date(2026, 3, 1)
ROMPER = {"gtin": "06901234567892", "name": "婴儿纯棉连体衣 59cm", "company_name": "北京示例婴童服饰有限公司",
          "category": "infant", "product_class": "A",
          "standards": [{"standard": "GB 18401", "edition": None, "category": "infant", "classes": ["A"]},
                        {"standard": "GB 31701", "edition": None, "category": "infant", "classes": ["A"]}]}


@pytest.fixture(scope="module")
def catalog():
    return assets.load_catalog()


def test_product_list_has_class_a_limits_of_both_standards(catalog):
    checklist = checklist_for_product(catalog, ROMPER, on=ON)
    assert [s.edition_id for s in checklist.sections] == ["GB 18401-2010", "GB 31701-2015"]
    textile = checklist.sections[0]
    assert textile.product_class == "A" and textile.status == "现行"
    formaldehyde = next(r for r in textile.rows if r.name == "甲醛含量")
    assert (formaldehyde.limit, formaldehyde.unit, formaldehyde.test_method) == ("≤20", "mg/kg", "GB/T 2912.1")
    assert formaldehyde.method == "全数值比较法"
    assert all(not r.classes or "A" in r.classes for r in textile.rows)
    assert {"总铅含量", "总镉含量"} <= {r.name for r in checklist.sections[1].rows}


def test_category_list_keeps_to_its_field(catalog):
    checklist = checklist_for_category(catalog, "textile", "infant", on=ON)
    assert {s.edition_id for s in checklist.sections} == {"GB 18401-2010", "GB 31701-2015"}
    assert checklist.subject["product_class"] is None
    assert checklist.sections[0].product_class == "A"           # the category's required class


def test_edition_follows_the_date(catalog):
    bike = {"name": "电动自行车", "standards": [{"standard": "GB 17761", "category": "other-battery"}]}
    assert checklist_for_product(catalog, bike, on=date(2025, 6, 1)).sections[0].edition_id == "GB 17761-2018"
    assert checklist_for_product(catalog, bike, on=ON).sections[0].edition_id == "GB 17761-2024"


def test_standards_met_together_are_added_and_marked(catalog):
    """GB 31701 says its products must meet GB 18401 too (the catalog's 须同时符合 relation)."""
    product = {"name": "儿童T恤", "standards": [{"standard": "GB 31701", "category": "child-skin-contact"}]}
    checklist = checklist_for_product(catalog, product, on=ON)
    assert [(s.edition_id, s.required_by) for s in checklist.sections] == [("GB 31701-2015", None),
                                                                          ("GB 18401-2010", "GB 31701-2015")]
    assert checklist.sections[1].rows          # GB 18401's indicators are listed


def test_unknown_standard_is_listed_not_raised(catalog):
    checklist = checklist_for_product(catalog, {"name": "x", "standards": [{"standard": "GB 99999"}]}, on=ON)
    assert checklist.sections == [] and checklist.missing == ["GB 99999"]
    assert checklist_pdf(checklist).startswith(b"%PDF")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by scripts/test.sh")
def test_pdf_has_the_chinese_text_and_renders(catalog, tmp_path):
    pdf = checklist_pdf(checklist_for_product(catalog, ROMPER, on=ON))
    path = tmp_path / "selfcheck.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("合规自查清单", "婴儿纯棉连体衣", "GB 18401-2010", "甲醛含量", "GB/T 2912.1", "自查人"):
        assert words in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 10_000
    artifacts = __import__("pathlib").Path("tests/_artifacts")
    artifacts.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "page-1.png", artifacts / "selfcheck-page-1.png")
