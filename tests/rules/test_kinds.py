"""rules.kinds through RuleSet: marking items, word answers (pick lists), energy grades, and
the warning on values no public source confirmed. Cases: tests/cases/rules/kinds.json."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rules.catalog import Catalog, GradeRow, GradeTable
from rules.errors import RulesError, ValueParseError
from rules.kinds import MARKING_ANSWERS, answer_choices, grade_of, judge_energy_grade, parse_grade
from rules.ruleset import RuleSet

CASES = json.loads((Path(__file__).parents[1] / "cases" / "rules" / "kinds.json").read_text(encoding="utf-8"))


def _catalog(indicators, unverified=()):
    by_edition: dict[str, list] = {}
    for ind in indicators:
        by_edition.setdefault(ind["id"].split("/")[0], []).append({**ind, "unverified": list(unverified)})
    standards = []
    for edition_id, inds in by_edition.items():
        code, year = edition_id.rsplit("-", 1)
        clauses = [{"number": n, "title": n} for n in dict.fromkeys(i["clause"] for i in inds)]
        standards.append({"code": code, "title": code, "field": "food", "mandatory": True, "editions": [
            {"id": edition_id, "year": int(year), "title": code, "effective": f"{year}-06-01",
             "source": {"title": "test"}, "clauses": clauses, "indicators": inds}]})
    return Catalog.from_dicts(standards)


RULES = RuleSet("test", _catalog(CASES["indicators"]))


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: f"{c['indicator'].split('/')[-1]}-{c['value']}-{c.get('claimed')}")
def test_shared_kind_cases(case):
    call = lambda: RULES.judge_indicator(case["indicator"], case["value"], None, on=date(2026, 12, 1),
                                         claimed=case.get("claimed"))
    if "error" in case:
        with pytest.raises(ValueParseError):
            call()
        return
    verdict = call()
    assert (verdict.outcome, verdict.compared_value) == (case["outcome"], case["compared"])
    assert verdict.indicator_ids == (case["indicator"],) and verdict.ruleset_version == "test"
    assert verdict.steps and all(isinstance(s, str) for s in verdict.steps)


def test_marking_verdict_explains_item_and_answer():
    verdict = RULES.judge_indicator("GB 7718-2011/4.1.2/food-name", "未标示", None)
    assert verdict.method == "answer" and "食品名称" in verdict.reason
    assert any("检查结果：未标示" in s for s in verdict.steps)
    assert "逐项核对" in verdict.summary()


def test_energy_grade_verdict_names_grade_and_claim():
    verdict = RULES.judge_indicator("GB 21455-2019/4.2/apf/cc-4500", "4.62", None, claimed="1")
    text = "\n".join(verdict.steps)
    assert "达到 2 级" in text and "标称能效等级 1 级" in text and "未达到标称等级" in text
    assert "标称" in verdict.reason
    below = RULES.judge_indicator("GB 21455-2019/4.2/apf/cc-4500", "3.1", None)
    assert "未达到任何等级" in "\n".join(below.steps) and "能效限定值" in below.reason


@pytest.mark.parametrize("ident, expected", [
    ("GB 7718-2011/4.1.2/food-name", [("已标示", "pass"), ("未标示", "fail"), ("标示不正确", "fail")]),
    ("GB 18401-2010/4.1/odour", [("无异味", "pass"), ("有异味", "fail")]),
    ("GB 5749-2022/4.2/total-coliforms", [("未检出", "pass"), ("检出", "fail")]),
    ("GB 6566-2010/3.1/conclusion", [("符合", "pass"), ("不符合", "fail")]),
    ("GB 21455-2019/4.2/apf/cc-4500", []),
])
def test_answer_choices_are_the_pick_list(ident, expected):
    assert [(a.text, a.outcome) for a in answer_choices(RULES.catalog.indicator(ident))] == expected


def test_marking_answers_have_english():
    assert [a.text_en for a in MARKING_ANSWERS] == ["present", "absent", "wrong"]


@pytest.mark.parametrize("text, grade", [("1", "1"), ("1级", "1"), ("一级", "1"), (" ５ 级", "5"), ("三", "3")])
def test_parse_grade(text, grade):
    assert parse_grade(text) == grade


@pytest.mark.parametrize("text", ["", "一等", "10", "A"])
def test_parse_grade_rejects(text):
    with pytest.raises(ValueParseError):
        parse_grade(text)


def test_grade_of_lower_is_better_table():
    # refrigerators: the energy efficiency index must be at most the grade's value
    table = GradeTable("能效指数 η", "%", (GradeRow("1", "≤35"), GradeRow("2", "≤50"), GradeRow("3", "≤60")))
    assert [grade_of(table, v) for v in ("30", "35", "35.1", "60", "61")] == ["1", "1", "2", "3", None]


def test_energy_grade_without_table_raises():
    ind = RULES.catalog.indicator("GB 18401-2010/4.1/odour")
    with pytest.raises(RulesError):
        judge_energy_grade(ind, "1", None, method="full", limit_text="≥1", claimed=None, header=("x", ()), notes=[])


@pytest.mark.parametrize("parts, warned, word", [
    ((), False, None), (("value",), True, "判定仅供参考"), (("clause",), True, "限值已核对"),
])
def test_unverified_values_are_flagged_in_the_verdict(parts, warned, word):
    rules = RuleSet("t", _catalog(CASES["indicators"], parts))
    verdict = rules.judge_indicator("GB 18401-2010/4.1/odour", "无异味", None)
    flagged = [s for s in verdict.steps if "待核实" in s]
    assert bool(flagged) is warned
    if word:
        assert word in flagged[0]
    assert rules.catalog.indicator("GB 18401-2010/4.1/odour").confirmed is ("value" not in parts)
