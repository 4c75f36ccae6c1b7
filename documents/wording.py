"""How the records write times, places, people and verdicts (in Chinese, as the forms do)."""
from __future__ import annotations

from datetime import date, datetime

from documents.model import Finding, InspectionRecord, Place

NBSP = "\u00a0"          # keeps a number and its unit on one line
VERDICT_WORDS = {"pass": "符合", "fail": "不符合", "inconclusive": "无法判定"}


def day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def moment(value: datetime) -> str:
    return f"{day(value)}{value.hour}时{value.minute:02d}分"


def clock(value: datetime) -> str:
    return f"{value.hour}时{value.minute:02d}分"


def short_time(value: datetime) -> str:
    """2025-06-12 09:48, for captions."""
    return value.strftime("%Y-%m-%d %H:%M")


def span(start: datetime, end: datetime | None) -> str:
    """`2025年6月12日9时30分至11时05分` (the template's 年 月 日 时 分至 时 分)."""
    if end is None:
        return f"{moment(start)}起"
    if end.date() == start.date():
        return f"{moment(start)}至{clock(end)}"
    return f"{moment(start)}至{moment(end)}"


def position(place: Place) -> str:
    """The fix in words, or that there was none and the officer typed the site."""
    pos = place.position
    if pos is None:
        return "未取得卫星定位，检查地点由执法人员现场录入"
    lat = f"{'北纬' if pos.latitude >= 0 else '南纬'}{abs(pos.latitude):.5f}°"
    lon = f"{'东经' if pos.longitude >= 0 else '西经'}{abs(pos.longitude):.5f}°"
    text = f"卫星定位：{lat}，{lon}"
    if pos.accuracy_m is not None:
        text += f"（精度约{NBSP}{pos.accuracy_m:.0f}{NBSP}米）"
    return text


def with_unit(value: str, unit: str | None) -> str:
    value = value.strip()
    if not unit or value.endswith(unit):
        return value
    return f"{value}{NBSP}{unit}"


def verdict(code: str | None) -> str:
    return "—" if code is None else VERDICT_WORDS[code]


def basis(finding: Finding) -> str:
    """`GB 18401-2010 第5.1条`, or what of it is known."""
    parts = []
    if finding.standard:
        parts.append(finding.standard.replace(" ", NBSP, 1))
    if finding.clause:
        parts.append(f"第{finding.clause}条")
    return NBSP.join(parts) if len(parts) == 2 else "".join(parts)


def finding_sentence(n: int, finding: Finding) -> str:
    """One finding as the 现场笔录 writes it: what was checked, against what, what was seen."""
    subject = f"{finding.product}，" if finding.product else ""
    where = basis(finding)
    source = f"（{where}）" if where else ""
    text = (f"{n}. {subject}检查项目：{finding.indicator}{source}，要求：{with_unit(finding.limit, finding.unit)}，"
            f"现场测得：{with_unit(finding.measured, finding.unit)}，结果：{verdict(finding.verdict)}该项要求。")
    if finding.verdict == "inconclusive":
        text = text.removesuffix("该项要求。") + "。"
    if finding.note:
        text += f"说明：{finding.note.strip().rstrip('。')}。"
    return text


def officers_line(record: InspectionRecord) -> str:
    return "、".join(f"{o.name}（执法证号：{o.certificate_no}）" for o in record.officers)


def photo_finding(record: InspectionRecord, index: int) -> str | None:
    """The indicator the photo documents (or the finding id when it is not in the record)."""
    photo = record.photos[index]
    if not photo.finding_id:
        return None
    finding = next((f for f in record.findings if f.id == photo.finding_id), None)
    return finding.indicator if finding is not None else f"检查项 {photo.finding_id}"


def photo_caption(record: InspectionRecord, index: int) -> list[str]:
    """Caption lines of photo `index`: what it shows and the finding; time · inspector; place; hash."""
    photo = record.photos[index]
    head = f"照片 {index + 1}" + (f"：{photo.caption}" if photo.caption else "")
    finding = photo_finding(record, index)
    if finding:
        head += f"（{finding}）"
    when = short_time(photo.taken_at) if photo.taken_at else "时间未记录"
    return [head, f"{when} · 拍摄：{photo.inspector or record.officers[0].name}",
            photo.place or record.place.address, f"SHA-256 {photo.sha256[:16]}…"]


def photo_mention(record: InspectionRecord, index: int) -> str:
    """`照片1（09:45，甲醛含量，SHA-256 5d6354b94853）`, for the 现场笔录's text."""
    photo = record.photos[index]
    parts = [photo.taken_at.strftime("%H:%M")] if photo.taken_at else []
    parts += [x for x in (photo.caption, photo_finding(record, index)) if x]
    parts.append(f"摘要{NBSP}{photo.sha256[:8]}")
    return f"照片{index + 1}（{'，'.join(parts)}）"
