"""Fixtures for the sampling tests: real credit codes (check characters computed by
python-stdnum), a small directory and roster, and a plan."""
from __future__ import annotations

import copy

import pytest
from stdnum.cn import uscc

from sampling import Enterprise, Inspector, Plan

DISTRICTS = ("110105", "110108")     # 朝阳区, 海淀区
RISKS = ("A", "B", "C", "D")


def credit_code(n: int, district: str = "110105") -> str:
    """A valid 统一社会信用代码 for enterprise number n in a district."""
    body = f"91{district}MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def make_directory(size: int = 40) -> list[Enterprise]:
    """`size` enterprises spread over two districts, two industries and four risk classes."""
    out = []
    for n in range(size):
        district = DISTRICTS[n % 2]
        out.append(Enterprise(credit_code=credit_code(n, district), name=f"示例企业{n:03d}有限公司",
                              jurisdiction=district, industry=("C18", "C17")[n // 2 % 2],
                              risk_class=RISKS[n // 4 % 4]))
    return out


def make_roster(size: int = 8) -> list[Inspector]:
    """`size` textile inspectors, half in each district; every fourth also does food."""
    return [Inspector(code=f"JC{n:03d}", jurisdiction=DISTRICTS[n % 2],
                      competences=("textile", "food") if n % 4 == 0 else ("textile",))
            for n in range(size)]


PLAN = {
    "id": "2026-textile-q1", "name": "2026年一季度纺织品双随机抽查",
    "items": [{"id": "T-01", "name": "婴幼儿纺织产品甲醛含量与pH值", "competence": "textile",
               "legal_basis": "《中华人民共和国产品质量法》第十五条", "category": "infant",
               "standards": ["GB 18401-2010", "GB 31701-2015"], "indicators": []}],
    "scope": {"jurisdictions": ["110000"], "industries": [], "risk_classes": []},
    "strata": ["risk_class"],
    "allocation": {"ratio": "0.25", "minimum": 1, "overrides": [{"where": {"risk_class": "D"}, "ratio": "0.5"}]},
    "inspectors_per_target": 2,
    "starts": "2026-03-01", "ends": "2026-05-31",
}
SEED = "0f" * 32


@pytest.fixture
def plan_json() -> dict:
    return copy.deepcopy(PLAN)


@pytest.fixture
def plan(plan_json) -> Plan:
    return Plan.from_dict(plan_json)


@pytest.fixture
def directory() -> list[Enterprise]:
    return make_directory()


@pytest.fixture
def roster() -> list[Inspector]:
    return make_roster()
