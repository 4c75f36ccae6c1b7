"""A large, deterministic, SYNTHETIC standards catalog for load and search tests.

Never loaded by default and never mixed with the real data: codes use the unassigned
range GB 60000-69999 and every source note says "synthetic". Titles, indicator names,
limits and units are composed from real vocabularies (product families, hazards, test
methods) so that Chinese search and the limit parser see realistic text.

    python -m assets.synthetic --out /tmp/synthetic.json [--standards 500] [--indicators 20000] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta

__all__ = ["SYNTHETIC_SOURCE", "generate", "is_synthetic", "main"]

#: the source title of every synthetic edition: what marks a standard as test data
SYNTHETIC_SOURCE = "synthetic"


def is_synthetic(standard) -> bool:
    """Return True when every edition of `standard` (a rules.catalog.Standard) comes from
    this generator (its source title is SYNTHETIC_SOURCE): test data, never shown publicly."""
    editions = getattr(standard, "editions", ())
    return bool(editions) and all(getattr(e.source, "title", None) == SYNTHETIC_SOURCE for e in editions)

# (field, product family, category names, hazards applicable) -------------------------------
FAMILIES = [
    ("textile", "纺织产品", ["婴幼儿服装", "内衣", "床上用品", "毛巾", "袜子", "校服", "窗帘", "羽绒服"], "chem"),
    ("textile", "皮革制品", ["皮鞋", "皮革手套", "皮带", "箱包"], "chem"),
    ("toy", "玩具", ["塑胶玩具", "毛绒玩具", "木制玩具", "电动玩具", "童车", "造型黏土"], "chem"),
    ("food", "食品", ["谷物", "蔬菜", "水果", "鲜蛋", "生乳", "肉类", "水产品", "茶叶", "食用油", "酱油"], "food"),
    ("food-contact", "食品接触材料及制品", ["塑料餐具", "陶瓷餐具", "不锈钢锅具", "纸杯", "硅橡胶奶嘴", "玻璃容器"], "migr"),
    ("building-material", "室内装饰装修材料", ["胶合板", "木质地板", "内墙涂料", "胶粘剂", "壁纸", "地毯", "木家具"], "voc"),
    ("water", "生活饮用水及涉水产品", ["出厂水", "末梢水", "二次供水", "净水器出水", "输配水管材"], "water"),
    ("ebike", "电动车辆", ["电动自行车", "电动平衡车", "电动滑板车", "充电器", "锂离子电池组"], "phys"),
]
HAZARDS = {
    "chem": [("甲醛含量", "formaldehyde", "mg/kg", ["≤20", "≤75", "≤300"], "GB/T 2912.1"),
             ("pH值", "ph", None, ["4.0~7.5", "4.0~8.5", "4.0~9.0"], "GB/T 7573"),
             ("可分解致癌芳香胺", "aromatic-amines", "mg/kg", ["≤20"], "GB/T 17592"),
             ("总铅含量", "lead", "mg/kg", ["≤90", "≤100"], "GB/T 30157"),
             ("总镉含量", "cadmium", "mg/kg", ["≤100", "≤75"], "GB/T 30157"),
             ("邻苯二甲酸酯总量", "phthalates", "%", ["≤0.1"], "GB/T 20388"),
             ("六价铬", "chromium-vi", "mg/kg", ["≤3", "不得检出"], "GB/T 22807"),
             ("耐水色牢度", "fastness-water", "级", ["≥3-4", "≥3"], "GB/T 5713"),
             ("耐摩擦色牢度", "fastness-rubbing", "级", ["≥4", "≥3"], "GB/T 3920"),
             ("异味", "odour", None, ["无异味"], "GB 18401")],
    "food": [("铅（以Pb计）", "lead", "mg/kg", ["≤0.1", "≤0.2", "≤0.3", "≤0.5"], "GB 5009.12"),
             ("镉（以Cd计）", "cadmium", "mg/kg", ["≤0.05", "≤0.1", "≤0.2"], "GB 5009.15"),
             ("总汞（以Hg计）", "mercury", "mg/kg", ["≤0.01", "≤0.02"], "GB 5009.17"),
             ("无机砷（以As计）", "arsenic", "mg/kg", ["≤0.1", "≤0.2"], "GB 5009.11"),
             ("黄曲霉毒素B1", "aflatoxin-b1", "μg/kg", ["≤5.0", "≤10", "≤20"], "GB 5009.22"),
             ("苯并[a]芘", "benzo-a-pyrene", "μg/kg", ["≤2.0", "≤5.0"], "GB 5009.27"),
             ("亚硝酸盐（以NaNO2计）", "nitrite", "mg/kg", ["≤3", "≤20"], "GB 5009.33"),
             ("菌落总数", "total-bacteria", "CFU/g", ["≤10000", "≤100000"], "GB 4789.2"),
             ("沙门氏菌", "salmonella", None, ["不得检出"], "GB 4789.4"),
             ("酸价（以KOH计）", "acid-value", "mg/g", ["≤3", "≤4"], "GB 5009.229")],
    "migr": [("总迁移量", "overall-migration", "mg/dm²", ["≤10"], "GB 31604.8"),
             ("高锰酸钾消耗量", "permanganate", "mg/kg", ["≤10"], "GB 31604.2"),
             ("重金属（以Pb计）", "heavy-metals", "mg/kg", ["≤1"], "GB 31604.9"),
             ("铅迁移量", "lead-migration", "mg/L", ["≤0.5", "≤2.0", "≤4.0"], "GB 31604.34"),
             ("镉迁移量", "cadmium-migration", "mg/L", ["≤0.05", "≤0.25"], "GB 31604.24"),
             ("甲醛迁移量", "formaldehyde-migration", "mg/kg", ["≤15"], "GB 31604.48"),
             ("脱色试验", "decolourisation", None, ["阴性"], "GB 31604.7")],
    "voc": [("甲醛释放量", "formaldehyde-emission", "mg/m³", ["≤0.124", "≤0.050"], "GB/T 17657"),
            ("挥发性有机化合物含量", "voc", "g/L", ["≤80", "≤120", "≤250"], "GB/T 23986"),
            ("苯系物总和", "btex", "mg/kg", ["≤100", "≤300"], "GB/T 23990"),
            ("可溶性铅", "soluble-lead", "mg/kg", ["≤90"], "GB/T 23991"),
            ("氯乙烯单体", "vinyl-chloride", "mg/kg", ["≤1.0"], "GB/T 4615"),
            ("游离甲苯二异氰酸酯", "free-tdi", "g/kg", ["≤1", "≤10"], "GB/T 18446")],
    "water": [("浑浊度", "turbidity", "NTU", ["≤1", "≤3"], "GB/T 5750.4"),
              ("砷", "arsenic", "mg/L", ["≤0.01"], "GB/T 5750.6"),
              ("铅", "lead", "mg/L", ["≤0.01"], "GB/T 5750.6"),
              ("镉", "cadmium", "mg/L", ["≤0.005"], "GB/T 5750.6"),
              ("硝酸盐（以N计）", "nitrate", "mg/L", ["≤10", "≤20"], "GB/T 5750.5"),
              ("总大肠菌群", "coliforms", "MPN/100mL", ["不得检出"], "GB/T 5750.12"),
              ("菌落总数", "total-bacteria", "CFU/mL", ["≤100"], "GB/T 5750.12"),
              ("pH", "ph", None, ["6.5~8.5"], "GB/T 5750.4"),
              ("溶解性总固体", "tds", "mg/L", ["≤1000", "≤500"], "GB/T 5750.4"),
              ("余氯", "residual-chlorine", "mg/L", ["≥0.05", "≤2"], "GB/T 5750.11")],
    "phys": [("最高设计车速", "max-speed", "km/h", ["≤25", "≤20", "≤15"], "GB/T 24158"),
             ("整车质量", "vehicle-mass", "kg", ["≤55", "≤63", "≤20"], "GB/T 24158"),
             ("蓄电池标称电压", "battery-voltage", "V", ["≤48", "≤36"], "GB/T 36972"),
             ("额定连续输出功率", "motor-power", "W", ["≤400", "≤250"], "GB/T 24158"),
             ("制动距离", "braking-distance", "m", ["≤7", "≤9"], "GB/T 24158"),
             ("绝缘电阻", "insulation-resistance", "MΩ", ["≥2", "≥5"], "GB 4706.1"),
             ("泄漏电流", "leakage-current", "mA", ["≤0.25", "≤0.75"], "GB 4706.1"),
             ("外壳防护等级", "ip-rating", "级", ["≥4", "≥5"], "GB/T 4208")],
}
QUALIFIERS = ["", "（出厂检验）", "（型式检验）", "（成品）", "（浸泡液）", "（水洗后）", "（老化后）", "（表层）"]
TITLE_KINDS = ["安全技术规范", "有害物质限量", "卫生要求", "通用安全要求", "技术条件", "安全要求"]
CLAUSE_TITLES = ["要求", "理化指标", "安全要求", "卫生指标", "限量指标", "试验方法", "检验规则"]
START = date(2001, 1, 1)


def _edition_dates(rng: random.Random, n: int) -> list[date]:
    day = START + timedelta(days=rng.randrange(0, 4000))
    out = []
    for _ in range(n):
        out.append(day)
        day += timedelta(days=rng.randrange(900, 2600))
    return out


def _standard(rng: random.Random, number: int, n_indicators: int) -> dict:
    field, family, cats, hazard_key = rng.choice(FAMILIES)
    hazards = HAZARDS[hazard_key]
    product = rng.choice(cats)
    title = f"{product}{rng.choice(TITLE_KINDS)}" if rng.random() < 0.6 else f"{family} {product}{rng.choice(TITLE_KINDS)}"
    code = f"GB {number}"
    n_ed = rng.choice((1, 1, 2, 2, 3))
    dates = _edition_dates(rng, n_ed)
    per_ed = [n_indicators // n_ed + (1 if i < n_indicators % n_ed else 0) for i in range(n_ed)]
    ids = [f"{code}-{d.year + i}" for i, d in enumerate(dates)]  # distinct years even if dates share one
    editions = []
    for i, (eid, eff, count) in enumerate(zip(ids, dates, per_ed)):
        categories = [{"id": f"c{k}", "name": name, "name_en": None, "required_class": None}
                      for k, name in enumerate(rng.sample(cats, k=min(len(cats), rng.randint(1, 3))))]
        clauses = [{"number": f"{4 + k // 3}.{k % 3 + 1}", "title": CLAUSE_TITLES[k % len(CLAUSE_TITLES)],
                    "summary": f"{product}的{CLAUSE_TITLES[k % len(CLAUSE_TITLES)]}"} for k in range(rng.randint(2, 6))]
        inds = []
        for j in range(count):
            name, slug, unit, limits, method = rng.choice(hazards)
            clause = rng.choice(clauses)["number"]
            cat_ids = [rng.choice(categories)["id"]] if rng.random() < 0.3 else []
            inds.append({
                "id": f"{eid}/{clause}/{slug}/n{j}", "clause": clause,
                "name": name + rng.choice(QUALIFIERS), "name_en": slug.replace("-", " "),
                "limit": rng.choice(limits), "unit": unit, "method": "full", "interval": None,
                "categories": cat_ids, "classes": [], "test_method": method, "key": rng.random() < 0.15,
                "source": None, "note": None})
        editions.append({
            "id": eid, "year": int(eid.rsplit("-", 1)[1]), "title": title, "title_en": None,
            "issued": (eff - timedelta(days=rng.randrange(90, 400))).isoformat(), "effective": eff.isoformat(),
            "withdrawn": None, "replaces": [ids[i - 1]] if i else [],
            "replaced_by": ids[i + 1] if i + 1 < n_ed else None, "transition": None,
            "categories": categories, "classes": [], "clauses": clauses, "indicators": inds,
            "source": {"title": SYNTHETIC_SOURCE, "url": None, "note": "synthetic data for tests — not a real standard"},
            "openstd_hcno": None})
    return {"code": code, "title": title, "title_en": None, "field": field, "mandatory": True, "editions": editions}


def generate(standards: int = 500, indicators: int = 20000, seed: int = 1) -> list[dict]:
    """Return `standards` standard dicts (schema shape) holding `indicators` indicators in
    all, the same for the same arguments. Codes are GB 60000.. (no real standard).
    Raises ValueError when standards is not 1..10000 or indicators < standards."""
    if not 1 <= standards <= 10000:
        raise ValueError("standards must be 1..10000")
    if indicators < standards:
        raise ValueError("need at least one indicator per standard")
    rng = random.Random(seed)
    base, extra = divmod(indicators, standards)
    return [_standard(rng, 60000 + i, base + (1 if i < extra else 0)) for i in range(standards)]


def main(argv: list[str] | None = None) -> int:
    """Command line: write {"standards": [...]} to --out (or stdout)."""
    p = argparse.ArgumentParser(prog="python -m assets.synthetic", description=__doc__.split("\n")[0])
    p.add_argument("--out", help="output JSON file (default: stdout)")
    p.add_argument("--standards", type=int, default=500)
    p.add_argument("--indicators", type=int, default=20000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    data = {"standards": generate(args.standards, args.indicators, args.seed)}
    text = json.dumps(data, ensure_ascii=False)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
