"""Realistic inputs for the printed records: a children's clothing shop in Chaoyang, findings
from GB 18401 and GB 31701, drawn signatures and watermarked-looking photos (made here with
Pillow, so the tests need no files). Used by tests/documents and bench/documents.py."""
from __future__ import annotations

import hashlib
import io
import math
import random
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from PIL import Image, ImageDraw

from documents import (
    Disclosure,
    Finding,
    InspectionRecord,
    Officer,
    Order,
    Party,
    Photo,
    Place,
    Position,
    Signature,
)

CST = timezone(timedelta(hours=8))
START = datetime(2025, 6, 12, 9, 30, tzinfo=CST)
END = datetime(2025, 6, 12, 11, 5, tzinfo=CST)
PARTY = Party(name="北京市朝阳区小橡树童装服饰有限公司", credit_code="91110105MA01ABCD2X",
              address="北京市朝阳区朝阳北路101号院3号楼1层105", legal_representative="陈晓明",
              phone="010-65871234", on_site_person="刘芳", on_site_role="店长")
OFFICERS = (Officer("王建国", "11010520190123"), Officer("李静", "11010520210456"))
SITUATION = (
    "执法人员到达检查现场时，该店正在营业，店内陈列婴幼儿服装、儿童服装及床上用品等商品，"
    "现场负责人刘芳在场并配合检查。经查看，该店悬挂营业执照一份，经营范围包括服装、鞋帽、针纺织品零售。"
    "\n执法人员按随机抽查事项清单对店内陈列的纺织产品进行检查，查看了产品吊牌、使用说明和进货票据，"
    "并使用便携式检测设备对部分产品进行了现场快速检测。"
)
#: (indicator, standard, clause, limit, measured, unit, verdict, product)
FINDINGS = (
    ("甲醛含量", "GB 18401-2010", "5.1", "≤20", "25", "mg/kg", "fail", "婴儿连体衣（货号XS-2301，批号20250501，A类）"),
    ("pH值", "GB 18401-2010", "5.1", "4.0~7.5", "6.8", None, "pass", "婴儿连体衣（货号XS-2301，批号20250501，A类）"),
    ("异味", "GB 18401-2010", "5.1", "无异味", "无异味", None, "pass", "儿童卫衣（货号KT-1188，B类）"),
    ("耐唾液色牢度", "GB 18401-2010", "5.1", "≥4", "3-4", "级", "fail", "婴儿连体衣（货号XS-2301，批号20250501，A类）"),
    ("绳带（头颈部）", "GB 31701-2015", "5.4.3", "不得有绳带", "无绳带", None, "pass", "儿童卫衣（货号KT-1188，B类）"),
    ("铅含量", "GB 31701-2015", "4.2", "≤90", "35", "mg/kg", "pass", "儿童印花T恤（货号TS-0520）"),
)


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg(image: Image.Image, quality: int = 88) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signature_png(seed: int, size=(600, 200)) -> bytes:
    """A pen stroke on a transparent background, like the tablet's signature pad gives."""
    rng = random.Random(seed)
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    w, h = size
    points = []
    for i in range(120):
        t = i / 119
        x = 40 + t * (w - 80)
        y = h / 2 + math.sin(t * rng.uniform(9, 15)) * h * 0.28 + rng.uniform(-8, 8)
        points.append((x, y))
    draw.line(points, fill=(20, 30, 90, 255), width=7, joint="curve")
    draw.line([(60, h * 0.75), (w - 120, h * 0.68)], fill=(20, 30, 90, 255), width=5)
    return png(img)


def photo_jpeg(seed: int, size=(1600, 1200), label: str = "") -> bytes:
    """A shelf-like photo with a watermark band (time · place · inspector), as the tablet burns in."""
    rng = random.Random(seed)
    img = Image.new("RGB", size, (rng.randint(150, 210), rng.randint(150, 200), rng.randint(140, 190)))
    draw = ImageDraw.Draw(img)
    w, h = size
    for _ in range(14):
        x, y = rng.randint(0, w - 200), rng.randint(0, h - 300)
        draw.rectangle([x, y, x + rng.randint(120, 420), y + rng.randint(160, 520)],
                       fill=(rng.randint(40, 250), rng.randint(40, 250), rng.randint(40, 250)))
    draw.rectangle([0, h - 110, w, h], fill=(0, 0, 0))
    draw.text((30, h - 80), label or f"2025-06-12 09:{40 + seed:02d}  photo {seed}", fill="white")
    return jpeg(img)


def images_for(record: InspectionRecord, data: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in data.items() if k in record.image_refs()}


def sample(findings: int = 4, *, photos: int = 2, refused: bool = False, long_text: int = 0,
           orders: bool = True, signed: bool = True, opinion: str | None = "对现场检查情况无异议。"
           ) -> tuple[InspectionRecord, dict[str, bytes]]:
    """A record and its images. `findings` cycles through FINDINGS; `long_text` adds that many
    extra paragraphs to 现场情况; `refused`: the party refuses to sign before a witness."""
    images: dict[str, bytes] = {}
    rows = []
    for n in range(findings):
        name, std, clause, limit, measured, unit, verdict, product = FINDINGS[n % len(FINDINGS)]
        rows.append(Finding(indicator=name, standard=std, clause=clause, limit=limit, measured=measured, unit=unit,
                            verdict=verdict, product=product, id=f"f{n + 1}", ruleset_version="2025.1",
                            server_verdict=("pass" if n == 3 else verdict) if n < 5 else None,
                            server_ruleset_version="2025.2" if n < 5 else None))
    shots = []
    for n in range(photos):
        data = photo_jpeg(n)
        images[sha(data)] = data
        shots.append(Photo(sha(data), taken_at=START + timedelta(minutes=15 + 4 * n),
                           caption=["吊牌及使用说明", "现场快速检测读数", "货架陈列", "进货票据"][n % 4],
                           finding_id=f"f{n % max(findings, 1) + 1}" if findings else None,
                           place="朝阳区朝阳北路101号院3号楼", inspector=OFFICERS[n % 2].name))
    sigs = []
    if signed:
        for i, officer in enumerate(OFFICERS):
            data = signature_png(i)
            images[sha(data)] = data
            sigs.append(Signature("officer", officer.name, image=sha(data), signed_at=END))
        if refused:
            refusal = photo_jpeg(99, size=(800, 600), label="refusal")
            images[sha(refusal)] = refusal
            sigs.append(Signature("party", "刘芳", refused=True, refusal_reason="称需请示公司负责人",
                                  witness_name="赵磊", refusal_photo=sha(refusal), signed_at=END))
            witness = signature_png(7)
            images[sha(witness)] = witness
            sigs.append(Signature("witness", "赵磊（朝阳北路社区工作人员）", image=sha(witness), signed_at=END))
        else:
            data = signature_png(3)
            images[sha(data)] = data
            sigs.append(Signature("party", "刘芳", image=sha(data), signed_at=END))
    situation = SITUATION + "".join(
        f"\n补充情况{n + 1}：现场负责人刘芳提供了该批次产品的进货单据复印件{n + 2}页，单据显示供货方为"
        "上海某服饰有限公司，进货日期为2025年5月8日，数量120件，单价45元；执法人员对单据进行了拍照，"
        "并对仓库内同批次库存进行了清点，库存数量为85件，与单据及销售记录相符。" for n in range(long_text))
    record = InspectionRecord(
        authority="北京市朝阳区市场监督管理局", number="京朝市监现〔2025〕0612-03号",
        started_at=START, ended_at=END,
        place=Place("北京市朝阳区朝阳北路101号院3号楼1层105（小橡树童装店）",
                    Position(39.92163, 116.48712, 8.0)),
        officers=OFFICERS, party=PARTY, situation=situation, findings=tuple(rows),
        orders=(Order("对货号XS-2301批次婴儿连体衣停止销售，并提供该批次产品的检验报告", date(2025, 6, 26)),)
        if orders else (),
        photos=tuple(shots), signatures=tuple(sigs), party_opinion=opinion, disclosure=Disclosure(),
        record_hash=sha(b"record-7c1d"), reference="6f1c2d9e-1b7a-4f52-9a0e-3c5b1d2e4f60")
    return record, images


def without_gps(record: InspectionRecord) -> InspectionRecord:
    return replace(record, place=Place("北京市朝阳区朝阳北路101号院3号楼1层105（小橡树童装店）"))
