"""The GS1 application identifier (AI) table used by element strings and Digital Link.

Data, written for this project from the GS1 General Specifications (section 3, the AI
definitions) and cross-checked against the GS1 Barcode Syntax Dictionary used by GS1's
reference parser gs1/gs1-syntax-engine (see docs/codes.md). It holds the AIs a product
label in China carries (GB/T 33993 uses 01, 10, 11, 17, 21 and optional extras) and
those the GS1 conformance vectors in tests/cases/codes/ need; an AI missing here is
rejected as unknown, as GS1's parser does for AIs it does not know.

Each row: AI (or a range a-b), format components, flags, English title | Chinese title.

Format components: N = digits, X = GS1 AI encodable character set 82, Y = character set
39; "N14" fixed length, "X..20" 1 to 20; "[X..17]" an optional trailing component;
":name" a content check (csum = GS1 check digit, yymmd0 = date YYMMDD where DD may be 00,
yymmdd = strict date, hhmi / hh / mi / ss = time parts, zero = the digit 0,
nozeroprefix, pieceoftotal, iso3166 / iso3166list = 3-digit country codes).

Flags: attr = allowed as a Digital Link data attribute (query parameter);
pkey[=q1,q2|q3] = Digital Link primary key, with its ordered optional qualifier
sequences (alternatives separated by "|"); dec=UNIT = the last AI digit is the number of
decimals (310n net weight in kg …), UNIT "-" for none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from codes.errors import UnknownAIError

_ROWS = """
00        N18:csum                    attr pkey                 SSCC | 系列货运包装箱代码
01        N14:csum                    attr pkey=22,10,21|235    GTIN | 全球贸易项目代码
02        N14:csum                    attr                      CONTENT | 所含贸易项目代码
03        N14:csum                    -                         MTO GTIN | 定制贸易项目代码
10        X..20                       attr                      BATCH/LOT | 批号
11        N6:yymmd0                   attr                      PROD DATE | 生产日期
12        N6:yymmd0                   attr                      DUE DATE | 付款截止日期
13        N6:yymmd0                   attr                      PACK DATE | 包装日期
15        N6:yymmd0                   attr                      BEST BEFORE | 保质期
16        N6:yymmd0                   attr                      SELL BY | 销售截止日期
17        N6:yymmd0                   attr                      USE BY OR EXPIRY | 有效期
20        N2                          attr                      VARIANT | 产品变体
21        X..20                       -                         SERIAL | 系列号
22        X..20                       -                         CPV | 消费产品变体
235       X..28                       -                         TPX | 第三方管控的系列号扩展
240       X..30                       attr                      ADDITIONAL ID | 附加产品标识
241       X..30                       attr                      CUST. PART No. | 客户方代码
242       N..6                        attr                      MTO VARIANT | 定制产品变体
243       X..20                       attr                      PCN | 包装组件代码
250       X..30                       attr                      SECONDARY SERIAL | 二级系列号
251       X..30                       attr                      REF. TO SOURCE | 源实体参考代码
253       N13:csum [X..17]            attr pkey                 GDTI | 全球文件类型代码
254       X..20                       -                         GLN EXTENSION COMPONENT | 参与方位置代码扩展
255       N13:csum [N..12]            attr pkey                 GCN | 全球优惠券代码
30        N..8                        attr                      VAR. COUNT | 可变数量
3100-3105 N6                          attr dec=kg               NET WEIGHT (kg) | 净重（千克）
3110-3115 N6                          attr dec=m                LENGTH (m) | 长度（米）
3120-3125 N6                          attr dec=m                WIDTH (m) | 宽度（米）
3130-3135 N6                          attr dec=m                HEIGHT (m) | 高度（米）
3140-3145 N6                          attr dec=m2               AREA (m2) | 面积（平方米）
3150-3155 N6                          attr dec=l                NET VOLUME (l) | 净体积（升）
3160-3165 N6                          attr dec=m3               NET VOLUME (m3) | 净体积（立方米）
3300-3305 N6                          attr dec=kg               GROSS WEIGHT (kg) | 毛重（千克）
37        N..8                        attr                      COUNT | 所含贸易项目的数量
3900-3909 N..15                       attr dec=-                AMOUNT | 应付金额（本地货币）
3920-3929 N..15                       attr dec=-                PRICE | 应付金额（单一货币）
400       X..30                       attr                      ORDER NUMBER | 客户订单号
401       X..30                       attr pkey                 GINC | 全球托运标识代码
402       N17:csum                    attr pkey                 GSIN | 全球货运标识代码
410       N13:csum                    attr                      SHIP TO LOC | 交货地 GLN
411       N13:csum                    attr                      BILL TO | 受票方 GLN
412       N13:csum                    attr                      PURCHASE FROM | 供货方 GLN
413       N13:csum                    attr                      SHIP FOR LOC | 最终收货方 GLN
414       N13:csum                    attr pkey=254|7040        LOC No. | 物理位置 GLN
415       N13:csum                    attr pkey=8020            PAY TO | 开票方 GLN
416       N13:csum                    attr                      PROD/SERV LOC | 生产或服务地 GLN
417       N13:csum                    attr pkey=7040            PARTY | 参与方 GLN
420       X..20                       attr                      SHIP TO POST | 收货方邮政编码
421       N3:iso3166 X..9             attr                      SHIP TO POST | 带国家代码的收货方邮政编码
422       N3:iso3166                  attr                      ORIGIN | 原产国
423       N3:iso3166 [N..12]:iso3166list attr                   COUNTRY - INITIAL PROCESS | 初始加工国
7001      N13                         attr                      NSN | 北约物资代码
7003      N6:yymmdd N4:hhmi           attr                      EXPIRY TIME | 有效期（含时间）
7007      N6:yymmdd [N6]:yymmdd       attr                      HARVEST DATE | 收获日期
7040      N1 X1 X1 X1                 -                         UIC+EXT | 唯一标识代码及扩展
7230-7239 X2 X..28                    attr                      CERT # | 认证参考
8001      N4 N5 N3 N1 N1              attr                      DIMENSIONS | 卷状产品
8003      N1:zero N13:csum [X..16]    attr pkey                 GRAI | 全球可回收资产标识代码
8004      X..30                       attr pkey=7040            GIAI | 全球单个资产标识代码
8006      N14:csum N4:pieceoftotal    attr pkey=22,10,21        ITIP | 贸易项目组件标识
8008      N6:yymmdd N2:hh [N2]:mi [N2]:ss attr                  PROD TIME | 生产日期和时间
8010      Y..30                       attr pkey=8011            CPID | 组件/部件标识代码
8011      N..12:nozeroprefix          -                         CPID SERIAL | 组件/部件系列号
8013      X..25                       attr pkey                 GMN | 全球型号
8017      N18:csum                    attr pkey=8019            GSRN - PROVIDER | 服务关系代码（提供方）
8018      N18:csum                    attr pkey=8019            GSRN - RECIPIENT | 服务关系代码（接受方）
8019      N..10                       -                         SRIN | 服务关系实例号
8020      X..25                       -                         REF No. | 付款单号
8111      N4                          attr                      POINTS | 优惠券积分
8200      X..70                       -                         PRODUCT URL | 产品网址
90        X..30                       attr                      INTERNAL | 贸易伙伴之间的内部信息
91-99     X..90                       attr                      INTERNAL | 企业内部信息
"""

# GS1 General Specifications, "predefined length" element strings: an AI starting with
# one of these two digits has a fixed total length (AI + value) and needs no FNC1.
PREDEFINED_LENGTH = {
    "00": 20, "01": 16, "02": 16, "03": 16, "04": 18, "11": 8, "12": 8, "13": 8,
    "14": 8, "15": 8, "16": 8, "17": 8, "18": 8, "19": 8, "20": 4,
    "31": 10, "32": 10, "33": 10, "34": 10, "35": 10, "36": 10, "41": 16,
}

_COMPONENT = re.compile(r"^(\[)?([NXYZ])(\.\.)?(\d+)(\])?(?::([a-z0-9]+))?$")


@dataclass(frozen=True)
class Component:
    """One part of an AI value: charset N/X/Y, length bounds, optional flag, check name."""

    charset: str
    min_len: int
    max_len: int
    optional: bool
    check: str | None


@dataclass(frozen=True)
class AIDef:
    """One application identifier: its format, titles, FNC1 need and Digital Link role."""

    ai: str
    components: tuple[Component, ...]
    title: str
    title_zh: str
    dl_attribute: bool
    dl_qualifiers: tuple[tuple[str, ...], ...] | None   # None: not a DL primary key
    decimal_unit: str | None

    @property
    def fixed_length(self) -> int | None:
        """The value length if every component is mandatory and fixed, else None."""
        if all(c.min_len == c.max_len and not c.optional for c in self.components):
            return sum(c.max_len for c in self.components)
        return None

    @property
    def predefined_length(self) -> bool:
        """True if the AI has a GS1 predefined length, i.e. needs no FNC1 after it."""
        return self.ai[:2] in PREDEFINED_LENGTH

    @property
    def fnc1_required(self) -> bool:
        """True if an FNC1 separator must follow this AI when another AI comes next."""
        return not self.predefined_length

    @property
    def max_length(self) -> int:
        """The largest number of characters the value may have."""
        return sum(c.max_len for c in self.components)

    @property
    def format(self) -> str:
        """The format in GS1 notation, e.g. "N14", "X..20", "N13 [X..17]"."""
        parts = []
        for c in self.components:
            text = f"{c.charset}{'..' if c.min_len != c.max_len else ''}{c.max_len}"
            parts.append(f"[{text}]" if c.optional else text)
        return " ".join(parts)


def _parse_components(spec: str) -> tuple[Component, ...]:
    comps = []
    for token in spec.split():
        m = _COMPONENT.match(token)
        if not m:
            raise ValueError(f"bad AI table component {token!r}")  # pragma: no cover
        opt_open, charset, var, length, _opt_close, check = m.groups()
        n = int(length)
        comps.append(Component(charset, 1 if var else n, n, bool(opt_open), check))
    return tuple(comps)


def _build_table() -> dict[str, AIDef]:
    table: dict[str, AIDef] = {}
    for line in _ROWS.strip().splitlines():
        head, _, titles = line.rpartition("  ")
        title_en, _, title_zh = titles.strip().partition(" | ")
        fields = head.split()
        ai_field = fields[0]
        flags = [f for f in fields[1:] if f == "attr" or f == "-" or f.startswith(("pkey", "dec="))]
        spec = " ".join(f for f in fields[1:] if f not in flags)
        # a title may itself hold two spaces only if mis-typed; guard the split above
        qualifiers = None
        decimal_unit = None
        for flag in flags:
            if flag == "pkey":
                qualifiers = ((),)
            elif flag.startswith("pkey="):
                qualifiers = ((),) + tuple(tuple(alt.split(",")) for alt in flag[5:].split("|"))
            elif flag.startswith("dec="):
                decimal_unit = flag[4:]
        if "-" in ai_field:
            first, last = ai_field.split("-")
            ais = [str(n).zfill(len(first)) for n in range(int(first), int(last) + 1)]
        else:
            ais = [ai_field]
        components = _parse_components(spec)
        for ai in ais:
            table[ai] = AIDef(ai, components, title_en, title_zh, "attr" in flags,
                              qualifiers, decimal_unit)
    return table


AI_TABLE: dict[str, AIDef] = _build_table()


def lookup(ai: str) -> AIDef:
    """Return the definition of AI `ai`. Raises UnknownAIError if it is not in the table."""
    definition = AI_TABLE.get(ai)
    if definition is None:
        raise UnknownAIError(f"未知的应用标识符 AI ({ai}) (unknown application identifier)", ai=ai)
    return definition


def match_prefix(text: str) -> AIDef | None:
    """Return the AI that `text` starts with (AIs are prefix-free), or None."""
    for n in (2, 3, 4):
        definition = AI_TABLE.get(text[:n])
        if definition is not None and len(text) >= n:
            return definition
    return None


@lru_cache(maxsize=1)
def dl_path_sequences() -> frozenset[tuple[str, ...]]:
    """Every valid Digital Link path AI sequence: a primary key and an ordered subset of
    one of its qualifier sequences (e.g. 01; 01 22; 01 10 21; 01 22 10 21; 01 235)."""
    sequences: set[tuple[str, ...]] = set()
    for definition in AI_TABLE.values():
        if definition.dl_qualifiers is None:
            continue
        for alternative in definition.dl_qualifiers:
            for mask in range(1 << len(alternative)):
                chosen = tuple(q for i, q in enumerate(alternative) if mask & (1 << i))
                sequences.add((definition.ai,) + chosen)
    return frozenset(sequences)
