"""Reading and checking registry rows (CSV or JSON) against the standards catalog: the
CSV file (its encoding, its header's column names) and a row as a whole (every column,
duplicate GTINs across rows). One cell's checks and the wording of their problems are in
`server.registry.cells`.

A row is checked column by column; every problem becomes `RowError(column, variant,
params)`: a message of the catalogue (`error.validation_failed.<variant>`) an administrator
can act on, worded in the reader's language. A row with any error is rejected as a
whole; the others become product records (`data` as devices pull them):

    {"gtin": "06901234567892", "name": "婴儿纯棉连体衣", "kind": "儿童服装",
     "category": "infant", "product_class": "A",
     "company_name": "北京示例婴童服饰有限公司", "credit_code": "91110105MA01ABCD00",
     "standards": [{"standard": "GB 18401", "edition": null, "category": "infant", "classes": ["A"]}, …]}
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assets.messages import text
from codes import CodeError, gtin14
from rules.catalog import Catalog
from server.kernel.csvcells import is_formula
from server.kernel.errors import ServerError
from server.registry.cells import (
    CellRefused,
    RowError,
    check_credit_code,
    check_gtin,
    parse_standards_cell,
)

#: column -> accepted header names (English as written by `gbfield`, Chinese as people write them)
COLUMNS: dict[str, tuple[str, ...]] = {
    "gtin": ("gtin", "商品条码", "条码", "条形码"),
    "name": ("name", "商品名称", "产品名称", "名称"),
    "kind": ("kind", "品类"),
    "category": ("category", "适用范围", "产品范围"),
    "product_class": ("product_class", "class", "安全类别", "类别"),
    "company_name": ("company_name", "company", "企业名称", "生产企业", "生产者"),
    "credit_code": ("credit_code", "统一社会信用代码", "信用代码"),
    "standards": ("standards", "执行标准", "标准"),
}
REQUIRED_COLUMNS = ("gtin", "name", "standards")
MAX_NAME = 200


#: free-text columns: a cell a spreadsheet would run as a formula is refused
TEXT_COLUMNS = ("name", "kind", "category", "company_name", "standards", "product_class")


class HeaderError(ServerError):
    """The CSV file cannot be read: `variant` and `params` name the message
    (`error.validation_failed.<variant>`); str() is its zh-CN text."""

    def __init__(self, variant: str, **params: Any):
        self.variant = variant
        self.params = params
        super().__init__(text(f"error.validation_failed.{variant}", None, **params))


@dataclass
class CheckedRow:
    row: int                      # spreadsheet row number (header = 1)
    raw: dict[str, str]
    data: dict[str, Any] | None = None
    errors: list[RowError] = field(default_factory=list)


def decode_csv(content: bytes | str) -> str:
    """Return the text of a CSV file: UTF-8 (with or without BOM), else GB18030 (what
    Excel on a Chinese Windows saves). Raises HeaderError if neither decodes."""
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise HeaderError("csv_encoding")


def read_csv(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Return ([(row number, {column: value})], ignored header names) of a CSV text.

    Raises HeaderError when the file is empty or a required column is missing.
    """
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise HeaderError("csv_empty")
    aliases = {alias.lower(): column for column, names in COLUMNS.items() for alias in names}
    mapping: dict[int, str] = {}
    ignored = []
    for index, name in enumerate(header):
        column = aliases.get(name.strip().lower())
        if column and column not in mapping.values():
            mapping[index] = column
        elif name.strip():
            ignored.append(name.strip())
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping.values()]
    if missing:
        raise HeaderError("csv_columns", columns=missing)
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((number, {column: (cells[i].strip() if i < len(cells) else "")
                              for i, column in mapping.items()}))
    return rows, ignored


def check_row(row: int, raw: Mapping[str, str], catalog: Catalog) -> CheckedRow:
    """Check one row; return a CheckedRow with `data` (the product record) or `errors`."""
    out = CheckedRow(row=row, raw=dict(raw))
    values = {k: (str(v).strip() if v is not None else "") for k, v in raw.items()}
    for column in TEXT_COLUMNS:
        if is_formula(values.get(column)):
            out.errors.append(RowError(column, "formula_cell", {"start": values[column][:1]}))
    gtin = None
    try:
        gtin = check_gtin(values.get("gtin", ""))
    except CellRefused as exc:
        out.errors.append(RowError("gtin", exc.variant, exc.params))
    name = values.get("name", "")
    if not name:
        out.errors.append(RowError("name", "name_required"))
    elif len(name) > MAX_NAME:
        out.errors.append(RowError("name", "name_too_long", {"length": len(name), "limit": MAX_NAME}))
    credit = values.get("credit_code", "")
    if credit:
        try:
            credit = check_credit_code(credit)
        except CellRefused as exc:
            out.errors.append(RowError("credit_code", exc.variant, exc.params))
    company = values.get("company_name", "")
    if credit and not company:
        out.errors.append(RowError("company_name", "company_required"))
    if len(company) > MAX_NAME:
        out.errors.append(RowError("company_name", "company_too_long", {"limit": MAX_NAME}))
    category = values.get("category") or None
    product_class = (values.get("product_class") or "").upper().removesuffix("类") or None
    standards, errors = parse_standards_cell(values.get("standards", ""), catalog,
                                             category=category, product_class=product_class)
    out.errors.extend(errors)
    if not out.errors:
        out.data = {"gtin": gtin, "name": name, "kind": values.get("kind") or None,
                    "category": category, "product_class": product_class,
                    "company_name": company or None, "credit_code": credit or None,
                    "standards": standards}
    return out


def check_rows(rows: Iterable[tuple[int, Mapping[str, str]]], catalog: Catalog) -> list[CheckedRow]:
    """Check every row, then reject every row of a GTIN that appears on several rows
    (which one is right cannot be told). Returns the rows in input order."""
    checked = [check_row(n, raw, catalog) for n, raw in rows]
    by_gtin: dict[str, list[CheckedRow]] = {}
    for item in checked:
        key = item.data["gtin"] if item.data else _gtin_or_none(item.raw.get("gtin", ""))
        if key:
            by_gtin.setdefault(key, []).append(item)
    for gtin, items in by_gtin.items():
        if len(items) < 2:
            continue
        for item in items:
            item.errors.append(RowError("gtin", "duplicate_gtin", {"gtin": gtin, "rows": [i.row for i in items]}))
            item.data = None
    return checked


def _gtin_or_none(value: str) -> str | None:
    try:
        return gtin14(value.strip())
    except (CodeError, AttributeError):
        return None
