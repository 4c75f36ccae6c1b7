"""What an officer may enter for an indicator, checked before anything is stored.

Each indicator's limit decides the input: a number with the limit's unit (a numeric
keypad), one of the words a word limit or a marking item accepts (a pick list: 无异味 /
有异味, 已标示 / 未标示 / 标示不正确), a grade of the grey scale (1 … 5 with half
grades such as 3-4), or for an energy-efficiency indicator the measured value plus,
optionally, the label's claimed grade. `EntrySpec.check` returns the value to store or
raises `InvalidEntry` with a message that says what to enter instead.

    spec = entry_spec(catalog.indicator(indicator_id))
    spec.input            # "number" | "choice" | "grade"
    spec.check("没有异味")  # raises InvalidEntry: 请从列表中选择：无异味 / 有异味

Pure (rules only).
"""
from __future__ import annotations

from dataclasses import dataclass

from device.errors import InvalidRecord
from rules.catalog import Answer, Indicator
from rules.errors import LimitParseError, RulesError
from rules.kinds import answer_choices, match_answer, parse_grade
from rules.limits import EnumLimit, GradeLimit, NotDetectedLimit, parse_limit
from rules.numbers import normalize_text, parse_measured
from rules.units import conversion_factor

__all__ = ["GREY_SCALE", "Choice", "EntrySpec", "InvalidEntry", "entry_spec"]

#: the grades of the grey scale (GB/T 250, GB/T 251) colour-fastness results are read on
GREY_SCALE = ("5", "4-5", "4", "3-4", "3", "2-3", "2", "1-2", "1")

NUMBER, CHOICE, GRADE = "number", "choice", "grade"

#: units an officer may enter a value in; offered when convertible to the limit's unit
COMMON_UNITS = ("mg/kg", "g/kg", "ug/g", "ppm", "%", "mg/L", "ug/L", "g/L", "mg/dm2", "km/h", "m/s",
                "mm", "cm", "m", "g", "kg", "N", "V", "Ah", "W", "℃", "NTU")


def unit_choices(unit: str | None) -> tuple[str, ...]:
    """Return the units a value may be entered in: the limit's own unit first, then the
    common units the rules engine can convert to it (none for a unitless limit)."""
    if not unit:
        return ()
    if unit in ("级", "倍", "个"):   # grades and counts: only their own unit
        return (unit,)
    out = [unit]
    for candidate in COMMON_UNITS:
        if candidate == unit:
            continue
        try:
            if conversion_factor(candidate, unit) is not None:
                out.append(candidate)
        except RulesError:
            continue
    return tuple(out)


class InvalidEntry(InvalidRecord):
    """A value the indicator does not accept; `message` says what to enter instead."""


@dataclass(frozen=True)
class Choice:
    """One entry of a pick list: the text stored, the verdict it gives (None: judged by
    the limit) and its English text."""

    text: str
    outcome: str | None = None
    text_en: str | None = None


@dataclass(frozen=True)
class EntrySpec:
    """The input an indicator takes. `input` is "number", "choice" or "grade"; `choices`
    the pick list (choice, grade); `numeric` also true for a choice list that accepts a
    number ("不得检出": 未检出 / 检出, or the measured value); `claims` the grades a label
    may claim (energy-efficiency indicators)."""

    indicator_id: str
    input: str
    unit: str | None = None
    choices: tuple[Choice, ...] = ()
    numeric: bool = False
    claims: tuple[str, ...] = ()
    marking: bool = False

    @property
    def units(self) -> tuple[str, ...]:
        """The units a number may be entered in (the limit's own first)."""
        return unit_choices(self.unit) if self.input != GRADE else ()

    def check_unit(self, unit: str | None) -> str | None:
        """Return the unit to store (the limit's own when none is given). Raises
        InvalidEntry for a unit that cannot be converted to the limit's."""
        unit = (unit or "").strip() or self.unit
        if self.unit and unit and unit != self.unit and unit not in self.units:
            raise InvalidEntry(f"单位 {unit} 不能换算为 {self.unit}，请选择：{' / '.join(self.units)} / "
                               f"unit cannot be converted", details={"unit": ["not convertible"]})
        return unit

    @property
    def hint(self) -> str:
        """Return a short hint of what to enter (for the empty field)."""
        if self.input == NUMBER:
            return f"输入数值{'（' + self.unit + '）' if self.unit else ''} / enter a number"
        words = " / ".join(c.text for c in self.choices)
        return f"选择：{words}" + (" 或输入数值 / pick or enter a number" if self.numeric else " / pick one")

    def check(self, text: str | None) -> str:
        """Return the value to store for `text` (a choice's own words, a grade "3-4",
        a number as typed). Raises InvalidEntry saying what the field accepts."""
        value = normalize_text(str(text or "")).strip()
        if not value:
            raise InvalidEntry(f"请输入检测结果：{self.hint}",
                               details={"measured": ["required"]})
        if self.input == GRADE:
            return self._grade(value)
        if self.choices:
            found = match_answer(tuple(_answers(self.choices)), value, marking=self.marking)
            if found is not None:
                return found.text
            if not self.numeric:
                raise InvalidEntry(f"“{value}”不是可选的结果，请从列表中选择：{' / '.join(c.text for c in self.choices)}"
                                   f" / pick one of the listed answers",
                                   details={"measured": ["not one of the choices"]})
        return self._number(value)

    def check_claim(self, text: str | None) -> str | None:
        """Return the claimed grade ("1".."5") of an energy label, or None when not given.
        Raises InvalidEntry for a grade the table does not have."""
        value = (text or "").strip()
        if not value:
            return None
        try:
            grade = parse_grade(value)
        except RulesError as exc:
            raise InvalidEntry(f"标称能效等级应为 {'、'.join(self.claims)} 级之一 / the claimed grade is one of "
                               f"{', '.join(self.claims)}",
                               details={"claimed_grade": ["not a grade"]}) from exc
        if self.claims and grade not in self.claims:
            raise InvalidEntry(f"标称能效等级应为 {'、'.join(self.claims)} 级之一 / the claimed grade is one of "
                               f"{', '.join(self.claims)}",
                               details={"claimed_grade": ["not in the grade table"]})
        return grade

    def _grade(self, value: str) -> str:
        text = value.replace("级", "").replace("～", "-").replace("~", "-").replace("—", "-").strip()
        if text in GREY_SCALE:
            return text
        raise InvalidEntry(f"“{value}”不是色牢度等级，请选择 {' / '.join(GREY_SCALE)} / pick a grade of the grey scale",
                           details={"measured": ["not a grade"]})

    def _number(self, value: str) -> str:
        try:
            parse_measured(value)
        except RulesError as exc:
            unit = f"（单位 {self.unit}）" if self.unit else ""
            raise InvalidEntry(f"“{value}”不是数值，请输入数字，例如 15 或 0.549{unit}；低于检出限写作 <0.01 / "
                               f"enter a number such as 15 or 0.549",
                               details={"measured": ["not a number"]}) from exc
        return value


def _answers(choices: tuple[Choice, ...]) -> list[Answer]:
    return [Answer(c.text, c.outcome or "pass", c.text_en) for c in choices]


def entry_spec(indicator: Indicator) -> EntrySpec:
    """Return the input `indicator` takes (see the module docstring). Raises nothing: an
    unreadable limit takes a number."""
    unit = indicator.unit
    if indicator.kind == "energy_grade":
        table = indicator.grade_table
        claims = tuple(row.grade for row in table.grades) if table else ()
        return EntrySpec(indicator.id, NUMBER, (table.unit if table and table.unit else unit), claims=claims)
    answers = answer_choices(indicator)
    choices = tuple(Choice(a.text, a.outcome, a.text_en) for a in answers)
    if indicator.kind == "marking":
        return EntrySpec(indicator.id, CHOICE, None, choices, marking=True)
    try:
        limit = parse_limit(indicator.limit, unit)
    except LimitParseError:
        limit = None
    if isinstance(limit, GradeLimit) or (unit == "级" and not choices):
        return EntrySpec(indicator.id, GRADE, unit, tuple(Choice(g) for g in GREY_SCALE))
    if isinstance(limit, NotDetectedLimit):
        return EntrySpec(indicator.id, CHOICE, unit, choices, numeric=True)
    if choices:
        # an indicator's own answers beside a numeric limit: a word or the measured value
        return EntrySpec(indicator.id, CHOICE, unit, choices, numeric=limit is not None and not isinstance(limit, EnumLimit))
    return EntrySpec(indicator.id, NUMBER, unit)
