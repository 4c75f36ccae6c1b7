"""A year of demo work, made deterministically from a seed and dated relative to today:
inspections in four districts of Beijing and Shanghai pushed through the real push
service, reviews in every state, photos (made by a photo maker the caller hands in: the
composition root wires the tablet's watermark pipeline), questions answered and open,
published interpretations whose re-scan flags changed verdicts, 回头看 reminders and the
compliance figures, so that every page shows something on first start.

    plan = year_plan(products, catalog, today=date.today(), seed=2026)   # pure: no database
    apply_plan(plan, photo_maker=...)                                    # the caller commits

Every moment is set on the server's one clock while its event is applied (pushes,
reviews, answers and publications carry their own dates), then the clock is given back.
"""
from __future__ import annotations

import contextlib
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from stdnum.cn import uscc

from rules.catalog import Catalog, Indicator
from rules.editions import edition_in_force
from rules.errors import RulesError
from rules.limits.parser import parse_limit
from rules.limits.types import NumericLimit

CHINA = ZoneInfo("Asia/Shanghai")
#: (district code, city, district, inspectors, supervisor, centre lat/lon, streets)
DISTRICTS = (
    ("110105", "北京市", "朝阳区", ("insp_chaoyang", "insp_chaoyang2"), "sup_chaoyang", (39.9219, 116.4436),
     ("建国路", "朝阳北路", "望京街", "酒仙桥路", "东三环中路")),
    ("110108", "北京市", "海淀区", ("insp_haidian", "insp_haidian2"), "sup_haidian", (39.9593, 116.2982),
     ("中关村大街", "学院路", "西直门北大街", "万泉河路", "清河中街")),
    ("310115", "上海市", "浦东新区", ("insp_pudong", "insp_pudong2"), "sup_pudong", (31.2215, 121.5447),
     ("世纪大道", "张杨路", "浦东南路", "川沙路", "金桥路")),
    ("310104", "上海市", "徐汇区", ("insp_xuhui", "insp_xuhui2"), "sup_xuhui", (31.1885, 121.4365),
     ("漕溪北路", "肇嘉浜路", "虹桥路", "田林路", "龙华中路")),
)
#: kinds of enterprise inspected (name suffix, kind of place)
SHOPS = ("商贸有限公司", "百货有限公司", "母婴用品店", "家居建材市场经营部", "电动车销售有限公司", "超市有限公司")
SHOP_WORDS = ("恒信", "华联", "佳和", "永辉", "宏达", "安家", "贝贝", "乐购", "金盛", "同福", "瑞丰", "新世纪")
QUESTIONS = (
    "婴幼儿服装的甲醛含量实测 20.4 mg/kg，限值 ≤20，是按修约值还是全数值比较判定？",
    "电动自行车最高车速实测 25.3 km/h，是否需要按 GB/T 8170 修约后再与限值比较？",
    "窗帘属于直接接触皮肤还是非直接接触皮肤产品？应按哪一类安全技术要求判定？",
    "包装饮用水的检测报告只给出“未检出”，现场记录时应如何填写检测值？",
    "复合木地板的甲醛释放量，企业提供的是气候箱法结果，与标准方法不一致时如何处理？",
    "儿童积木的可迁移元素检测，样品只有一个颜色时是否还需要分色取样？",
    "同一批次婴儿连体衣有两份检测报告，结果一份合格一份不合格，以哪份为准？",
    "电动自行车整车质量含不含蓄电池？铅酸和锂电的限值不同，现场怎样确认电池类型？",
    "pH 值限值 4.0~7.5，实测 7.55，修约到一位小数后是 7.6 还是 7.5？",
    "食品接触用塑料保鲜盒的总迁移量，标签上标注的使用温度不同，是否影响判定？",
    "童装标签上标注 B 类，但款式是婴幼儿服装，现场应按哪一类判定？",
    "标准新版本即将实施，过渡期内按旧版本判定合格的产品，需要在记录中注明吗？",
)
ANSWERS = (
    "按 GB/T 8170 的规定，标准未注明时采用全数值比较法；本条已发布解释，自生效日起按修约值比较法判定。",
    "最高车速按全数值比较法判定，实测值不作修约，25.3 km/h 超过 25 km/h 的限值。",
    "窗帘等悬挂装饰类产品按非直接接触皮肤的产品（C 类）判定。",
    "检测结果为未检出时，在检测值处填写“未检出”并注明检出限；判定为符合。",
    "以标准规定的检测方法为准；企业自行检测的结果只能作为参考，应抽样送检。",
    "单一颜色的样品按一个部位取样即可，但应在记录中注明。",
    "两份报告结论矛盾时，以有资质的检验机构按标准方法对同一批次抽样检验的结果为准，并复检确认。",
    "整车质量包含蓄电池；现场查看电池铭牌或合格证上的电池类型。",
)


@dataclass
class DemoInspection:
    """One inspection of the plan and what happens to it afterwards."""

    id: str
    inspector: str
    supervisor: str
    at: datetime                          # when it was pushed (UTC)
    data: dict[str, Any]
    reviews: list[tuple[datetime, str, str]] = field(default_factory=list)   # (at, outcome, comment)
    resubmit_at: datetime | None = None   # the inspector's correction after a return
    photos: list[dict[str, str]] = field(default_factory=list)   # {taken_at, place, inspector, record_id}


@dataclass
class YearPlan:
    """Everything the demo year applies, in time order per kind."""

    inspections: list[DemoInspection]
    questions: list[dict[str, Any]]       # {id, inspector, at, data, answer: (at, text) | None}
    publications: list[dict[str, Any]]    # {at, title, text, effect, effective, clauses, indicator_ids, question}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _moment(day: date, rng: random.Random, start: int = 9, end: int = 17) -> datetime:
    local = datetime.combine(day, time(rng.randrange(start, end), rng.randrange(60), rng.randrange(60)), CHINA)
    return local.astimezone(UTC)


def _credit_code(rng: random.Random, district: str) -> str:
    body = "9" + "1" + district + "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(7))
    return body + uscc.calc_check_digit(body)


def _indicators(product: dict, catalog: Catalog, on: date) -> list[tuple[Indicator, NumericLimit]]:
    """The product's numeric indicators in force on `on` that apply to its category and class."""
    out = []
    for ref in product.get("standards") or []:
        category = ref.get("category")
        try:
            std = catalog.standard(ref["standard"])
            edition = std.edition(ref["edition"]) if ref.get("edition") else edition_in_force(std, on)
        except RulesError:
            continue
        wanted = {c for c in (category, product.get("category")) if c}
        for ind in edition.indicators:
            if ind.classes and product.get("product_class") not in ind.classes:
                continue
            if ind.categories and not wanted & set(ind.categories):
                continue
            try:
                limit = parse_limit(ind.limit, ind.unit)
            except (RulesError, ValueError):
                continue
            if isinstance(limit, NumericLimit) and (limit.upper or limit.lower):
                out.append((ind, limit))
    return out


def _places(value: Decimal) -> int:
    return max(1, -value.as_tuple().exponent + 1) if value.as_tuple().exponent < 0 else 1


def _measure(limit: NumericLimit, rng: random.Random, outcome: str) -> str:
    """Return a measured value (text) that is clearly `outcome` ("pass"/"fail") against
    `limit`, or "borderline": just above an upper limit, within half a rounding step."""
    upper = limit.upper.value if limit.upper else None
    lower = limit.lower.value if limit.lower else None
    ref = upper if upper is not None else lower
    places = _places(ref)
    if outcome == "borderline" and upper is not None:
        step = Decimal(1).scaleb(-(places - 1))
        return str((upper + step * Decimal("0.4")).quantize(Decimal(1).scaleb(-places)))
    if upper is not None and lower is not None:
        span = upper - lower
        if outcome == "pass":
            value = lower + span * Decimal(str(rng.uniform(0.2, 0.8)))
        else:
            value = upper + span * Decimal(str(rng.uniform(0.1, 0.3)))
    elif upper is not None:
        value = upper * Decimal(str(rng.uniform(0.15, 0.85) if outcome == "pass" else rng.uniform(1.12, 1.6)))
    else:
        value = lower * Decimal(str(rng.uniform(1.1, 1.5) if outcome == "pass" else rng.uniform(0.55, 0.9)))
    return str(value.quantize(Decimal(1).scaleb(-places)))


def _review_plan(item: DemoInspection, today: date, rng: random.Random, failed: bool) -> None:
    """Choose what happened after the push: nothing yet (recent), approved, returned and
    corrected, returned and still open, or rejected."""
    age = (today - item.at.astimezone(CHINA).date()).days
    if item.data.get("status") == "draft" or age < rng.randrange(2, 12):
        return
    first = item.at + timedelta(days=rng.randrange(1, 4), hours=rng.randrange(1, 6))
    roll = rng.random()
    if failed and roll < 0.12:
        item.reviews.append((first, "rejected", "检测报告与现场记录的批号不一致，不予通过，请重新抽样。"))
    elif roll < 0.2:
        item.reviews.append((first, "returned", "请补充产品批号并上传标签照片后重新提交。"))
        if age > 14 or rng.random() < 0.5:
            item.resubmit_at = first + timedelta(days=1, hours=2)
            if age > 21:
                item.reviews.append((item.resubmit_at + timedelta(days=1), "approved", ""))
    else:
        item.reviews.append((first, "approved", ""))


def year_plan(products: list[dict], catalog: Catalog, *, today: date, seed: int = 2026,
              count: int = 360, photos_every: int = 4) -> YearPlan:
    """Return the demo year ending `today`: `count` inspections over the 365 days before it
    (weekdays, four districts), their reviews, questions and publications. Pure and
    deterministic for the same arguments. Raises nothing."""
    rng = random.Random(seed)
    usable = [p for p in products if _indicators(p, catalog, today)]
    shops = {d[0]: [(f"{d[2][:2]}{rng.choice(SHOP_WORDS)}{rng.choice(SHOPS)}", _credit_code(rng, d[0]),
                     f"{d[1]}{d[2]}{rng.choice(d[6])}{rng.randrange(1, 400)}号") for _ in range(14)]
             for d in DISTRICTS}
    days = [today - timedelta(days=k) for k in range(365, -1, -1)]
    days = [d for d in days if d.weekday() < 5]
    inspections = []
    for n in range(count):
        # more recent work than old work: the last weeks are busy
        day = days[min(len(days) - 1, int(len(days) * (1 - (1 - rng.random()) ** 1.6)))]
        code, _city, _district, inspectors, supervisor, (lat, lon), _streets = DISTRICTS[n % len(DISTRICTS)]
        product = rng.choice(usable)
        company, credit, address = rng.choice(shops[code])
        candidates = _indicators(product, catalog, day)
        picked = rng.sample(candidates, min(len(candidates), rng.randint(1, 4)))
        ident = _uuid(rng)
        findings, failed = [], False
        for k, (ind, limit) in enumerate(picked):
            roll = rng.random()
            if roll < (0.3 if "/formaldehyde/" in ind.id else 0.05) and limit.upper is not None and limit.lower is None:
                outcome, device = "borderline", "pass"        # the tablet rounded; the server compares in full
            elif roll < 0.16:
                outcome, device = "fail", "fail"
            else:
                outcome, device = "pass", "pass"
            failed |= outcome != "pass"
            findings.append({"id": f"{ident[:-4]}{k:04d}", "indicator_id": ind.id,
                             "measured": _measure(limit, rng, outcome), "unit": ind.unit,
                             "device_verdict": {"outcome": device}, "ruleset_version": None})
        at = _moment(day, rng)
        started = at - timedelta(minutes=rng.randrange(25, 90))
        data = {"id": ident, "inspected_on": day.isoformat(), "jurisdiction": code,
                "company_name": company, "credit_code": credit, "address": address,
                "gtin": product["gtin"], "product_name": product.get("name"),
                "product_class": product.get("product_class"), "category": product.get("category"),
                "batch": f"B{day:%Y%m}{rng.randrange(1, 99):02d}",
                "started_at": started.isoformat(), "ended_at": at.isoformat(),
                "position": {"lat": f"{lat + rng.uniform(-0.03, 0.03):.6f}", "lon": f"{lon + rng.uniform(-0.03, 0.03):.6f}"},
                "findings": findings}
        if (today - day).days < 3 and rng.random() < 0.15:
            data["status"] = "draft"
        item = DemoInspection(ident, rng.choice(inspectors), supervisor, at, data)
        if rng.randrange(photos_every) == 0:
            item.photos = [{"taken_at": f"{at.astimezone(CHINA) - timedelta(minutes=5):%Y-%m-%d %H:%M:%S}",
                            "place": f"{address}（{data['position']['lat']}, {data['position']['lon']}）",
                            "inspector": item.inspector, "record_id": ident}]
        _review_plan(item, today, rng, failed)
        inspections.append(item)
    inspections.sort(key=lambda i: i.at)
    questions = []
    for n, text in enumerate(QUESTIONS):
        asked = inspections[int(len(inspections) * (n + 1) / (len(QUESTIONS) + 2))]
        first = asked.data["findings"][0]
        at = asked.at + timedelta(hours=1)
        answer = None
        if n < len(ANSWERS) and (today - at.astimezone(CHINA).date()).days > 5:
            answer = (at + timedelta(days=2, hours=3), ANSWERS[n])
        questions.append({"id": _uuid(rng), "inspector": asked.inspector, "at": at, "answer": answer,
                          "data": {"text": text, "inspection_id": asked.id, "indicator_id": first["indicator_id"],
                                   "device_created_at": at.isoformat()}})
    publish_at = _moment(today - timedelta(days=40), rng)
    publications = [{
        "at": publish_at, "title": "GB 18401-2010 甲醛含量按修约值比较法判定",
        "text": "GB 18401-2010 第 4.1 条甲醛含量的检测结果，按 GB/T 8170-2008 第 4.3.3 条的修约值比较法判定："
                "将检测值修约到与限值相同的数位后再与限值比较。适用于本解释生效日及以后的检查。",
        "effect": {"method": "rounded"}, "effective": today - timedelta(days=330),
        "clauses": [{"edition_id": "GB 18401-2010", "clause": "4.1"}],
        "indicator_ids": [i.id for i in catalog.edition("GB 18401-2010").indicators
                          if "/formaldehyde/" in i.id] if _has_edition(catalog, "GB 18401-2010") else [],
        "question": 0,
    }, {
        "at": publish_at + timedelta(days=12), "title": "悬挂装饰类纺织产品按非直接接触皮肤的产品判定",
        "text": "窗帘、帷幔等悬挂装饰用纺织产品，按 GB 18401-2010 中非直接接触皮肤的产品（C 类）的要求判定；"
                "其 pH 值按全数值比较法判定。",
        "effect": {"method": "full"}, "effective": today - timedelta(days=300),
        "clauses": [{"edition_id": "GB 18401-2010", "clause": "4.1"}], "question": 2,
        # the pH values only: a clause-wide "full" would undo the first interpretation's rounding
        "indicator_ids": [i.id for i in catalog.edition("GB 18401-2010").indicators
                          if "/ph/" in i.id] if _has_edition(catalog, "GB 18401-2010") else [],
    }]
    publications = [p for p in publications if _has_edition(catalog, p["clauses"][0]["edition_id"])]
    return YearPlan(inspections, questions, publications)


def _has_edition(catalog: Catalog, edition_id: str) -> bool:
    try:
        catalog.edition(edition_id)
    except RulesError:
        return False
    return True


@contextlib.contextmanager
def frozen_clock(clock_module) -> Iterator[Callable[[datetime], None]]:
    """Yield a setter of the server's clock (`clock_module.now`); the real clock comes back
    on exit."""
    real = clock_module.now
    moment = {"at": real()}
    clock_module.now = lambda: moment["at"]
    try:
        yield lambda at: moment.__setitem__("at", at)
    finally:
        clock_module.now = real


#: makes the evidence photos: [(watermark {taken_at, place, inspector, record_id}, seed), ...]
#: → their JPEG bytes in the same order (an iterable: the maker may still be drawing the later
#: ones while the first are stored)
PhotoMaker = Callable[[list[tuple[dict[str, str], int]]], Iterable[bytes]]
