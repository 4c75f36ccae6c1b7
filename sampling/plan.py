"""A sampling plan (抽查工作计划): what is checked, where, how many, by how many inspectors.

    Plan.from_dict({
        "id": "2026-textile-q1", "name": "2026年一季度纺织品双随机抽查",
        "items": [{"id": "T-01", "name": "婴幼儿纺织产品甲醛含量", "competence": "textile",
                   "legal_basis": "《产品质量法》第十五条", "category": "infant",
                   "standards": ["GB 18401-2010", "GB 31701-2015"], "indicators": []}],
        "scope": {"jurisdictions": ["110105"], "industries": ["C18"], "risk_classes": []},
        "strata": ["risk_class"],
        "allocation": {"ratio": "0.05", "minimum": 1,
                       "overrides": [{"where": {"risk_class": "D"}, "ratio": "0.30"}]},
        "inspectors_per_target": 2, "max_targets_per_inspector": 10,
        "starts": "2026-03-01", "ends": "2026-05-31"})

Allocation: either a `ratio` (n_h = ceil(N_h × ratio), at least `minimum`, at most N_h; the
first override whose `where` matches the stratum's values sets that stratum's ratio) or a
`count` (split across strata in proportion to N_h by the largest-remainder method, ties to
the smaller stratum label). Scope lists are prefixes (division codes by their level, industry
codes by their start); an empty list means all. Ratios are decimal strings, never floats.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from sampling.errors import PlanError
from sampling.model import FIELDS, RISK_CLASSES, Item, covers

STRATUM_FIELDS = ("jurisdiction", "industry", "risk_class")
MIN_INSPECTORS = 2      # at least two officers per inspection


def _ratio(value: Any, field: str) -> Decimal:
    if isinstance(value, float) or not isinstance(value, (str, int)):
        raise PlanError(f"抽查比例应写成字符串形式的小数，如 \"0.05\"：{field}={value!r} "
                        f"(a ratio is a decimal string)", field=field)
    try:
        ratio = Decimal(str(value))
    except InvalidOperation as exc:
        raise PlanError(f"抽查比例无法识别：{field}={value!r} (not a number)", field=field) from exc
    if not ratio.is_finite() or not 0 < ratio <= 1:
        raise PlanError(f"抽查比例应大于0且不超过1：{field}={value} (ratio must be in (0, 1])", field=field)
    return ratio


def _int(value: Any, field: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise PlanError(f"{field} 应为不小于 {low} 的整数：{value!r} (an integer ≥ {low})", field=field)
    return value


def _strings(value: Any, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PlanError(f"{field} 应为字符串列表 (a list of strings)", field=field)
    return tuple(v.strip() for v in value)


@dataclass(frozen=True)
class Override:
    where: tuple[tuple[str, str], ...]
    ratio: Decimal

    def matches(self, values: dict[str, str]) -> bool:
        return all(values.get(k) == v for k, v in self.where)


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    items: tuple[Item, ...]
    strata: tuple[str, ...] = ()
    ratio: Decimal | None = None
    count: int | None = None
    minimum: int = 0
    overrides: tuple[Override, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    risk_classes: tuple[str, ...] = ()
    inspectors_per_target: int = MIN_INSPECTORS
    max_targets_per_inspector: int | None = None
    starts: str | None = None
    ends: str | None = None

    @property
    def competences(self) -> tuple[str, ...]:
        """Fields an inspector must hold to be drawn: every item's competence, sorted."""
        return tuple(sorted({i.competence for i in self.items}))

    def in_scope(self, jurisdiction: str, industry: str, risk_class: str) -> bool:
        """True when an enterprise with these values is in the plan's scope."""
        return ((not self.jurisdictions or any(covers(j, jurisdiction) for j in self.jurisdictions))
                and (not self.industries or any(industry.startswith(i) for i in self.industries))
                and (not self.risk_classes or risk_class in self.risk_classes))

    def ratio_for(self, values: dict[str, str]) -> Decimal:
        """The sampling ratio of a stratum with these values (first matching override, else ratio)."""
        for override in self.overrides:
            if override.matches(values):
                return override.ratio
        assert self.ratio is not None
        return self.ratio

    def allocate(self, populations: dict[str, tuple[dict[str, str], int]]) -> dict[str, int]:
        """Return {stratum label: sample size} for {label: (values, N_h)}; raises PlanError
        when a count exceeds the population."""
        if self.count is None:
            out = {}
            for label, (values, size) in populations.items():
                wanted = int((Decimal(size) * self.ratio_for(values)).to_integral_value(rounding=ROUND_CEILING))
                out[label] = min(size, max(self.minimum, wanted))
            return out
        total = sum(size for _, size in populations.values())
        if self.count > total:
            raise PlanError(f"抽取数量 {self.count} 超过范围内的检查对象数 {total} "
                            f"(count exceeds the {total} enterprises in scope)", field="allocation.count")
        shares = {label: Fraction(self.count * size, total) for label, (_, size) in populations.items()}
        out = {label: math.floor(share) for label, share in shares.items()}
        left = self.count - sum(out.values())
        for label in sorted(shares, key=lambda lb: (-(shares[lb] - out[lb]), lb))[:left]:
            out[label] += 1
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Plan:
        """Build and check a plan from its JSON form; raises PlanError naming the field."""
        if not isinstance(data, dict):
            raise PlanError("抽查计划应为 JSON 对象 (a plan is a JSON object)")
        plan_id, name = data.get("id"), data.get("name")
        if not isinstance(plan_id, str) or not plan_id.strip():
            raise PlanError("缺少计划编号 id (plan id is required)", field="id")
        if not isinstance(name, str) or not name.strip():
            raise PlanError("缺少计划名称 name (plan name is required)", field="name")
        items = tuple(_item(raw, n) for n, raw in enumerate(data.get("items") or []))
        if not items:
            raise PlanError("计划至少包含一个抽查事项 (a plan needs at least one item)", field="items")
        if len({i.id for i in items}) != len(items):
            raise PlanError("抽查事项编号重复 (item ids must be unique)", field="items")
        strata = _strings(data.get("strata"), "strata")
        unknown = [s for s in strata if s not in STRATUM_FIELDS]
        if unknown or len(set(strata)) != len(strata):
            raise PlanError(f"分层字段只能是 {'、'.join(STRATUM_FIELDS)}，且不重复：{strata} "
                            f"(strata fields: {', '.join(STRATUM_FIELDS)})", field="strata")
        allocation = data.get("allocation")
        if not isinstance(allocation, dict) or ("ratio" in allocation) == ("count" in allocation):
            raise PlanError("allocation 应给出 ratio（抽查比例）或 count（抽取数量）之一 "
                            "(give exactly one of ratio or count)", field="allocation")
        ratio = _ratio(allocation["ratio"], "allocation.ratio") if "ratio" in allocation else None
        count = _int(allocation["count"], "allocation.count", 1) if "count" in allocation else None
        minimum = _int(allocation.get("minimum", 0), "allocation.minimum", 0)
        overrides = tuple(_override(raw, n, strata) for n, raw in enumerate(allocation.get("overrides") or []))
        if overrides and count is not None:
            raise PlanError("按数量抽取时不能按层设比例 (overrides need a ratio allocation)",
                            field="allocation.overrides")
        scope = data.get("scope") or {}
        if not isinstance(scope, dict):
            raise PlanError("scope 应为 JSON 对象 (scope is an object)", field="scope")
        risk = _strings(scope.get("risk_classes"), "scope.risk_classes")
        if any(r not in RISK_CLASSES for r in risk):
            raise PlanError(f"信用风险分类只能是 A、B、C、D：{risk} (risk classes A–D)", field="scope.risk_classes")
        per_target = _int(data.get("inspectors_per_target", MIN_INSPECTORS), "inspectors_per_target", 1)
        if per_target < MIN_INSPECTORS:
            raise PlanError(f"每个检查对象至少派 {MIN_INSPECTORS} 名执法人员：{per_target} "
                            f"(at least two inspectors per target)", field="inspectors_per_target")
        cap = data.get("max_targets_per_inspector")
        cap = None if cap is None else _int(cap, "max_targets_per_inspector", 1)
        starts, ends = (_date(data.get(k), k) for k in ("starts", "ends"))
        if starts and ends and ends < starts:
            raise PlanError(f"结束日期早于开始日期：{starts}–{ends} (ends before it starts)", field="ends")
        return cls(id=plan_id.strip(), name=name.strip(), items=items, strata=strata, ratio=ratio, count=count,
                   minimum=minimum, overrides=overrides,
                   jurisdictions=_strings(scope.get("jurisdictions"), "scope.jurisdictions"),
                   industries=tuple(i.upper() for i in _strings(scope.get("industries"), "scope.industries")),
                   risk_classes=risk, inspectors_per_target=per_target, max_targets_per_inspector=cap,
                   starts=starts, ends=ends)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (ratios as strings); from_dict(to_dict()) == self."""
        allocation: dict[str, Any] = {"minimum": self.minimum}
        if self.count is not None:
            allocation["count"] = self.count
        else:
            allocation["ratio"] = str(self.ratio)
            allocation["overrides"] = [{"where": dict(o.where), "ratio": str(o.ratio)} for o in self.overrides]
        return {"id": self.id, "name": self.name, "items": [i.to_dict() for i in self.items],
                "scope": {"jurisdictions": list(self.jurisdictions), "industries": list(self.industries),
                          "risk_classes": list(self.risk_classes)},
                "strata": list(self.strata), "allocation": allocation,
                "inspectors_per_target": self.inspectors_per_target,
                "max_targets_per_inspector": self.max_targets_per_inspector,
                "starts": self.starts, "ends": self.ends}


def _date(value: Any, field: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise PlanError(f"日期格式应为 YYYY-MM-DD：{field}={value!r} (bad date)", field=field) from exc


def _item(raw: Any, n: int) -> Item:
    where = f"items[{n}]"
    if not isinstance(raw, dict):
        raise PlanError(f"抽查事项应为 JSON 对象：{where} (an item is an object)", field=where)
    for key in ("id", "name", "competence", "legal_basis"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise PlanError(f"抽查事项缺少 {key}：{where} (item needs {key})", field=f"{where}.{key}")
    if raw["competence"] not in FIELDS:
        raise PlanError(f"未知执法领域：{raw['competence']}（可选：{', '.join(FIELDS)}） (unknown competence)",
                        field=f"{where}.competence")
    category = raw.get("category")
    if category is not None and not isinstance(category, str):
        raise PlanError(f"category 应为字符串：{where} (category is a string)", field=f"{where}.category")
    return Item(id=raw["id"].strip(), name=raw["name"].strip(), competence=raw["competence"],
                legal_basis=raw["legal_basis"].strip(), category=category,
                standards=_strings(raw.get("standards"), f"{where}.standards"),
                indicators=_strings(raw.get("indicators"), f"{where}.indicators"))


def _override(raw: Any, n: int, strata: tuple[str, ...]) -> Override:
    where = f"allocation.overrides[{n}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("where"), dict) or not raw["where"]:
        raise PlanError(f"{where} 应为 {{\"where\": {{…}}, \"ratio\": \"…\"}} (override shape)", field=where)
    conditions = raw["where"]
    if any(k not in strata or not isinstance(v, str) for k, v in conditions.items()):
        raise PlanError(f"{where}.where 只能使用分层字段 {', '.join(strata) or '（未分层）'} "
                        f"(conditions must use the strata fields)", field=f"{where}.where")
    return Override(where=tuple(sorted(conditions.items())), ratio=_ratio(raw.get("ratio"), f"{where}.ratio"))
