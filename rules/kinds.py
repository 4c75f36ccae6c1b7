"""Indicators that are not a number against a limit: word answers, marking items, energy grades.

- Word limits (`无异味`, `阴性`, `不得检出`) and marking items have a defined vocabulary of
  accepted answers (`answer_choices`), so a form can offer a pick list; each answer says
  the verdict it gives.
- A marking item (kind "marking", GB 7718 4.1.1 食品名称 …) is answered present / absent /
  wrong (已标示 / 未标示 / 标示不正确).
- An energy-efficiency indicator (kind "energy_grade") computes the grade (1 best) from the
  measured value and the standard's grade table, judges the value against the minimum
  (`limit`, 能效限定值) and, when the label's claimed grade is given, whether the measured
  grade reaches it.

Pure, Decimal only (through rules.judge).
"""
from __future__ import annotations

import re

from rules.catalog import Answer, GradeTable, Indicator
from rules.errors import LimitParseError, RulesError, ValueParseError
from rules.judge import judge
from rules.limits import EnumLimit, NotDetectedLimit, parse_limit
from rules.numbers import normalize_text
from rules.verdict import Verdict

__all__ = [
    "MARKING_ANSWERS",
    "answer_choices",
    "grade_of",
    "judge_answer",
    "judge_energy_grade",
    "match_answer",
    "parse_grade",
]

MARKING_ANSWERS = (
    Answer("已标示", "pass", "present"),
    Answer("未标示", "fail", "absent"),
    Answer("标示不正确", "fail", "wrong"),
)
#: other ways people write the marking answers
_MARKING_ALIASES = {"有": "已标示", "已标注": "已标示", "标示": "已标示", "齐全": "已标示",
                    "无": "未标示", "缺失": "未标示", "未标注": "未标示", "缺": "未标示",
                    "错误": "标示不正确", "不正确": "标示不正确", "标示错误": "标示不正确", "不规范": "标示不正确"}
_OPPOSITE_WORDS = {"阴性": "阳性", "合格": "不合格", "符合": "不符合", "符合要求": "不符合要求", "无": "有"}
_NOT_DETECTED_ANSWERS = (Answer("未检出", "pass", "not detected"), Answer("检出", "fail", "detected"))


def _opposite(word: str) -> str:
    if word in _OPPOSITE_WORDS:
        return _OPPOSITE_WORDS[word]
    if word.startswith("无"):
        return "有" + word[1:]
    return "不" + word


def answer_choices(indicator: Indicator) -> tuple[Answer, ...]:
    """Return the accepted answers of an indicator, best first: its own `answers`, else
    the marking vocabulary for a marking item, else the answers a word limit implies
    (无异味 → 无异味 pass / 有异味 fail; 不得检出 → 未检出 / 检出); () for numeric
    indicators. Raises nothing (an unreadable limit has no choices)."""
    if indicator.answers:
        return indicator.answers
    if indicator.kind == "marking":
        return MARKING_ANSWERS
    if indicator.kind != "limit":
        return ()
    try:
        limit = parse_limit(indicator.limit, indicator.unit)
    except LimitParseError:
        return ()
    if isinstance(limit, EnumLimit):
        return (*(Answer(w, "pass") for w in limit.allowed), *(Answer(_opposite(w), "fail") for w in limit.allowed))
    if isinstance(limit, NotDetectedLimit):
        return _NOT_DETECTED_ANSWERS
    return ()


def match_answer(choices: tuple[Answer, ...], value: str, *, marking: bool = False) -> Answer | None:
    """Return the answer `value` names (its Chinese or English text, case and width
    insensitive; marking aliases such as 缺失 → 未标示), or None."""
    text = normalize_text(value).strip()
    if marking:
        text = _MARKING_ALIASES.get(text, text)
    low = text.lower()
    for answer in choices:
        if text in (answer.text, normalize_text(answer.text).strip()) or (
                answer.text_en and low == answer.text_en.lower()):
            return answer
    return None


def judge_answer(indicator: Indicator, value: str | None, choices: tuple[Answer, ...], header: tuple,
                 method: str = "answer") -> Verdict:
    """Return the verdict of a picked answer. A missing value is inconclusive; a word not in
    `choices` raises ValueParseError listing the accepted answers."""
    steps: list = [header, ("要求：{}", (indicator.limit,))]
    if value is None or not str(value).strip():
        return Verdict("inconclusive", None, steps, method, indicator.limit, reason="缺少检查结果 (no answer)")
    found = match_answer(choices, str(value), marking=indicator.kind == "marking")
    if found is None:
        accepted = " / ".join(a.text for a in choices)
        raise ValueParseError(str(value), 0, f"应为以下之一：{accepted} (not one of the accepted answers)")
    word = "符合" if found.outcome == "pass" else "不符合"
    steps.append(("检查结果：{}，{}要求", (found.text, word)))
    reason = None
    if found.outcome == "fail" and indicator.kind == "marking":
        reason = f"标示项目“{indicator.name}”{found.text} (marking {found.text_en or 'not as required'})"
    return Verdict(found.outcome, found.text, steps, method, indicator.limit, reason=reason)


_CN_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5"}
_GRADE_RE = re.compile(r"^\s*([1-9一二三四五])\s*级?\s*$")


def parse_grade(text: str) -> str:
    """Return the grade "1".."9" written as "1", "1级", "一级"; raises ValueParseError."""
    match = _GRADE_RE.match(normalize_text(str(text)))
    if not match:
        raise ValueParseError(str(text), 0, '应为能效等级，如 "1" 或 "1级" (energy grade expected)')
    digit = match.group(1)
    return _CN_DIGITS.get(digit, digit)


def grade_of(table: GradeTable, value, *, method: str = "full", value_unit: str | None = None) -> str | None:
    """Return the best grade of `table` whose limit `value` meets, or None when it meets
    none. Raises ValueParseError / LimitParseError for unreadable text."""
    for row in table.grades:
        if judge(value, row.limit, method=method, value_unit=value_unit, limit_unit=table.unit).passed:
            return row.grade
    return None


def judge_energy_grade(indicator: Indicator, value, unit: str | None, *, method: str, limit_text: str,
                       claimed: str | None, header: tuple, notes: list) -> Verdict:
    """Judge a measured energy-efficiency value: its grade from the table, pass/fail against
    `limit_text` (能效限定值), and against the `claimed` grade when given.
    Raises RulesError when the indicator has no grade table, ValueParseError /
    LimitParseError for unreadable text."""
    table = indicator.grade_table
    if table is None:
        raise RulesError(f"指标 {indicator.id} 没有能效等级表 (no grade table)")
    base = judge(value, limit_text, method=method, value_unit=unit, limit_unit=indicator.unit)
    steps: list = [header, *notes, *base._steps]
    if base.outcome == "inconclusive":
        return base.replace(steps=tuple(steps))
    grade = grade_of(table, value, method=method, value_unit=unit)
    rows = " ；".join(f"{r.grade}级 {r.limit}" for r in table.grades)
    steps.append(("能效等级表（{}{}）：{}", (table.measure, f"，{table.unit}" if table.unit else "", rows)))
    if grade is None:
        steps.append(("测定值 {} 未达到任何等级", (base.compared_value,)))
    else:
        steps.append(("测定值 {} 达到 {} 级", (base.compared_value, grade)))
    outcome, reason = base.outcome, None
    if base.outcome == "fail":
        reason = "低于能效限定值 (below the minimum energy efficiency)"
    if claimed is not None and str(claimed).strip():
        want = parse_grade(claimed)
        ok = grade is not None and int(grade) <= int(want)
        steps.append(("标称能效等级 {} 级：实测 {}，{}标称等级", (
            want, f"{grade} 级" if grade else "未达到任何等级", "达到" if ok else "未达到")))
        if not ok:
            outcome = "fail"
            reason = reason or f"实测能效等级低于标称的 {want} 级 (measured grade below the claimed grade)"
    compared = f"{base.compared_value}（{grade}级）" if grade else base.compared_value
    return Verdict(outcome, compared, steps, method, limit_text, reason=reason)
