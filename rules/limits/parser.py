"""parse_limit: read a limit as standards write it (GB/T 8170-2008 §4.2) into a typed Limit.

Accepted: `≤0.5` `<0.5` `≥97.0%` `>A` `≦` `≧` `<=`; Chinese wordings (不大于 … A及以上);
ranges `4.0~8.5` `4.0～8.5` `4.0–8.5` `4.0-8.5`; tolerances `10.0±0.1`, `10.0 +0.2/−0.1`,
`10.0+0.2-0.1` with exclusions `(不含±0.1)` `(不含0.2)`; `14×100`; units written in the
limit (`≤25 km/h`); grades `≥3-4级`; `不得检出` (optionally `(检出限0.01)`); words such as
`无异味`. Anything else raises LimitParseError(text, position, reason).
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from rules.errors import LimitParseError, UnitConversionError
from rules.limits.types import Bound, EnumLimit, GradeLimit, Limit, NotDetectedLimit, NumericLimit
from rules.numbers import normalize_text

# Comparison words and signs -> le / lt / ge / gt (tried longest first: 不大于 before 大于).
_PREFIX_OPS = {
    "大于或等于": "ge", "大于等于": "ge", "小于或等于": "le", "小于等于": "le",
    "不大于": "le", "不小于": "ge", "不多于": "le", "不少于": "ge", "不高于": "le", "不低于": "ge",
    "不超过": "le", "不足": "lt", "至少": "ge", "至多": "le", "最少": "ge", "最多": "le",
    "大于": "gt", "小于": "lt", "多于": "gt", "少于": "lt", "高于": "gt", "低于": "lt", "超过": "gt",
    "<=": "le", ">=": "ge", "≤": "le", "≥": "ge", "≯": "le", "≮": "ge", "<": "lt", ">": "gt",
}
_PREFIX_ORDER = sorted(_PREFIX_OPS, key=len, reverse=True)
_SUFFIX_OPS = {"及以上": "ge", "及以下": "le", "或以上": "ge", "或以下": "le"}
_NOT_DETECTED = ("不得检出", "不应检出", "不得测出")
_ENUM_WORDS = frozenset({"阴性", "合格", "符合要求", "无"})
_ENUM_RE = re.compile(r"无[\u4e00-\u9fff]{1,12}(?:[、，,][\u4e00-\u9fff]{1,12})*$")   # 无异味, 无异臭、异味
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_UNSIGNED_RE = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)")
_UNIT_RE = re.compile(r"%|‰|级|[A-Za-zµμΩ°℃][A-Za-z0-9µμΩ°℃/³²·^*]*")
_POWER_OF_TEN_RE = re.compile(r"×\s*(10+)")


class _Cursor:
    """Reads the normalised text `s` of the original `text`, reporting original positions."""

    def __init__(self, text: str):
        self.text = text
        self.s = normalize_text(text)
        self.pos = 0

    def fail(self, reason: str, position: int | None = None):
        raise LimitParseError(self.text, self.pos if position is None else position, reason)

    def ws(self) -> None:
        while self.pos < len(self.s) and self.s[self.pos].isspace():
            self.pos += 1

    def at_end(self) -> bool:
        self.ws()
        return self.pos >= len(self.s)

    def peek(self, *options: str) -> str | None:
        self.ws()
        for option in options:
            if self.s.startswith(option, self.pos):
                return option
        return None

    def take(self, *options: str) -> str | None:
        found = self.peek(*options)
        if found is not None:
            self.pos += len(found)
        return found

    def number(self, signed: bool = True) -> tuple[Decimal, int]:
        """Read a number (optionally "14×100"); return (value, exponent of its last digit)."""
        self.ws()
        match = (_NUMBER_RE if signed else _UNSIGNED_RE).match(self.s, self.pos)
        if not match or not any(ch.isdigit() for ch in match.group()):
            self.fail("缺少数值 (number expected)")
        self.pos = match.end()
        value = Decimal(match.group().rstrip("."))
        exponent = value.as_tuple().exponent
        power = _POWER_OF_TEN_RE.match(self.s, self.pos)
        if power:
            self.pos = power.end()
            scale = len(power.group(1)) - 1
            value = value.scaleb(scale)
            exponent += scale
        return value, exponent

    def unit(self) -> str | None:
        """Read a unit written after a number; an unknown word is unexpected text."""
        self.ws()
        match = _UNIT_RE.match(self.s, self.pos)
        if not match:
            return None
        unit = match.group()
        if unit not in ("%", "‰", "级") and not _known_unit(unit):
            self.fail("多余的字符 (unexpected text)")
        self.pos = match.end()
        return unit


@lru_cache(maxsize=256)
def _known_unit(unit: str) -> bool:
    from rules.units import conversion_factor  # noqa: PLC0415 — Pint is only needed when a unit is written (its registry is slow to build)

    try:
        conversion_factor(unit, unit)
    except UnitConversionError:
        return False
    return True


def _merge_unit(cur: _Cursor, current: str | None, found: str | None, at: int) -> str | None:
    if found is None:
        return current
    if current is not None and current != found:
        cur.fail(f'单位不一致："{current}" 与 "{found}" (inconsistent units)', at)
    return found


@lru_cache(maxsize=4096)
def parse_limit(text: str, unit: str | None = None) -> Limit:
    """Return the typed Limit for `text` as a standard writes it (see module docstring).

    `unit` is the catalog's unit, used when the text carries none. Parsed limits are cached.
    Raises LimitParseError(text, position, reason) when the text cannot be read.
    """
    if not isinstance(text, str):
        raise LimitParseError(str(text), 0, "限值应为文本 (limit must be text)")
    cur = _Cursor(text)
    if cur.at_end():
        cur.fail("限值为空 (empty limit)", 0)
    stripped = cur.s.strip()
    if stripped.startswith(_NOT_DETECTED):
        return _not_detected(cur, unit)
    if stripped in _ENUM_WORDS or _ENUM_RE.match(stripped):
        return EnumLimit(text, unit, (stripped,))
    start = cur.pos
    op = None
    for word in _PREFIX_ORDER:
        if cur.s.startswith(word, cur.pos):
            op = _PREFIX_OPS[word]
            cur.pos += len(word)
            break
    cur.ws()
    value, exponent = cur.number()
    grade = _grade_tail(cur, value, unit, op is not None)
    if grade is not None:
        return _grade_limit(cur, text, op, grade)
    unit_at = cur.pos
    written_unit = _merge_unit(cur, None, cur.unit(), unit_at)
    if op is None:
        suffix = cur.take(*_SUFFIX_OPS)
        if suffix:
            op = _SUFFIX_OPS[suffix]
    if op is not None:
        limit = _one_sided(text, written_unit or unit, op, value, exponent)
        if cur.peek("(不含", "(不包含", "(不包括"):
            cur.fail("只有范围或偏差限值可以注明不含 (only ranges/tolerances take 不含)")
    elif cur.peek("±", "+") or (cur.peek("-") and _is_lower_tolerance(cur)):
        limit, plus, minus = _tolerance(cur, text, value, exponent, written_unit, unit)
        if cur.peek("("):
            limit = _exclusions(cur, limit, plus, minus, signed=True)
    elif cur.peek("~", "-"):
        limit = _range(cur, text, value, exponent, written_unit, unit)
        if cur.peek("("):
            limit = _exclusions(cur, limit, limit.upper.value, limit.lower.value, signed=False)
    else:
        cur.fail("缺少比较符号或范围 (comparison sign or range expected)", start)
    if not cur.at_end():
        cur.fail("多余的字符 (unexpected text)")
    return limit


def _one_sided(text, unit, op, value, exponent) -> NumericLimit:
    if op in ("le", "lt"):
        return NumericLimit(text, unit, None, Bound(value, op == "le"), exponent, "max")
    return NumericLimit(text, unit, Bound(value, op == "ge"), None, exponent, "min")


def _is_lower_tolerance(cur: _Cursor) -> bool:
    """After "A", a "-b/" or "-b+" is an asymmetric tolerance (−b2 first), not a range."""
    probe = re.compile(r"-\s*(?:\d+(?:\.\d*)?|\.\d+)\s*[A-Za-z%µμ]*\s*[/+]")
    return bool(probe.match(cur.s, cur.pos))


def _range(cur, text, low, low_exp, written_unit, unit) -> NumericLimit:
    cur.take("~", "-")
    at = cur.pos
    high, high_exp = cur.number()
    unit_at = cur.pos
    written_unit = _merge_unit(cur, written_unit, cur.unit(), unit_at)
    if high < low:
        cur.fail("范围下限大于上限 (range lower end above upper end)", at)
    return NumericLimit(text, written_unit or unit, Bound(low, True), Bound(high, True),
                        min(low_exp, high_exp), "range")


def _tolerance(cur, text, nominal, nominal_exp, written_unit, unit) -> NumericLimit:
    exponent = nominal_exp
    if cur.take("±"):
        dev, dev_exp = cur.number(signed=False)
        written_unit = _merge_unit(cur, written_unit, cur.unit(), cur.pos)
        plus = minus = dev
        exponent = min(exponent, dev_exp)
    else:
        parts: dict[str, Decimal] = {}
        for _ in range(2):
            sign_at = cur.pos
            sign = cur.take("+", "-")
            if sign is None:
                cur.fail("应为 +偏差 或 −偏差 (signed deviation expected)")
            if sign in parts:
                cur.fail("偏差重复 (deviation given twice)", sign_at)
            dev, dev_exp = cur.number(signed=False)
            written_unit = _merge_unit(cur, written_unit, cur.unit(), cur.pos)
            parts[sign] = dev
            exponent = min(exponent, dev_exp)
            cur.take("/")
            if not cur.peek("+", "-"):
                break
        if len(parts) != 2:
            cur.fail("缺少另一侧偏差 (the other deviation is missing)")
        plus, minus = parts["+"], parts["-"]
    limit = NumericLimit(text, written_unit or unit, Bound(nominal - minus, True),
                         Bound(nominal + plus, True), exponent, "tolerance")
    return limit, plus, minus


def _exclusions(cur: _Cursor, limit: NumericLimit, upper_amount: Decimal,
                lower_amount: Decimal, signed: bool) -> NumericLimit:
    """Read "(不含±a)", "(不含0.2)", "(不含+0.2和−0.1)": the named bounds become exclusive.

    For a tolerance the amounts are the deviations (+b1, −b2); for a range the bound values.
    """
    cur.take("(")
    if not cur.take("不含", "不包含", "不包括"):
        cur.fail('括号内应为 "不含…" (expected 不含)')
    drop_lower = drop_upper = False
    while True:
        at = cur.pos
        sign = cur.take("±", "+", "-") if signed else None
        amount, _ = cur.number(signed=False)
        cur.unit()
        hits_upper = sign in (None, "±", "+") and amount == upper_amount
        hits_lower = sign in (None, "±", "-") and amount == lower_amount
        if not (hits_upper or hits_lower) or (sign == "±" and not (hits_upper and hits_lower)):
            cur.fail("不含的偏差与限值不符 (excluded deviation does not match the limit)", at)
        drop_upper |= hits_upper
        drop_lower |= hits_lower
        if not cur.take("和", "及", ",", "、", "与"):
            break
    if not cur.take(")"):
        cur.fail('缺少右括号 ")" (closing bracket expected)')
    lower, upper = limit.lower, limit.upper
    return NumericLimit(limit.text, limit.unit,
                        Bound(lower.value, lower.inclusive and not drop_lower),
                        Bound(upper.value, upper.inclusive and not drop_upper),
                        limit.exponent, limit.kind)


def _grade_tail(cur: _Cursor, value: Decimal, unit: str | None, has_op: bool) -> Decimal | None:
    """After an integer, "-(n+1)" then 级 (or catalog unit 级, or after a comparison sign,
    where a range cannot follow) makes a half grade; "n级" a grade."""
    if value != value.to_integral_value() or value.as_tuple().exponent < 0:
        return None
    if not 1 <= value <= 8:
        return None
    save = cur.pos
    grade_unit = unit == "级"
    if cur.take("-", "~", "/"):
        match = re.compile(r"\s*(\d)(?![\d.])").match(cur.s, cur.pos)
        if match and int(match.group(1)) == int(value) + 1:
            end = match.end()
            if cur.s.startswith("级", _skip_ws(cur.s, end)) or grade_unit or has_op:
                cur.pos = end
                cur.take("级")
                return value + Decimal("0.5")
        cur.pos = save
        return None
    if cur.take("级"):
        return value
    if grade_unit:
        return value
    return None


def _skip_ws(s: str, pos: int) -> int:
    while pos < len(s) and s[pos].isspace():
        pos += 1
    return pos


def _grade_limit(cur: _Cursor, text: str, op: str | None, rank: Decimal) -> GradeLimit:
    if op is None:
        suffix = cur.take(*_SUFFIX_OPS)
        op = _SUFFIX_OPS[suffix] if suffix else "ge"  # a bare grade in a table is a minimum
    if not cur.at_end():
        cur.fail("多余的字符 (unexpected text)")
    if op in ("le", "lt"):
        return GradeLimit(text, "级", None, Bound(rank, op == "le"))
    return GradeLimit(text, "级", Bound(rank, op == "ge"), None)


def _not_detected(cur: _Cursor, unit: str | None) -> NotDetectedLimit:
    cur.ws()
    cur.pos += 4
    lod = None
    written_unit = None
    if cur.take("(", ",", ":"):
        had_bracket = cur.s[cur.pos - 1] == "("
        if not cur.take("检出限", "方法检出限", "LOD", "检出限为"):
            cur.fail('应为 "检出限" (detection limit expected)')
        cur.take(":", "为", "=")
        lod, _ = cur.number(signed=False)
        written_unit = cur.unit()
        if had_bracket and not cur.take(")"):
            cur.fail('缺少右括号 ")" (closing bracket expected)')
    if not cur.at_end():
        cur.fail("多余的字符 (unexpected text)")
    return NotDetectedLimit(cur.text, written_unit or unit, lod)
