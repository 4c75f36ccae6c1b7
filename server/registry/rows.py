"""Reading and checking registry rows (CSV or JSON) against the standards catalog.

A row is checked column by column; every problem becomes `RowError(column, variant,
params)`: a message of the catalogue (`error.validation_failed.<variant>`) an administrator
can act on, worded in the reader's language. A row with any error is rejected as a
whole; the others become product records (`data` as devices pull them):

    {"gtin": "06901234567892", "name": "婴儿纯棉连体衣", "kind": "儿童服装",
     "category": "infant", "product_class": "A",
     "company_name": "北京示例婴童服饰有限公司", "credit_code": "91110105MA01ABCD00",
     "standards": [{"standard": "GB 18401", "edition": null, "category": "infant", "classes": ["A"]}, …]}

The `standards` cell lists entries separated by ";" (also "；", "," "，" "、"); each is a
standard number with an optional "@category" (the standard's own category id) and
":class" (A/B/C), e.g. `GB 18401@infant:A; GB 31701`, `GB 17761-2024@lead-acid`.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assets.messages import text
from codes import CodeError, CreditCodeError, gtin14, parse_standard_number, validate_credit_code
from codes.errors import CheckDigitError
from rules.catalog import Catalog, Edition, Standard
from rules.errors import RulesError
from server.kernel.csvcells import is_formula
from server.kernel.errors import ServerError

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
COLUMN_LABELS = {"gtin": "商品条码", "name": "商品名称", "kind": "品类", "category": "适用范围",
                 "product_class": "安全类别", "company_name": "企业名称", "credit_code": "统一社会信用代码",
                 "standards": "执行标准"}
MAX_NAME = 200
_SPLIT = re.compile(r"[;；,，、\n]+")
_CATEGORY = re.compile(r"@\s*([A-Za-z0-9_-]+)")
_CLASS = re.compile(r"[:：]\s*([A-Za-z0-9]+)\s*类?")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


#: free-text columns: a cell a spreadsheet would run as a formula is refused
TEXT_COLUMNS = ("name", "kind", "category", "company_name", "standards", "product_class")


class HeaderError(ServerError):
    """The CSV file cannot be read: `variant` and `params` name the message
    (`error.validation_failed.<variant>`); str() is its zh-CN text."""

    def __init__(self, variant: str, **params: Any):
        self.variant = variant
        self.params = params
        super().__init__(text(f"error.validation_failed.{variant}", None, **params))


@dataclass(frozen=True)
class RowError:
    """A problem of one column: the message `error.validation_failed.<variant>` with `params`."""

    column: str
    variant: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def reason(self, language: str | None = None) -> str:
        """Return the reason in `language` (zh-CN when None)."""
        return text(f"error.validation_failed.{self.variant}", language, **self.params)

    def to_dict(self, language: str | None = None) -> dict[str, str]:
        """Return {column, column_label, reason}, the reason in `language` (zh-CN when None)."""
        return {"column": self.column, "column_label": COLUMN_LABELS.get(self.column, self.column),
                "reason": self.reason(language)}


def gtin_problem(exc: CodeError, value: str) -> tuple[str, dict[str, Any]]:
    """Return the (variant, params) of the message for a GTIN `value` that codes.gtin14
    refused with `exc`: a wrong check digit, a character that is not a digit, or a wrong
    length. Raises nothing."""
    text_value = value.strip()
    if isinstance(exc, CheckDigitError):
        return "gtin_check_digit", {"expected": exc.expected, "actual": exc.actual, "value": text_value}
    if exc.position is not None:
        return "gtin_digits", {"position": exc.position + 1,
                               "char": repr(text_value[exc.position:exc.position + 1]), "value": text_value}
    return "gtin_length", {"length": len(text_value), "value": text_value}


def credit_code_problem(exc: CreditCodeError, value: str) -> tuple[str, dict[str, Any]]:
    """Return the (variant, params) of the message for a 统一社会信用代码 `value` that
    codes.validate_credit_code refused with `exc`. Raises nothing."""
    code = value.strip().upper().replace(" ", "")
    if exc.expected is not None:
        return "credit_code_check", {"expected": exc.expected, "actual": code[17:18], "value": value}
    if len(code) != 18:
        return "credit_code_length", {"length": len(code), "value": value}
    return "credit_code_characters", {"value": value}


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


class CellRefused(ServerError):
    """A cell that cannot be used: the RowError variant and its params."""

    def __init__(self, variant: str, **params: Any):
        super().__init__(variant)
        self.variant = variant
        self.params = params


def check_credit_code(value: str) -> str:
    """Return the normalised 统一社会信用代码 (GB 32100-2015); raises CellRefused naming the
    length, characters, or the check character expected."""
    try:
        return validate_credit_code(value)
    except CreditCodeError as exc:
        variant, params = credit_code_problem(exc, value)
        raise CellRefused(variant, **params) from exc


def _check_gtin(value: str) -> str:
    if not value:
        raise CellRefused("gtin_required")
    if _SCIENTIFIC.match(value):
        raise CellRefused("gtin_scientific", value=value)
    try:
        return gtin14(value)
    except CodeError as exc:
        variant, params = gtin_problem(exc, value)
        raise CellRefused(variant, **params) from exc


def _categories(std: Standard, edition: Edition | None) -> dict[str, str]:
    editions = (edition,) if edition else std.editions
    return {c.id: c.name for e in editions for c in e.categories}


def _classes(std: Standard, edition: Edition | None) -> list[str]:
    editions = (edition,) if edition else std.editions
    return list(dict.fromkeys(c.id for e in editions for c in e.classes))


def _required_class(std: Standard, edition: Edition | None, category: str | None) -> str | None:
    for e in ((edition,) if edition else std.editions):
        found = e.category(category) if category else None
        if found and found.required_class:
            return found.required_class
    return None


def parse_standards_cell(cell: str, catalog: Catalog, *, category: str | None,
                         product_class: str | None) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Return (resolved standard entries, errors) for a `standards` cell.

    Each entry is {standard, edition, category, classes}: the category / class written in
    the entry, else the product's when the standard knows it, else the category's
    required class. Errors name the unknown standard, edition, category or class.
    """
    entries, errors = [], []
    seen = set()
    class_used = False
    for part in (p.strip() for p in _SPLIT.split(cell or "")):
        if not part:
            continue
        cat_m, cls_m = _CATEGORY.search(part), _CLASS.search(part)
        number = part
        for m in sorted((m for m in (cat_m, cls_m) if m), key=lambda m: m.start(), reverse=True):
            number = number[:m.start()] + number[m.end():]
        try:
            ref = parse_standard_number(number.strip())
            std = catalog.standard(ref.standard)
            edition = std.edition(ref.edition) if ref.edition else None
        except CodeError:
            errors.append(RowError("standards", "standard_number", {"part": repr(part)}))
            continue
        except RulesError as exc:
            errors.append(_unknown_standard_reason(part, exc, catalog))
            continue
        if std.code in seen:
            errors.append(RowError("standards", "standard_twice", {"standard": std.code}))
            continue
        seen.add(std.code)
        known_categories = _categories(std, edition)
        entry_category = cat_m.group(1) if cat_m else None
        if entry_category and entry_category not in known_categories:
            errors.append(RowError("standards", "unknown_category",
                                   {"standard": std.code, "category": repr(entry_category),
                                    "choices": list(known_categories) or ["—"]}))
            continue
        resolved_category = entry_category or (category if category in known_categories else None)
        known_classes = _classes(std, edition)
        wanted_class = cls_m.group(1).upper() if cls_m else None
        column = "standards"
        if wanted_class is None and product_class and known_classes:
            wanted_class, column = product_class, "product_class"
        if wanted_class is not None:
            if not known_classes:
                errors.append(RowError(column, "no_classes", {"standard": std.code, "wanted": wanted_class}))
                continue
            if wanted_class not in known_classes:
                errors.append(RowError(column, "unknown_class", {"standard": std.code, "wanted": wanted_class,
                                                                 "choices": known_classes}))
                continue
            class_used = True
        required = _required_class(std, edition, resolved_category)
        if wanted_class and required and known_classes.index(wanted_class) > known_classes.index(required):
            name = known_categories.get(resolved_category, resolved_category)
            errors.append(RowError(column, "class_below_required", {"standard": std.code, "category": name,
                                                                    "required": required, "wanted": wanted_class}))
            continue
        classes = [wanted_class] if wanted_class else ([required] if required else [])
        entries.append({"standard": std.code, "edition": edition.id if edition else None,
                        "category": resolved_category, "classes": classes})
    if not entries and not errors:
        errors.append(RowError("standards", "standards_required"))
    if product_class and not class_used and not errors:
        errors.append(RowError("product_class", "class_not_applicable", {"product_class": product_class}))
    return entries, errors


def _unknown_standard_reason(part: str, exc: RulesError, catalog: Catalog) -> RowError:
    suggestions = list(getattr(exc, "suggestions", ()) or ())
    if exc.__class__.__name__ == "UnknownEdition":
        try:
            std = catalog.standard(part.split("-")[0])
            return RowError("standards", "unknown_edition_known",
                            {"part": part, "editions": [e.id for e in std.editions]})
        except RulesError:
            pass
        if suggestions:
            return RowError("standards", "unknown_edition_suggest", {"part": part, "suggestions": suggestions})
        return RowError("standards", "unknown_edition", {"part": part})
    if suggestions:
        return RowError("standards", "unknown_standard_suggest", {"part": part, "suggestions": suggestions})
    return RowError("standards", "unknown_standard", {"part": part})


def check_row(row: int, raw: Mapping[str, str], catalog: Catalog) -> CheckedRow:
    """Check one row; return a CheckedRow with `data` (the product record) or `errors`."""
    out = CheckedRow(row=row, raw=dict(raw))
    values = {k: (str(v).strip() if v is not None else "") for k, v in raw.items()}
    for column in TEXT_COLUMNS:
        if is_formula(values.get(column)):
            out.errors.append(RowError(column, "formula_cell", {"start": values[column][:1]}))
    gtin = None
    try:
        gtin = _check_gtin(values.get("gtin", ""))
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
