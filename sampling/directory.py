"""Importing the two directories (一单两库) from CSV/XLSX rows, each with a row-by-row report.

    check_enterprise_file(content, filename) -> RowReport   # 检查对象名录库
    check_inspector_file(content, filename) -> RowReport    # 执法检查人员名录库
    check_item_file(content, filename) -> RowReport         # 随机抽查事项清单 (rows: item dicts)

A row is checked column by column; a row with any error is rejected whole, the others
become `Enterprise` / `Inspector` values. Rows repeating a credit code (enterprises) or a
roster code or ID number (inspectors) are all rejected. Lists in a cell (products,
competences, conflicts) are separated by ";" (also "；", ",", "，", "、", new lines).
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from codes import CodeError, gtin14, validate_credit_code
from sampling.model import FIELDS, RISK_ALIASES, RISK_CLASSES, Enterprise, Inspector
from sampling.tables import CheckedRow, RowError, RowReport, map_rows, read_cells, reject_duplicates

_SPLIT = re.compile(r"[;；,，、\n]+")
_DIVISION = re.compile(r"^\d{6}$")
_INDUSTRY = re.compile(r"^[A-T](\d{2}(\d{1,2})?)?$")   # GB/T 4754-2017: section letter + division/group/class
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_TEXT = 200

ENTERPRISE_COLUMNS = {
    "credit_code": ("credit_code", "统一社会信用代码", "信用代码"),
    "name": ("name", "企业名称", "名称", "检查对象名称"),
    "address": ("address", "地址", "住所", "经营场所"),
    "jurisdiction": ("jurisdiction", "辖区", "行政区划代码", "区划代码", "管辖机关区划"),
    "industry": ("industry", "行业", "行业代码", "国民经济行业"),
    "risk_class": ("risk_class", "信用风险分类", "风险分类", "风险等级"),
    "products": ("products", "商品条码", "产品", "gtin"),
}
ENTERPRISE_REQUIRED = ("credit_code", "name", "jurisdiction", "industry", "risk_class")
ENTERPRISE_LABELS = {"credit_code": "统一社会信用代码", "name": "企业名称", "address": "地址",
                     "jurisdiction": "辖区", "industry": "行业", "risk_class": "信用风险分类", "products": "商品条码"}

INSPECTOR_COLUMNS = {
    "code": ("code", "执法证号", "人员编号", "编号"),
    "name": ("name", "姓名"),
    "id_number": ("id_number", "身份证号", "公民身份号码", "身份证号码"),
    "jurisdiction": ("jurisdiction", "辖区", "所属辖区", "行政区划代码"),
    "competences": ("competences", "执法领域", "专业领域", "业务专长"),
    "conflicts": ("conflicts", "回避企业", "利害关系企业", "回避"),
    "account": ("account", "username", "登录账号", "系统账号"),
}
INSPECTOR_REQUIRED = ("code", "name", "id_number", "jurisdiction", "competences")
INSPECTOR_LABELS = {"code": "执法证号", "name": "姓名", "id_number": "身份证号", "jurisdiction": "辖区",
                    "competences": "执法领域", "conflicts": "回避企业", "account": "登录账号"}
_FIELD_ALIASES = {**{k: k for k in FIELDS}, **{v: k for k, v in FIELDS.items()},
                  "纺织": "textile", "饮用水": "water", "建材": "building-material", "食品接触": "food-contact",
                  "现场": "site"}


def _split(cell: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(cell or "") if p.strip()]


def _text(row: CheckedRow, values: Mapping[str, str], column: str, label: str) -> str:
    value = values.get(column, "")
    if not value:
        row.errors.append(RowError(column, f"缺少{label} ({column} is required)"))
    elif len(value) > MAX_TEXT:
        row.errors.append(RowError(column, f"{label}过长：{len(value)} 字，最多 {MAX_TEXT} 字 ({column} too long)"))
    return value


def _division(row: CheckedRow, value: str, known: Collection[str] | None) -> str:
    if not _DIVISION.match(value):
        row.errors.append(RowError("jurisdiction", f"辖区应为6位行政区划代码，如 110105：{value!r} "
                                                   f"(a 6-digit division code)"))
    elif known is not None and value not in known:
        row.errors.append(RowError("jurisdiction", f"系统中没有该行政区划：{value}，请先用 gbfield jurisdictions 添加 "
                                                   f"(unknown division)"))
    return value


def check_enterprise_row(number: int, raw: Mapping[str, str], *,
                         jurisdictions: Collection[str] | None = None) -> CheckedRow:
    """Check one 检查对象名录库 row; the CheckedRow holds an Enterprise or the errors."""
    row = CheckedRow(row=number, raw=dict(raw))
    values = {k: (v or "").strip() for k, v in raw.items()}
    credit = values.get("credit_code", "")
    if not credit:
        row.errors.append(RowError("credit_code", "缺少统一社会信用代码 (credit code is required)"))
    else:
        try:
            credit = validate_credit_code(credit)
        except CodeError as exc:
            row.errors.append(RowError("credit_code", exc.message))
    name = _text(row, values, "name", "企业名称")
    address = values.get("address", "")
    if len(address) > MAX_TEXT:
        row.errors.append(RowError("address", f"地址过长：最多 {MAX_TEXT} 字 (address too long)"))
    division = _division(row, values.get("jurisdiction", ""), jurisdictions)
    industry = values.get("industry", "").upper()
    if not _INDUSTRY.match(industry):
        row.errors.append(RowError("industry", f"行业应为国民经济行业分类代码（GB/T 4754-2017），如 C18 或 C1811："
                                               f"{values.get('industry', '')!r} (an industry code such as C18)"))
    risk_text = values.get("risk_class", "").upper().removesuffix("类")
    risk = risk_text if risk_text in RISK_CLASSES else RISK_ALIASES.get(values.get("risk_class", ""))
    if risk is None:
        row.errors.append(RowError("risk_class", f"信用风险分类应为 A、B、C、D（低、一般、较高、高）："
                                                 f"{values.get('risk_class', '')!r} (risk class A–D)"))
    products = []
    for part in _split(values.get("products", "")):
        try:
            products.append(gtin14(part))
        except CodeError as exc:
            row.errors.append(RowError("products", exc.message))
    if not row.errors:
        row.value = Enterprise(credit_code=credit, name=name, address=address, jurisdiction=division,
                               industry=industry, risk_class=risk, products=tuple(dict.fromkeys(products)))
    return row


def check_inspector_row(number: int, raw: Mapping[str, str], *,
                        jurisdictions: Collection[str] | None = None) -> CheckedRow:
    """Check one 执法检查人员名录库 row; the CheckedRow holds an Inspector or the errors."""
    row = CheckedRow(row=number, raw=dict(raw))
    values = {k: (v or "").strip() for k, v in raw.items()}
    code = values.get("code", "")
    if not _CODE.match(code):
        row.errors.append(RowError("code", f"执法证号只能含字母、数字、-、_，最多32位：{code!r} "
                                           f"(roster code: letters, digits, - and _)"))
    name = _text(row, values, "name", "姓名")
    id_number = values.get("id_number", "").upper()
    try:
        id_number = ric.validate(id_number)
    except ValidationError:
        row.errors.append(RowError("id_number", f"身份证号无效（18位，含出生日期与校验码，GB 11643-1999）："
                                                f"{values.get('id_number', '')!r} (invalid resident ID number)"))
    division = _division(row, values.get("jurisdiction", ""), jurisdictions)
    competences = []
    for part in _split(values.get("competences", "")):
        field = _FIELD_ALIASES.get(part.lower(), _FIELD_ALIASES.get(part))
        if field is None:
            row.errors.append(RowError("competences", f"未知执法领域：{part}（可选：{'、'.join(FIELDS.values())}） "
                                                      f"(unknown field; one of {', '.join(FIELDS)})"))
        else:
            competences.append(field)
    if not competences and not any(e.column == "competences" for e in row.errors):
        row.errors.append(RowError("competences", "至少填写一个执法领域 (at least one field of competence)"))
    conflicts = []
    for part in _split(values.get("conflicts", "")):
        try:
            conflicts.append(validate_credit_code(part))
        except CodeError as exc:
            row.errors.append(RowError("conflicts", f"回避企业应写统一社会信用代码：{exc.message}"))
    account = values.get("account", "") or None
    if account and not _CODE.match(account):
        row.errors.append(RowError("account", f"登录账号只能含字母、数字、-、_：{account!r} (account name)"))
    if not row.errors:
        row.value = Inspector(code=code, name=name, id_number=id_number, jurisdiction=division,
                              competences=tuple(dict.fromkeys(competences)),
                              conflicts=tuple(dict.fromkeys(conflicts)), account=account)
    return row


def _key(row: CheckedRow, column: str) -> str | None:
    return (row.raw.get(column) or "").strip().upper().replace(" ", "") or None


def check_enterprise_file(content: bytes, filename: str = "", *,
                          jurisdictions: Collection[str] | None = None) -> RowReport:
    """Read and check a 检查对象名录库 file; raises TableError when it cannot be read at all."""
    rows, ignored = map_rows(read_cells(content, filename), ENTERPRISE_COLUMNS, ENTERPRISE_REQUIRED,
                             ENTERPRISE_LABELS)
    checked = [check_enterprise_row(n, raw, jurisdictions=jurisdictions) for n, raw in rows]
    reject_duplicates(checked, lambda r: _key(r, "credit_code"), "credit_code", "统一社会信用代码")
    return RowReport(checked, ENTERPRISE_LABELS, ignored)


def check_inspector_file(content: bytes, filename: str = "", *,
                         jurisdictions: Collection[str] | None = None) -> RowReport:
    """Read and check a 执法检查人员名录库 file; raises TableError when it cannot be read at all."""
    rows, ignored = map_rows(read_cells(content, filename), INSPECTOR_COLUMNS, INSPECTOR_REQUIRED,
                             INSPECTOR_LABELS)
    checked = [check_inspector_row(n, raw, jurisdictions=jurisdictions) for n, raw in rows]
    reject_duplicates(checked, lambda r: _key(r, "code"), "code", "执法证号")
    reject_duplicates(checked, lambda r: _key(r, "id_number"), "id_number", "身份证号")
    return RowReport(checked, INSPECTOR_LABELS, ignored)


ITEM_COLUMNS = {
    "id": ("id", "事项编号", "编号"),
    "name": ("name", "事项名称", "抽查事项"),
    "competence": ("competence", "执法领域", "专业领域"),
    "legal_basis": ("legal_basis", "法律依据", "依据"),
    "category": ("category", "产品类别", "类别"),
    "standards": ("standards", "标准", "依据标准"),
    "indicators": ("indicators", "检验项目", "指标"),
}
ITEM_REQUIRED = ("id", "name", "competence", "legal_basis")
ITEM_LABELS = {"id": "事项编号", "name": "事项名称", "competence": "执法领域", "legal_basis": "法律依据",
               "category": "产品类别", "standards": "标准", "indicators": "检验项目"}


def check_item_file(content: bytes, filename: str = "") -> RowReport:
    """Read and check a 随机抽查事项清单 file (rows become `sampling.Item` dicts); raises
    TableError when it cannot be read at all."""
    rows, ignored = map_rows(read_cells(content, filename), ITEM_COLUMNS, ITEM_REQUIRED, ITEM_LABELS)
    checked = []
    for number, raw in rows:
        row = CheckedRow(number, raw)
        for column in ITEM_REQUIRED:
            if not raw.get(column):
                row.errors.append(RowError(column, "必填 (required)"))
        if raw.get("competence") and raw["competence"] not in FIELDS:
            row.errors.append(RowError("competence", f"未知执法领域 {raw['competence']}（可选：{', '.join(FIELDS)}）"
                                                     f" (unknown competence)"))
        if not row.errors:
            row.value = {"id": raw["id"], "name": raw["name"], "competence": raw["competence"],
                         "legal_basis": raw["legal_basis"], "category": raw.get("category") or None,
                         "standards": _split(raw.get("standards", "")),
                         "indicators": _split(raw.get("indicators", ""))}
        checked.append(row)
    reject_duplicates(checked, lambda r: (r.raw.get("id") or "").strip() or None, "id", "事项编号")
    return RowReport(checked, ITEM_LABELS, ignored)
