"""CSV import: a row-by-row report, valid rows applied, idempotent re-import, changes emitted."""
from __future__ import annotations

import pytest
from registry_kit import BABY, EBIKE
from sqlalchemy import func, select

from server.kernel.changes import Change
from server.kernel.errors import ValidationFailed
from server.kernel.extensions import db
from server.registry.models import Product
from server.registry.service import import_csv

HEADER = "gtin,name,category,product_class,company_name,credit_code,standards\n"
GOOD = "6950123000187,E1级胶合板,wood-panel,,山东示例木业有限公司,91371300MA3C8R2L1T,GB 18580\n"


def _product_changes() -> int:
    return db.session.execute(select(func.count()).select_from(Change).where(Change.entity == "product")).scalar()


def test_demo_file_is_all_accepted(reg_app):
    with reg_app.app_context():
        rows = db.session.execute(select(Product).where(Product.deleted_at.is_(None))).scalars().all()
        by_gtin = {r.gtin: r.data for r in rows}
    assert len(by_gtin) == 11
    baby = by_gtin[BABY]
    assert baby["standards"] == [
        {"standard": "GB 18401", "edition": None, "category": "infant", "classes": ["A"]},
        {"standard": "GB 31701", "edition": None, "category": "infant", "classes": ["A"]}]
    assert by_gtin[EBIKE]["standards"][0]["category"] == "other-battery"
    assert baby["credit_code"] == "91110105MA01ABCD00"


@pytest.mark.parametrize("row, column, reason", [
    ("6901234567893,连体衣,infant,A,某公司,91110105MA01ABCD00,GB 18401", "gtin", "校验位错误：应为 2，实为 3"),
    ("6901234567892,连体衣,infant,A,某公司,91110105MA01ABCD01,GB 18401", "credit_code", "校验码错误：应为 0，实为 1"),
    ("6901234567892,连体衣,infant,A,某公司,9111010,GB 18401", "credit_code", "应为18位"),
    ("6901234567892,连体衣,infant,A,某公司,,GB 9999", "standards", "标准库中没有该标准：GB 9999"),
    ("6901234567892,连体衣,infant,A,某公司,,GB 18401-2099", "standards", "标准库中没有该版本"),
    ("6901234567892,连体衣,,D,某公司,,GB 18401", "product_class", "GB 18401 没有 D 类"),
    ("6901234567892,连体衣,,,某公司,,GB 18401:E", "standards", "GB 18401 没有 E 类"),
    ("6920000000012,电动车,,A,某公司,,GB 17761", "product_class", "安全类别 A 不适用"),
    ("6920000000012,电动车,,,某公司,,GB 17761@scooter", "standards", "没有适用范围 'scooter'"),
    ("6901234567892,连体衣,infant,B,某公司,,GB 18401", "product_class", "至少应符合 A 类"),
    ("6901234567892,,infant,A,某公司,,GB 18401", "name", "缺少商品名称"),
    ("6901234567892,连体衣,infant,A,某公司,,", "standards", "缺少执行标准"),
    ("6.90123E+12,连体衣,infant,A,某公司,,GB 18401", "gtin", "科学计数法"),
    (",连体衣,infant,A,某公司,,GB 18401", "gtin", "缺少商品条码"),
])
def test_bad_row_is_rejected_with_row_column_reason(reg_app, row, column, reason):
    with reg_app.app_context():
        report = import_csv(None, HEADER + GOOD + row + "\n")
    assert report["rejected"] == 1 and report["accepted"] == 1
    rejection = report["rejections"][0]
    assert rejection["row"] == 3
    assert any(e["column"] == column and reason in e["reason"] for e in rejection["errors"]), rejection


def test_duplicate_gtin_rows_are_all_rejected(reg_app):
    text = HEADER + GOOD + "6965432100077,盒A,general,,,,GB 4806.7\n" + GOOD.replace("E1级胶合板", "x") \
        .replace("6950123000187", "6965432100077")
    with reg_app.app_context():
        report = import_csv(None, text)
    assert report["accepted"] == 1
    assert [r["row"] for r in report["rejections"]] == [3, 4]
    assert all("第 3、4 行重复" in r["errors"][0]["reason"] for r in report["rejections"])


def test_reimport_changes_nothing_and_a_changed_row_emits_one_change(reg_app):
    from assets.registry import DEMO_CSV

    content = DEMO_CSV.read_bytes()
    with reg_app.app_context():
        before = _product_changes()
        version = db.session.get(Product, BABY).version
        report = import_csv(None, content)
        db.session.commit()
        assert (report["unchanged"], report["added"], report["changed"]) == (11, 0, 0)
        assert _product_changes() == before
        edited = content.decode("utf-8").replace("婴儿纯棉连体衣 59cm", "婴儿纯棉连体衣 66cm")
        report = import_csv(None, edited.encode("utf-8"))
        db.session.commit()
        assert (report["changed"], report["unchanged"]) == (1, 10)
        assert _product_changes() == before + 1
        row = db.session.get(Product, BABY)
        assert row.version == version + 1 and row.name == "婴儿纯棉连体衣 66cm"
        last = db.session.execute(select(Change).order_by(Change.seq.desc())).scalars().first()
        assert (last.entity, last.entity_id, last.version, last.data["name"]) == ("product", BABY, version + 1, "婴儿纯棉连体衣 66cm")


def test_gb18030_file_with_chinese_headers(reg_app):
    text = "商品条码,商品名称,适用范围,企业名称,统一社会信用代码,执行标准,备注\n" \
           "6965432100077,保鲜盒,general,广东示例塑料制品有限公司,91440606MA4W1N7Q26,GB 4806.7,x\n"
    with reg_app.app_context():
        report = import_csv(None, text.encode("gb18030"))
    assert report["accepted"] == 1 and report["ignored_columns"] == ["备注"]


def test_dry_run_writes_nothing(reg_app):
    with reg_app.app_context():
        before = _product_changes()
        report = import_csv(None, HEADER + GOOD.replace("E1级胶合板", "新名字"), dry_run=True)
        db.session.rollback()
        assert report["products"][0]["result"] == "checked"
        assert _product_changes() == before
        assert db.session.get(Product, "06950123000187").name != "新名字"


@pytest.mark.parametrize("text, reason", [
    ("", "为空"),
    ("gtin,name\n6901234567892,x\n", "缺少必需的列：standards"),
])
def test_unusable_file_is_a_validation_error(reg_app, text, reason):
    with reg_app.app_context(), pytest.raises(ValidationFailed, match=reason):
        import_csv(None, text)
