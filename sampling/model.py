"""The directories a draw is made from, and the inspection items (frozen dataclasses).

    Enterprise  检查对象名录库 entry: credit code, name, address, jurisdiction, industry,
                risk class, products (GTIN-14s from the registry)
    Inspector   执法检查人员名录库 entry: roster code, name, ID number, jurisdiction, fields of
                competence, credit codes of enterprises with a conflict of interest (回避)
    Item        随机抽查事项清单 entry: what is checked, its legal basis, who may check it

`snapshot()` gives the part a published draw holds: what the algorithm uses and nothing
personal (an inspector appears by roster code only: no name, no ID number).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: SAMR's enterprise credit-risk classes (企业信用风险分类): A low … D high
RISK_CLASSES: dict[str, str] = {"A": "信用风险低（A类）", "B": "信用风险一般（B类）",
                                "C": "信用风险较高（C类）", "D": "信用风险高（D类）"}
RISK_ALIASES: dict[str, str] = {"低": "A", "低风险": "A", "信用风险低": "A",
                                "一般": "B", "一般风险": "B", "信用风险一般": "B",
                                "较高": "C", "较高风险": "C", "信用风险较高": "C",
                                "高": "D", "高风险": "D", "信用风险高": "D"}
#: fields of competence, the same ids as a standard's `field` in the catalog
FIELDS: dict[str, str] = {"textile": "纺织品", "food": "食品", "ebike": "电动自行车", "water": "生活饮用水",
                          "building-material": "建筑材料", "toy": "玩具", "food-contact": "食品接触材料",
                          "site": "现场检查"}


def jurisdiction_prefix(code: str) -> str:
    """Return the part of a 6-digit division code that the areas under it share:
    "110000" -> "11", "110100" -> "1101", "110105" -> "110105"."""
    text = code
    while len(text) > 2 and text.endswith("00"):
        text = text[:-2]
    return text


def covers(jurisdiction: str, other: str) -> bool:
    """True when division `jurisdiction` is `other` or contains it (by code prefix)."""
    return other.startswith(jurisdiction_prefix(jurisdiction))


@dataclass(frozen=True)
class Enterprise:
    credit_code: str
    name: str
    jurisdiction: str
    industry: str
    risk_class: str
    address: str = ""
    products: tuple[str, ...] = ()

    def snapshot(self) -> dict[str, Any]:
        """Return the published form: {credit_code, name, jurisdiction, industry, risk_class}."""
        return {"credit_code": self.credit_code, "name": self.name, "jurisdiction": self.jurisdiction,
                "industry": self.industry, "risk_class": self.risk_class}

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Enterprise:
        """Build from snapshot(); raises KeyError/TypeError on a malformed entry."""
        return cls(credit_code=str(data["credit_code"]), name=str(data["name"]),
                   jurisdiction=str(data["jurisdiction"]), industry=str(data["industry"]),
                   risk_class=str(data["risk_class"]))


@dataclass(frozen=True)
class Inspector:
    code: str
    jurisdiction: str
    competences: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    name: str = ""
    id_number: str = ""
    account: str | None = None      # the user name of the inspector's login, whose tablets get the tasks

    def snapshot(self) -> dict[str, Any]:
        """Return the published form: {code, jurisdiction, competences, conflicts} (sorted)."""
        return {"code": self.code, "jurisdiction": self.jurisdiction,
                "competences": sorted(self.competences), "conflicts": sorted(self.conflicts)}

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Inspector:
        """Build from snapshot(); raises KeyError/TypeError on a malformed entry."""
        return cls(code=str(data["code"]), jurisdiction=str(data["jurisdiction"]),
                   competences=tuple(str(c) for c in data["competences"]),
                   conflicts=tuple(str(c) for c in data["conflicts"]))


@dataclass(frozen=True)
class Item:
    """An inspection item: a product category with its standards and indicators, or a site
    requirement; `competence` is the field an inspector must hold to check it."""
    id: str
    name: str
    competence: str
    legal_basis: str
    category: str | None = None
    standards: tuple[str, ...] = ()
    indicators: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form used in plans."""
        return {"id": self.id, "name": self.name, "competence": self.competence,
                "legal_basis": self.legal_basis, "category": self.category,
                "standards": list(self.standards), "indicators": list(self.indicators)}
