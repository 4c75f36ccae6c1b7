"""Typed limits: what a limit written in a standard means, ready to compare against."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rules.errors import ValueParseError
from rules.numbers import normalize_text


def format_decimal(value: Decimal) -> str:
    """Return `value` as plain text without exponent notation ("1E+3" -> "1000")."""
    text = format(value, "f")
    return "0" if text in ("-0",) else text


@dataclass(frozen=True, slots=True)
class Bound:
    """One end of a limit: the value and whether the value itself is allowed."""
    value: Decimal
    inclusive: bool


class Limit:
    """Base of every typed limit; `text` is the limit as written, `unit` its unit or None."""
    __slots__ = ()
    kind = "limit"
    text: str
    unit: str | None

    def describe(self) -> str:  # pragma: no cover - overridden
        """Return a short Chinese description of what is allowed."""
        return self.text


def _describe_bounds(lower: Bound | None, upper: Bound | None, show) -> str:
    if lower and upper:
        lo = "≤" if lower.inclusive else "<"
        hi = "≤" if upper.inclusive else "<"
        return f"{show(lower.value)} {lo} X {hi} {show(upper.value)}"
    if upper:
        return f"X {'≤' if upper.inclusive else '<'} {show(upper.value)}"
    return f"X {'≥' if lower.inclusive else '>'} {show(lower.value)}"


@dataclass(frozen=True, slots=True)
class NumericLimit(Limit):
    """A numeric limit: `lower`/`upper` bounds (None = open), `exponent` of the limit's
    last written digit (used by rounded-value comparison), `kind` one of
    "max" (≤, <), "min" (≥, >), "range" (A~B), "tolerance" (A±a, A +b1/−b2)."""
    text: str
    unit: str | None
    lower: Bound | None
    upper: Bound | None
    exponent: int
    kind: str = "max"

    def describe(self) -> str:
        """Return e.g. "X ≤ 0.5 mg/kg" or "9.9 ≤ X ≤ 10.1"."""
        text = _describe_bounds(self.lower, self.upper, format_decimal)
        return f"{text} {self.unit}" if self.unit else text


# Colour-fastness grades: 1 < 1-2 < 2 < 2-3 < 3 < 3-4 < 4 < 4-5 < 5 (light fastness up to 8).
_GRADE_RE = re.compile(r"\s*(\d)\s*(?:[-~/]\s*(\d))?\s*(?:级)?\s*$")
MAX_GRADE = 8


def grade_rank(text: str) -> Decimal:
    """Return the rank of a grade ("3-4" -> 3.5, "4级" -> 4); raises ValueParseError."""
    plain = normalize_text(text)
    match = _GRADE_RE.match(plain)
    if not match:
        raise ValueParseError(text, 0, '应为等级，如 "4" 或 "3-4" (grade expected)')
    low = int(match.group(1))
    if not 1 <= low <= MAX_GRADE:
        raise ValueParseError(text, match.start(1), "等级超出范围 (grade out of range)")
    if match.group(2) is None:
        return Decimal(low)
    if int(match.group(2)) != low + 1:
        raise ValueParseError(text, match.start(2), "半级应为相邻两级，如 3-4 (half grade must join neighbours)")
    return Decimal(low) + Decimal("0.5")


def grade_text(rank: Decimal) -> str:
    """Return the written form of a grade rank (3.5 -> "3-4", 4 -> "4")."""
    whole = int(rank)
    return f"{whole}-{whole + 1}" if rank != whole else str(whole)


@dataclass(frozen=True, slots=True)
class GradeLimit(Limit):
    """A grade limit such as "≥3-4级": bounds on grade ranks (see grade_rank)."""
    text: str
    unit: str | None
    lower: Bound | None
    upper: Bound | None
    kind = "grade"

    def describe(self) -> str:
        """Return e.g. "等级 ≥ 3-4"."""
        return "等级 " + _describe_bounds(self.lower, self.upper, grade_text).replace("X ", "")


@dataclass(frozen=True, slots=True)
class NotDetectedLimit(Limit):
    """"不得检出": the substance must not be detected; `lod` the detection limit if given."""
    text: str
    unit: str | None
    lod: Decimal | None = None
    kind = "not_detected"

    def describe(self) -> str:
        """Return "不得检出" with the detection limit when known."""
        if self.lod is None:
            return "不得检出"
        return f"不得检出（检出限 {format_decimal(self.lod)}{self.unit or ''}）"


@dataclass(frozen=True, slots=True)
class EnumLimit(Limit):
    """A limit that is a word, e.g. odour "无异味": the entered word must be one of `allowed`."""
    text: str
    unit: str | None
    allowed: tuple[str, ...]
    kind = "enum"

    def describe(self) -> str:
        """Return e.g. "应为：无异味"."""
        return "应为：" + " / ".join(self.allowed)
