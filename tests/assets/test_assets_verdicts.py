"""Generated from the real catalog: every indicator is judged on both sides of its limit
(a value that passes and one that fails), every relation resolves, and every value no
public source confirmed is marked so and warned of in the verdict."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assets import load_catalog
from rules.chain import standard_chain, unresolved
from rules.kinds import answer_choices
from rules.limits import (
    EnumLimit,
    GradeLimit,
    NotDetectedLimit,
    NumericLimit,
    format_decimal,
    grade_text,
    parse_limit,
)
from rules.ruleset import RuleSet

ON = date(2026, 12, 1)
CATALOG = load_catalog()
RULES = RuleSet("assets", CATALOG)
INDICATORS = list(CATALOG.indicators())


def _step(limit: NumericLimit) -> Decimal:
    return Decimal((0, (1,), limit.exponent))


def _sides(ind) -> list[tuple[str, str, str | None]]:
    """(value, expected outcome, claimed grade) on both sides of the indicator's limit."""
    choices = answer_choices(ind)
    if ind.kind == "marking" or ind.answers or (choices and not isinstance(
            parse_limit(ind.limit, ind.unit), (NumericLimit, GradeLimit))):
        return [(a.text, a.outcome, None) for a in choices]
    if ind.kind == "energy_grade":
        out = []
        for row in ind.grade_table.grades:
            lim = parse_limit(row.limit, ind.grade_table.unit)
            bound = lim.lower or lim.upper
            out.append((format_decimal(bound.value), "pass", row.grade))
        limit = parse_limit(ind.limit, ind.unit)
        out += [(v, o, None) for v, o, _ in _numeric(limit)]
        return out
    limit = parse_limit(ind.limit, ind.unit)
    if isinstance(limit, NumericLimit):
        return _numeric(limit)
    if isinstance(limit, GradeLimit):
        out = [(grade_text(limit.lower.value), "pass", None)] if limit.lower else []
        if limit.lower and limit.lower.value > 1:
            out.append((grade_text(limit.lower.value - Decimal("0.5")), "fail", None))
        return out
    if isinstance(limit, NotDetectedLimit):
        return [("未检出", "pass", None), ("1000", "fail", None)]
    assert isinstance(limit, EnumLimit)
    return [(limit.allowed[0], "pass", None), ("另有其他情况", "fail", None)]


def _numeric(limit: NumericLimit) -> list[tuple[str, str, str | None]]:
    step, out = _step(limit), []
    for bound, sign in ((limit.upper, 1), (limit.lower, -1)):
        if bound is None:
            continue
        inside = bound.value if bound.inclusive else bound.value - sign * step
        out.append((format_decimal(inside), "pass", None))
        out.append((format_decimal(bound.value + sign * step), "fail", None))
    return out


CASES = [(ind.id, v, o, c) for ind in INDICATORS for v, o, c in _sides(ind)]


def test_every_indicator_has_both_sides():
    have = {}
    for ident, _, outcome, _ in CASES:
        have.setdefault(ident, set()).add(outcome)
    missing = [i.id for i in INDICATORS if have.get(i.id) != {"pass", "fail"}]
    assert missing == []


@pytest.mark.parametrize("ident, value, outcome, claimed", CASES)
def test_verdict_on_each_side_of_the_limit(ident, value, outcome, claimed):
    ind = CATALOG.indicator(ident)
    unit = ind.grade_table.unit if ind.grade_table else ind.unit
    verdict = RULES.judge_indicator(ident, value, unit, on=ON, claimed=claimed)
    assert verdict.outcome == outcome, verdict.steps
    warned = any("待核实" in s for s in verdict.steps)
    assert warned is bool(ind.unverified)
    if not ind.confirmed:
        assert any("判定仅供参考" in s for s in verdict.steps)


def test_every_relation_resolves():
    assert unresolved(CATALOG, ON) == ()


@pytest.mark.parametrize("edition_id", [e.id for s in CATALOG.standards for e in s.editions])
def test_every_edition_has_a_chain(edition_id):
    chain = standard_chain(CATALOG, edition_id, ON)
    assert all(link.resolved or link.relation in ("replaces", "replaces_part") for link in chain.links())
    assert chain.to_dict()["edition_id"] == edition_id


def test_verify_marks_and_unverified_agree():
    """A `[verify]` mark in an indicator's source or note means `unverified` is not empty."""
    stale = [i.id for i in INDICATORS
             if "[verify]" in f"{i.source and i.source.note} {i.note}" and not i.unverified]
    assert stale == []


def test_values_without_a_url_are_unverified():
    bare = [i.id for i in INDICATORS if (i.source is None or not i.source.url) and i.confirmed]
    assert bare == []
