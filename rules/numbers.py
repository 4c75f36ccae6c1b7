"""Measured values and GB/T 8170-2008 §3 rounding (数值修约), in Decimal only.

A measured value enters as text so that "1.050" keeps its digits. It may carry a GB/T 8170
mark `(+)` / `(−)` (the reported value was rounded down / up from the true value), or be a
below-detection-limit result: `<0.01`, `＜0.01`, `ND`, `未检出`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from functools import lru_cache

from rules.errors import IntervalError, ValueParseError

# Enough digits for any measured value; quantize/multiply never lose digits silently.
DECIMAL_CONTEXT = Context(prec=60)

# One-to-one character translation (length never changes, so error positions stay valid):
# full-width ASCII -> ASCII, ideographic space, Unicode minus and dashes, ≦/≧, CJK brackets.
_TRANSLATION = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TRANSLATION.update({
    0x3000: " ", 0x2212: "-", 0x2012: "-", 0x2010: "-", 0x2011: "-", 0xFE63: "-",
    0x2013: "~", 0x2014: "~", 0x301C: "~", 0x223C: "~",
    0x2266: "≤", 0x2267: "≥", 0x2A7D: "≤", 0x2A7E: "≥",
    0x3001: ",", 0xFF0C: ",", 0x3002: ".", 0xFF0E: ".",
    0x3014: "(", 0x3015: ")", 0x3010: "(", 0x3011: ")",
})


def normalize_text(text: str) -> str:
    """Return `text` with full-width digits/punctuation, Unicode minus and ≦/≧ made plain.

    The result has exactly the same length, so a position in it is a position in `text`.
    """
    return text.translate(_TRANSLATION)


@dataclass(frozen=True, slots=True)
class Measured:
    """A measured value as entered.

    text: what was entered; value: the number (None when not detected without a detection
    limit); mark: "+" / "-" (GB/T 8170 (+)/(−)) or None; below_lod: True for "<0.01", "ND",
    "未检出" (then `value` is the detection limit, or None when none was given).
    """
    text: str
    value: Decimal | None
    mark: str | None = None
    below_lod: bool = False

    @property
    def detected(self) -> bool:
        """True when the value is a real measurement, not a below-detection-limit result."""
        return not self.below_lod


_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_MARK_RE = re.compile(r"\s*\(\s*([+-])\s*\)")
_NOT_DETECTED = frozenset({"nd", "n.d.", "未检出", "未检出。", "<lod", "<dl", "低于检出限"})


@lru_cache(maxsize=4096)
def parse_measured(text: str) -> Measured:
    """Return the Measured for `text` ("1.050", "-0.25", "16.50(+)", "<0.01", "ND", "未检出").

    Raises ValueParseError (with 0-based position and reason) for anything else.
    """
    if not isinstance(text, str):
        raise ValueParseError(str(text), 0, "测定值应为文本 (value must be text)")
    plain = normalize_text(text)
    start = len(plain) - len(plain.lstrip())
    stripped = plain.strip()
    if not stripped:
        raise ValueParseError(text, 0, "缺少测定值 (empty value)")
    if stripped.lower() in _NOT_DETECTED:
        return Measured(text, None, None, True)
    pos = start
    below = False
    if plain[pos] == "<":
        below = True
        pos += 1
        while pos < len(plain) and plain[pos] == " ":
            pos += 1
    match = _NUMBER_RE.match(plain, pos)
    if not match:
        raise ValueParseError(text, pos, "应为数值 (number expected)")
    number = match.group()
    if number[-1:] == "." and number.count(".") == 1 and len(number.strip("+-")) == 1:
        raise ValueParseError(text, pos, "应为数值 (number expected)")
    pos = match.end()
    mark = None
    mark_match = _MARK_RE.match(plain, pos)
    if mark_match:
        if below:
            raise ValueParseError(text, pos, "低于检出限的值不能带 (+)/(−) 标记 (mark on <LOD value)")
        mark = mark_match.group(1)
        pos = mark_match.end()
    if plain[pos:].strip():
        while plain[pos] == " ":
            pos += 1
        raise ValueParseError(text, pos, "多余的字符 (unexpected text)")
    value = Decimal(number)
    if below and value <= 0:
        raise ValueParseError(text, start, "检出限应大于零 (detection limit must be positive)")
    return Measured(text, value, mark, below)


# --- rounding (GB/T 8170 §3) ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RoundingPlan:
    """How to round to one interval: scale by `factor` (1, 2 or 5), round to `unit`
    (a power of ten), divide by `factor`; `interval` is the normalised interval."""
    interval: Decimal
    factor: int
    unit: Decimal
    half: Decimal
    exponent: int


@lru_cache(maxsize=256)
def rounding_plan(interval: str | Decimal) -> RoundingPlan:
    """Return the RoundingPlan for an interval such as "0.1", "0.5", "0.02", "100", "1E2".

    Raises IntervalError unless the interval is 1, 2 or 5 times a power of ten.
    """
    try:
        step = Decimal(normalize_text(interval).strip()) if isinstance(interval, str) else Decimal(interval)
    except (InvalidOperation, ValueError, TypeError):
        raise IntervalError(str(interval)) from None
    if not step.is_finite() or step <= 0:
        raise IntervalError(str(interval))
    step = step.normalize(DECIMAL_CONTEXT)
    _sign, digits, exponent = step.as_tuple()
    if digits not in ((1,), (2,), (5,)):
        raise IntervalError(str(interval))
    lead = digits[0]
    factor = {1: 1, 2: 5, 5: 2}[lead]
    unit_exp = exponent if lead == 1 else exponent + 1
    unit = Decimal((0, (1,), unit_exp))
    return RoundingPlan(step, factor, unit, unit / 2, min(exponent, 0))


def _round_abs(magnitude: Decimal, plan: RoundingPlan, mark: str | None) -> Decimal:
    """Round a non-negative Decimal with the plan; a (+)/(−) mark breaks an exact tie."""
    ctx = DECIMAL_CONTEXT
    scaled = ctx.multiply(magnitude, plan.factor) if plan.factor != 1 else magnitude
    if mark is None:
        rounded = scaled.quantize(plan.unit, ROUND_HALF_EVEN, ctx)
    else:
        kept = scaled.quantize(plan.unit, ROUND_DOWN, ctx)
        dropped = ctx.subtract(scaled, kept)
        if dropped == plan.half:
            rounded = ctx.add(kept, plan.unit) if mark == "+" else kept
        else:
            rounded = scaled.quantize(plan.unit, ROUND_HALF_EVEN, ctx)
    if plan.factor != 1:
        rounded = ctx.divide(rounded, plan.factor)
    return rounded.quantize(Decimal((0, (1,), plan.exponent)), ROUND_HALF_EVEN, ctx)


def round_value(value: str | Measured | Decimal | int, interval: str | Decimal) -> Decimal:
    """Return `value` rounded once to a multiple of `interval` per GB/T 8170 §3.

    Round-half-even (四舍六入五成双) on the absolute value, sign restored; intervals of
    10ⁿ, 0.5×10ⁿ and 0.2×10ⁿ; a `(+)`/`(−)` marked value whose dropped part is exactly
    half an interval rounds up/down. The result carries the interval's decimal places
    ("60.28" at 0.5 -> 60.5; "1268" at 100 -> 1300).
    Raises ValueParseError for unreadable text or a below-detection-limit value,
    IntervalError for a bad interval.
    """
    mark = None
    if isinstance(value, str):
        value = parse_measured(value)
    if isinstance(value, Measured):
        if value.below_lod or value.value is None:
            raise ValueParseError(value.text, 0, "低于检出限的值不能修约 (cannot round a <LOD value)")
        mark = value.mark
        value = value.value
    elif not isinstance(value, Decimal):
        value = Decimal(value)
    plan = rounding_plan(interval)
    rounded = _round_abs(abs(value), plan, mark)
    return DECIMAL_CONTEXT.minus(rounded) if value.is_signed() and rounded else rounded


def last_digit_interval(value: Decimal) -> Decimal:
    """Return the interval of the last written digit of `value` ("0.50" -> 0.01, "20" -> 1)."""
    return Decimal((0, (1,), value.as_tuple().exponent))
