"""Plans: what a supervisor may write, and the message for each mistake."""
from __future__ import annotations

import copy

import pytest
from conftest import PLAN

from sampling import Plan, PlanError


def test_round_trip(plan):
    assert Plan.from_dict(plan.to_dict()) == plan
    assert plan.competences == ("textile",)


def _with(path: str, value):
    data = copy.deepcopy(PLAN)
    target = data
    *parents, last = path.split(".")
    for p in parents:
        target = target[int(p)] if isinstance(target, list) else target[p]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize("path, value, field, words", [
    ("id", "", "id", "计划编号"),
    ("items", [], "items", "至少包含一个抽查事项"),
    ("items.0.competence", "carpentry", "items[0].competence", "未知执法领域"),
    ("items.0.legal_basis", KeyError, "items[0].legal_basis", "legal_basis"),
    ("strata", ["colour"], "strata", "分层字段"),
    ("allocation", {"ratio": "0.1", "count": 3}, "allocation", "之一"),
    ("allocation.ratio", 0.05, "allocation.ratio", "字符串"),
    ("allocation.ratio", "1.5", "allocation.ratio", "不超过1"),
    ("allocation.ratio", "0", "allocation.ratio", "大于0"),
    ("allocation.ratio", "五成", "allocation.ratio", "无法识别"),
    ("allocation.overrides", [{"where": {"industry": "C18"}, "ratio": "0.2"}], "allocation.overrides[0].where",
     "分层字段"),
    ("inspectors_per_target", 1, "inspectors_per_target", "至少派 2 名"),
    ("inspectors_per_target", "2", "inspectors_per_target", "整数"),
    ("scope.risk_classes", ["E"], "scope.risk_classes", "A、B、C、D"),
    ("ends", "2026-02-01", "ends", "早于"),
    ("starts", "2026/03/01", "starts", "YYYY-MM-DD"),
])
def test_mistakes_are_named(path, value, field, words):
    with pytest.raises(PlanError, match=words) as caught:
        Plan.from_dict(_with(path, value))
    assert caught.value.field == field


def test_not_an_object():
    with pytest.raises(PlanError):
        Plan.from_dict(["plan"])
