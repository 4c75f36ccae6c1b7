"""RuleSet: a versioned catalog plus interpretations, judging indicators by id.

Limits are parsed once per (limit text, unit) and kept, so a rule set judges many values
cheaply. The verdict records the rule-set version, the indicator and every interpretation
that changed the judgement.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rules.errors import LimitParseError
from rules.interpretation import Interpretation, effective_interpretations
from rules.judge import judge
from rules.kinds import answer_choices, judge_answer, judge_energy_grade, match_answer
from rules.limits import Limit, parse_limit
from rules.verdict import Verdict

_EFFECT_TEXT = {
    "method": "判定方法改为 {}",
    "interval": "修约间隔改为 {}",
    "limit": "限值改为 {}",
    "applicable": "该指标不适用",
}
_UNVERIFIED_TEXT = {"value": "限值", "clause": "条款号", "test_method": "检验方法", "unit": "单位",
                    "scope": "适用范围", "wording": "措辞", "grade_table": "等级表"}


def unverified_note(indicator) -> tuple | None:
    """Return the verdict step warning that parts of the indicator were not confirmed by a
    public source (None when all were)."""
    parts = [_UNVERIFIED_TEXT.get(p, p) for p in indicator.unverified]
    if not parts:
        return None
    if indicator.confirmed:
        return ("说明：该指标的{}尚未与公开来源核对（待核实），限值已核对", ("、".join(parts),))
    return ("注意：该指标的{}尚未与公开来源核对（待核实），判定仅供参考，请以标准文本为准", ("、".join(parts),))


def _parses(text: str, unit: str | None) -> bool:
    try:
        parse_limit(text, unit)
    except LimitParseError:
        return False
    return True


def version_in_force(versions: Iterable[tuple[str, date]], on: date) -> str | None:
    """Return the rule-set version in force on `on`.

    `versions` are (version, effective_from) pairs ordered oldest first (by effective date,
    then by creation). The answer is the last one effective on or before `on`; a date
    before every version is judged with the oldest; None when there is none. The server's
    re-judgement and the device's offline judge both choose with this.
    """
    first = chosen = None
    for version, effective_from in versions:
        if first is None:
            first = version
        if effective_from <= on:
            chosen = version
    return chosen if chosen is not None else first


class RuleSet:
    """`version` (e.g. "2025.3"), a rules.catalog.Catalog and interpretations.

    judge_indicator() looks up an indicator, applies the interpretations in force on the
    inspection date, and judges.
    """

    def __init__(self, version: str, catalog, interpretations: tuple[Interpretation, ...] = ()):
        self.version = version
        self.catalog = catalog
        self.interpretations = tuple(interpretations)
        self._limits: dict[tuple[str, str | None], Limit] = {}

    def limit(self, text: str, unit: str | None) -> Limit:
        """Return the parsed limit (cached); raises LimitParseError."""
        key = (text, unit)
        found = self._limits.get(key)
        if found is None:
            found = self._limits[key] = parse_limit(text, unit)
        return found

    def judge_indicator(self, indicator_id: str, value, unit: str | None, *, on: date | None = None,
                        product_class: str | None = None, claimed: str | None = None) -> Verdict:
        """Return the Verdict of `value` (in `unit`) for the indicator `indicator_id`.

        `on` is the inspection date (default today) choosing the interpretations in force;
        `product_class` ("A", "B", "C") outside the indicator's classes, or an interpretation
        making it not applicable, gives an inconclusive verdict with applicable=False.
        By kind (docs/contracts.md): a marking item takes an answer (已标示 / 未标示 /
        标示不正确); a word limit accepts its answers (rules.kinds.answer_choices); an energy
        grade computes the grade and, with `claimed` (the label's grade), checks it.
        A verdict on a value not confirmed by a public source says so in its steps.
        Raises UnknownIndicator, LimitParseError, ValueParseError (see rules.judge.judge).
        """
        indicator = self.catalog.indicator(indicator_id)
        on = on or date.today()
        header = ("指标：{}（{} 第{}条），规则版本 {}",
                  (indicator.name, indicator.edition_id, indicator.clause, self.version))
        limit_text, method, interval = indicator.limit, indicator.method or "full", indicator.interval
        used: list[Interpretation] = []
        notes: list = []
        applicable = True
        for item in effective_interpretations(self.interpretations, indicator, on):
            (key, change), = item.effect.items()
            used.append(item)
            notes.append(("适用解释 {} 第{}版（{}，{} 起）：" + _EFFECT_TEXT[key],
                          (item.id, item.version, item.ref, item.effective, change)))
            if key == "method":
                method = change
            elif key == "interval":
                interval = change
            elif key == "limit":
                limit_text = change
            else:
                applicable = False
        ids = tuple(i.id for i in used)
        if product_class and indicator.classes and product_class not in indicator.classes:
            applicable = False
            notes.append(("产品类别 {} 不在该指标适用的类别 {} 内", (product_class, "、".join(indicator.classes))))
        if not applicable:
            return Verdict("inconclusive", None, (header, *notes), method, limit_text, self.version,
                           (indicator.id,), ids, "该指标不适用 (indicator not applicable)", applicable=False)
        verdict = self._judge_kind(indicator, value, unit, method, interval, limit_text, claimed, header, notes)
        warning = unverified_note(indicator)
        steps = verdict._steps if warning is None else (*verdict._steps, warning)
        return Verdict(verdict.outcome, verdict.compared_value, steps, verdict.method, limit_text,
                       self.version, (indicator.id,), ids, verdict.reason)

    def _judge_kind(self, indicator, value, unit, method, interval, limit_text, claimed, header, notes) -> Verdict:
        if indicator.kind == "marking":
            verdict = judge_answer(indicator, value, answer_choices(indicator), header)
            return verdict.replace(steps=(verdict._steps[0], *notes, *verdict._steps[1:]))
        if indicator.kind == "energy_grade":
            return judge_energy_grade(indicator, value, unit, method=method, limit_text=limit_text,
                                      claimed=claimed, header=header, notes=notes)
        if limit_text == indicator.limit and (indicator.answers or isinstance(value, str)):
            choices = answer_choices(indicator)
            matched = isinstance(value, str) and match_answer(choices, value) is not None
            if matched or (indicator.answers and not _parses(limit_text, indicator.unit)):
                verdict = judge_answer(indicator, value, choices, header, method)
                return verdict.replace(steps=(verdict._steps[0], *notes, *verdict._steps[1:]))
        limit = self.limit(limit_text, indicator.unit)
        verdict = judge(value, limit, method=method, interval=interval, value_unit=unit,
                        limit_unit=indicator.unit)
        return verdict.replace(steps=(header, *notes, *verdict._steps))
