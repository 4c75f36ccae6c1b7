"""CSV cells that a spreadsheet would run as formulas (CSV injection, OWASP): a cell
beginning with `=`, `+`, `-`, `@`, a tab or a carriage return. Imports refuse such text
cells (`is_formula`); every CSV the server writes passes its cells through `safe_cell`,
which prefixes them with an apostrophe so the spreadsheet shows them as text."""
from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula(value: Any) -> bool:
    """Return True when `value` is text a spreadsheet would evaluate."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> Any:
    """Return `value` for a CSV cell: formula-like text prefixed with "'", else unchanged."""
    return "'" + value if is_formula(value) else value
