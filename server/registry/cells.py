"""One cell of a registry row: the GTIN, the 统一社会信用代码 and the `standards` cell
checked against the standards catalog, and the wording of their problems (`RowError`:
the message `error.validation_failed.<variant>` with its parameters; `gtin_problem`,
`credit_code_problem`). Rows and CSV files are in `server.registry.rows`.

The `standards` cell lists entries separated by ";" (also "；", "," "，" "、"); each is a
standard number with an optional "@category" (the standard's own category id) and
":class" (A/B/C), e.g. `GB 18401@infant:A; GB 31701`, `GB 17761-2024@lead-acid`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assets.messages import text
from codes import CodeError, CreditCodeError, gtin14, parse_standard_number, validate_credit_code
from codes.errors import CheckDigitError
from rules.catalog import Catalog, Edition, Standard
from rules.errors import RulesError
from server.kernel.errors import ServerError

#: column -> the label an administrator reads beside its problem
COLUMN_LABELS = {"gtin": "商品条码", "name": "商品名称", "kind": "品类", "category": "适用范围",
                 "product_class": "安全类别", "company_name": "企业名称", "credit_code": "统一社会信用代码",
                 "standards": "执行标准"}
_SPLIT = re.compile(r"[;；,，、\n]+")
_CATEGORY = re.compile(r"@\s*([A-Za-z0-9_-]+)")
_CLASS = re.compile(r"[:：]\s*([A-Za-z0-9]+)\s*类?")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


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


def check_gtin(value: str) -> str:
    """Return the GTIN-14 of a `gtin` cell; raises CellRefused (empty, written as a
    spreadsheet's scientific number, or what gtin_problem names)."""
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
