"""judge(): compare one measured value with one limit per GB/T 8170-2008 §4.3.

Full-value comparison (全数值比较法, the default) compares the unrounded value — a value
marked (+)/(−) counts as just above/below what is written. Rounded-value comparison
(修约值比较法) first rounds the value once (§3) to the limit's last written digit, or to
`interval`, then compares. Below-detection-limit values ("<0.01", "ND") pass or fail only
when every value below the detection limit would; otherwise the verdict is inconclusive.
"""
from __future__ import annotations

from decimal import Decimal

from rules.errors import RulesError, UnitConversionError
from rules.limits import (
    Bound,
    EnumLimit,
    GradeLimit,
    Limit,
    NotDetectedLimit,
    NumericLimit,
    format_decimal,
    grade_rank,
    grade_text,
    parse_limit,
)
from rules.numbers import Measured, normalize_text, parse_measured, round_value, rounding_plan
from rules.verdict import METHOD_TEXT, Verdict

METHODS = ("full", "rounded")
_PASS_TEXT = {True: "符合", False: "不符合"}
_MARK_TEXT = {"+": "(+)", "-": "(−)", None: ""}


def _direction(value: Decimal, mark: str | None) -> int:
    """Where the true value lies against the written one: +1 above, −1 below, 0 equal.
    A mark speaks of the absolute value, so it flips for negative numbers."""
    if mark is None or not value:
        return 0
    up = 1 if mark == "+" else -1
    return -up if value < 0 else up


def within(value: Decimal, direction: int, lower: Bound | None, upper: Bound | None) -> bool:
    """Return True when `value` (nudged by `direction` −1/0/+1) satisfies both bounds."""
    if upper is not None:
        bound = upper.value
        if value > bound or (value == bound and (direction > 0 or (direction == 0 and not upper.inclusive))):
            return False
    if lower is not None:
        bound = lower.value
        if value < bound or (value == bound and (direction < 0 or (direction == 0 and not lower.inclusive))):
            return False
    return True


def judge(value, limit: Limit | str, *, method: str = "full", interval: str | Decimal | None = None,
          value_unit: str | None = None, limit_unit: str | None = None) -> Verdict:
    """Return the Verdict of `value` (text as entered, or a Measured) against `limit`.

    `limit` is a Limit or its text (parsed with `limit_unit`); `method` "full" or "rounded";
    `interval` overrides the rounding interval of the rounded method; `value_unit` is the
    unit the value was measured in (converted to the limit's unit when they differ).
    A missing value, a unit that cannot convert or an undecidable <LOD value give an
    "inconclusive" verdict. Raises LimitParseError / ValueParseError for unreadable text,
    IntervalError for a bad interval, RulesError for an unknown method.
    """
    if method not in METHODS:
        raise RulesError(f"判定方法无效：{method!r}（应为 full 或 rounded）(unknown method)")
    if isinstance(limit, str):
        limit = parse_limit(limit, limit_unit)
    steps: list = [("限值：{}，即 {}", (limit.text, limit.describe))]
    if value is None or (isinstance(value, str) and not value.strip()):
        return _verdict("inconclusive", None, steps, method, limit, "缺少测定值 (no value)")
    kind = type(limit)
    if kind is NumericLimit:
        return _judge_numeric(value, limit, method, interval, value_unit, limit_unit, steps)
    if kind is GradeLimit:
        return _judge_grade(value, limit, method, steps)
    if kind is NotDetectedLimit:
        return _judge_not_detected(value, limit, method, value_unit, limit_unit, steps)
    if kind is EnumLimit:
        return _judge_enum(value, limit, method, steps)
    raise RulesError(f"不支持的限值类型：{kind.__name__} (unsupported limit type)")


def _verdict(outcome, compared, steps, method, limit, reason=None) -> Verdict:
    return Verdict(outcome, compared, steps, method, limit.text, reason=reason)


def _measured(value) -> Measured:
    if isinstance(value, Measured):
        return value
    if isinstance(value, Decimal):
        return Measured(format_decimal(value), value)
    return parse_measured(value if isinstance(value, str) else str(value))


def _convert(number: Decimal, value_unit, target_unit, steps) -> Decimal:
    """Convert when both units are known and differ; record the step. Raises UnitConversionError."""
    if value_unit is None or target_unit is None or value_unit == target_unit:
        return number
    from rules.units import convert  # noqa: PLC0415 — Pint builds its unit registry when imported (seconds on a tablet): only when a value has a unit

    converted = convert(number, value_unit, target_unit).normalize()
    if converted.as_tuple().exponent > 0:
        converted = converted.quantize(1)
    steps.append(("单位换算：{} {} = {} {}", (number, value_unit, converted, target_unit)))
    return converted


def _judge_numeric(value, limit: NumericLimit, method, interval, value_unit, limit_unit, steps) -> Verdict:
    measured = _measured(value)
    target_unit = limit_unit or limit.unit
    number = measured.value
    if number is not None:
        try:
            number = _convert(number, value_unit, target_unit, steps)
        except UnitConversionError as exc:
            steps.append(("{}", (str(exc),)))
            return _verdict("inconclusive", None, steps, method, limit, str(exc))
    if measured.below_lod:
        return _judge_below_lod(number, limit, method, steps)
    mark = measured.mark
    if method == "rounded":
        step = interval if interval is not None else _limit_interval(limit.exponent)
        rounded = round_value(Measured(measured.text, number, mark), step)
        steps.append(("按 GB/T 8170 修约到 {}：{}{} → {}",
                      (rounding_plan(step).interval, number, _MARK_TEXT[mark], rounded)))
        compared_number, direction = rounded, 0
    else:
        compared_number, direction = number, _direction(number, mark)
        if mark:
            steps.append(("{}{} 表示真实值{}，按全数值比较", (number, _MARK_TEXT[mark],
                                                  "略大于所写数值" if mark == "+" else "略小于所写数值")))
    ok = within(compared_number, direction, limit.lower, limit.upper)
    compared = format_decimal(compared_number) + (_MARK_TEXT[mark] if direction else "")
    steps.append(("{}：{} {} {}", (METHOD_TEXT[method], compared, _PASS_TEXT[ok], limit.describe)))
    return Verdict("pass" if ok else "fail", compared, steps, method, limit.text)


_INTERVALS: dict[int, Decimal] = {}


def _limit_interval(exponent: int) -> Decimal:
    found = _INTERVALS.get(exponent)
    if found is None:
        found = _INTERVALS[exponent] = Decimal((0, (1,), exponent))
    return found


def _judge_below_lod(lod: Decimal | None, limit: NumericLimit, method, steps) -> Verdict:
    """True value t is in [0, lod). Decide only when every such t gives the same answer."""
    if lod is None:
        steps.append(("未检出且未给出检出限，无法与数值限值比较", ()))
        return _verdict("inconclusive", "未检出", steps, method, limit,
                        "未检出但未给出检出限 (not detected, no detection limit given)")
    compared = "<" + format_decimal(lod)
    results = []
    if limit.upper is not None:
        results.append(True if lod <= limit.upper.value else None)
    if limit.lower is not None:
        low = limit.lower
        if lod <= low.value:
            results.append(False)
        elif low.value < 0 or (low.value == 0 and low.inclusive):
            results.append(True)
        else:
            results.append(None)
    if False in results:
        outcome = "fail"
    elif None in results:
        outcome = "inconclusive"
    else:
        outcome = "pass"
    steps.append(("低于检出限 {}：真实值在 0 与 {} 之间，{}", (
        lod, lod, {"pass": "均符合", "fail": "均不符合", "inconclusive": "可能符合也可能不符合"}[outcome])))
    reason = None if outcome != "inconclusive" else "检出限高于限值，无法判定 (detection limit above the limit)"
    return _verdict(outcome, compared, steps, method, limit, reason)


def _judge_grade(value, limit: GradeLimit, method, steps) -> Verdict:
    text = value if isinstance(value, str) else str(value)
    rank = grade_rank(text)
    compared = grade_text(rank)
    ok = within(rank, 0, limit.lower, limit.upper)
    steps.append(("等级比较：{} 级 {} {}", (compared, _PASS_TEXT[ok], limit.describe)))
    return _verdict("pass" if ok else "fail", compared, steps, method, limit)


def _judge_not_detected(value, limit: NotDetectedLimit, method, value_unit, limit_unit, steps) -> Verdict:
    measured = _measured(value)
    target_unit = limit_unit or limit.unit
    number = measured.value
    if number is not None and limit.lod is not None:
        try:
            number = _convert(number, value_unit, target_unit, steps)
        except UnitConversionError as exc:
            return _verdict("inconclusive", None, steps, method, limit, str(exc))
    if measured.below_lod:
        if number is None or limit.lod is None or number <= limit.lod:
            shown = "未检出" if number is None else "<" + format_decimal(number)
            steps.append(("{}：未检出，符合不得检出", (shown,)))
            return _verdict("pass", shown, steps, method, limit)
        shown = "<" + format_decimal(number)
        steps.append(("{}：所用检出限高于规定检出限 {}，无法判定", (shown, limit.lod)))
        return _verdict("inconclusive", shown, steps, method, limit,
                        "检出限高于规定的检出限 (detection limit above the required one)")
    shown = format_decimal(number)
    if number == 0 or (limit.lod is not None and abs(number) < limit.lod):
        steps.append(("{}：低于检出限，视为未检出，符合不得检出", (shown,)))
        return _verdict("pass", shown, steps, method, limit)
    steps.append(("{}：已检出，不符合不得检出", (shown,)))
    return _verdict("fail", shown, steps, method, limit)


def _judge_enum(value, limit: EnumLimit, method, steps) -> Verdict:
    entered = normalize_text(value if isinstance(value, str) else str(value)).strip()
    ok = entered in limit.allowed
    steps.append(("描述比较：{} {} {}", (entered, _PASS_TEXT[ok], limit.describe)))
    return _verdict("pass" if ok else "fail", entered, steps, method, limit)
