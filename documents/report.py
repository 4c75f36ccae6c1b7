"""The inspection report (现场检查报告) for the console: every finding with its limit, the
measured value, the tablet's and the server's verdicts and their rule-set versions; the
orders; the photos with their captions (time, place, inspector, finding); the signatures.

    inspection_report(record, images=None) -> Layout
"""
from __future__ import annotations

from documents.blocks import SMALL, clip, page_number, signature_box
from documents.fonts import metrics
from documents.images import Images, ImageSource, fit
from documents.layout import A4, GREY, Box, Flow, Layout, Page, Picture, Text, line_height
from documents.model import Finding, InspectionRecord
from documents.tables import Cell, Column, table
from documents.wording import (
    NBSP,
    basis,
    day,
    moment,
    officers_line,
    photo_caption,
    position,
    span,
    verdict,
    with_unit,
)

LEFT = 20.0
WIDTH = A4[0] - 2 * LEFT
TOP = 18.0
FRAME_BOTTOM = 277.0
TITLE = "现场检查报告"
FAIL = (160, 20, 20)
DIFFER = (253, 226, 210)
PHOTO_W, PHOTO_H = 82.0, 58.0


def inspection_report(record: InspectionRecord, images: Images = None) -> Layout:
    """Lay out the report of `record`. Raises ImageError when an image's bytes do not match
    the SHA-256 the record names (a photo not yet uploaded is drawn as a placeholder)."""
    source = ImageSource(images)
    layout = Layout(kind="inspection_report", title=f"{TITLE} · {record.party.name}", pages=[],
                    author=record.authority, subject=f"{TITLE} {span(record.started_at, record.ended_at)}",
                    created=record.ended_at or record.started_at)
    flow = Flow(layout, left=LEFT, width=WIDTH, bottom=FRAME_BOTTOM, start_page=lambda p, n: _head(p, n, record))
    _basics(flow, record)
    _results(flow, record)
    if record.orders:
        _heading(flow, "整改要求")
        for n, order in enumerate(record.orders, 1):
            deadline = f"（期限：{day(order.deadline)}前）" if order.deadline else ""
            flow.paragraph(f"{n}. {order.text.strip().rstrip('。')}{deadline}。", 10.5)
    _photos(flow, record, source)
    _signatures(flow, record, source)
    total = len(layout.pages)
    for n, page in enumerate(layout.pages, 1):
        _footer(page, n, total, record)
    layout.missing_glyphs = frozenset(flow.missing)
    return layout


def _head(page: Page, number: int, record: InspectionRecord) -> float:
    font = metrics()
    if number > 1:
        text = clip(f"{TITLE}（续） · {record.party.name}", 9.0, WIDTH)
        page.add(Text(LEFT, TOP + 4, text, 9.0, color=GREY))
        return TOP + 8
    y = TOP
    for text, size, spacing in ((record.authority, 14.0, 0.0), (TITLE, 20.0, 3.0)):
        width = font.width(text, size) + spacing * (len(text) - 1)
        page.add(Text((A4[0] - width) / 2, y + size * 0.3528 * 1.1, text, size, bold=size > 15, spacing=spacing))
        y += line_height(size, 1.5)
    return y + 2


NUMBERS = "一二三四五六七八九十"


def _heading(flow: Flow, text: str) -> None:
    """A numbered section heading (一、二、…), kept with the first lines after it."""
    count = getattr(flow, "headings", 0)
    flow.headings = count + 1
    text = f"{NUMBERS[count]}、{text}"
    flow.gap(2.5)
    flow.ensure(line_height(12.0) * 3)
    flow.paragraph(text, 12.0, justify=False, label="", color=(20, 40, 90))
    flow.gap(0.5)


def _basics(flow: Flow, record: InspectionRecord) -> None:
    party = record.party
    _heading(flow, "基本情况")
    rows = [("被检查单位", party.name), ("统一社会信用代码", party.credit_code or "—"),
            ("主体资格证照", party.licence), ("住所（住址）", party.address or "—"),
            ("法定代表人（负责人）", party.legal_representative or "—")]
    if party.on_site_person:
        rows.append(("现场负责人", party.on_site_person + (f"（{party.on_site_role}）" if party.on_site_role else "")))
    rows += [("检查时间", span(record.started_at, record.ended_at)), ("检查地点", record.place.address),
             ("位置", position(record.place)), ("执法人员", officers_line(record)), ("记录人", record.recorder_name)]
    if record.number:
        rows.insert(0, ("文书编号", record.number))
    table(flow, [Column("项目", 38), Column("内容", WIDTH - 38)], [list(r) for r in rows], size=10.0)


def _results(flow: Flow, record: InspectionRecord) -> None:
    _heading(flow, "检查结果")
    if not record.findings:
        flow.paragraph("本次检查未记录检测项目。", 10.5)
        return
    cols = [Column("序号", 9, "center"), Column("产品（样品）", 30), Column("检验项目（依据）", 37),
            Column("要求", 22), Column("测得值", 18), Column("现场判定", 27), Column("复核判定", 27)]
    table(flow, cols, [_result_row(n, f) for n, f in enumerate(record.findings, 1)], size=9.0)
    counts = {code: sum(1 for f in record.findings if (f.server_verdict or f.verdict) == code)
              for code in ("pass", "fail", "inconclusive")}
    differ = sum(1 for f in record.findings if f.server_verdict and f.server_verdict != f.verdict)
    pending = sum(1 for f in record.findings if not f.server_verdict)
    text = (f"共检查{len(record.findings)}项：符合{counts['pass']}项，不符合{counts['fail']}项，"
            f"无法判定{counts['inconclusive']}项（以复核判定为准，未复核的按现场判定计）。")
    if differ:
        text += f"现场判定与复核判定不一致{differ}项（底色标出）。"
    if pending:
        text += f"尚未复核{pending}项。"
    flow.gap(1.0)
    flow.paragraph(text, 10.0)


def _result_row(n: int, f: Finding) -> list[Cell]:
    differ = f.server_verdict is not None and f.server_verdict != f.verdict
    fill = DIFFER if differ else None

    def judged(code, ruleset):
        words = verdict(code) if code else "未复核"
        if ruleset:
            words += f"\n规则集{NBSP}{ruleset}"
        return Cell(words, color=FAIL if code == "fail" else (GREY if code is None else (0, 0, 0)), fill=fill)

    item = f.indicator + (f"\n{basis(f)}" if basis(f) else "")
    if f.note:
        item += f"\n说明：{f.note}"
    return [Cell(str(n)), Cell(f.product or "—"), Cell(item), Cell(with_unit(f.limit, f.unit)),
            Cell(with_unit(f.measured, f.unit)), judged(f.verdict, f.ruleset_version),
            judged(f.server_verdict, f.server_ruleset_version)]


def _photos(flow: Flow, record: InspectionRecord, images: ImageSource) -> None:
    if not record.photos:
        return
    _heading(flow, "现场照片")
    caption_h = line_height(8.0, 1.3) * 4
    for start in range(0, len(record.photos), 2):
        flow.ensure(PHOTO_H + caption_h + 3)
        top = flow.y
        for col, index in enumerate(range(start, min(start + 2, len(record.photos)))):
            x = flow.left + col * (PHOTO_W + WIDTH - 2 * PHOTO_W)
            _photo(flow, record, images, index, x, top)
        flow.y = top + PHOTO_H + caption_h + 3


def _photo(flow: Flow, record: InspectionRecord, images: ImageSource, index: int, x: float, top: float) -> None:
    photo = record.photos[index]
    loaded = images.get(photo.sha256, photo=True)
    flow.page.add(Box(x, top, PHOTO_W, PHOTO_H, stroke=(170, 170, 170), width=0.2, fill=(246, 246, 246)))
    if loaded is None:
        flow.text(x + 4, top + PHOTO_H / 2 - 3, "照片尚未上传", 10.0, color=GREY)
    else:
        fx, fy, fw, fh = fit(loaded.width, loaded.height, (x, top, PHOTO_W, PHOTO_H))
        flow.page.add(Picture(fx, fy, fw, fh, photo.sha256, loaded.data))
    y = top + PHOTO_H + 0.8
    for n, line in enumerate(photo_caption(record, index)):
        clipped = clip(line, 8.0, PHOTO_W)
        flow.text(x, y, clipped, 8.0, color=(0, 0, 0) if n == 0 else GREY, leading=1.3)
        y += line_height(8.0, 1.3)


def _signatures(flow: Flow, record: InspectionRecord, images: ImageSource) -> None:
    _heading(flow, "签名")
    rows = [("执法人员", s) for s in record.signatures_of("officer")]
    rows += [("当事人", s) for s in record.signatures_of("party")] or [("当事人", None)]
    rows += [("见证人", s) for s in record.signatures_of("witness")]
    if not record.signatures_of("officer"):
        rows = [("执法人员", None), ("执法人员", None)] + rows
    for role, sig in rows:
        flow.ensure(18)
        top = flow.y
        name = sig.name if sig is not None else ""
        flow.text(flow.left, top + 6, f"{role}：{name}", 10.0)
        signature_box(flow.page, images, sig, (flow.left + 60, top, 45, 15))
        when = moment(sig.signed_at) if sig is not None and sig.signed_at else ""
        if sig is not None and sig.refused:
            when = "拒绝签名" + (f"，见证人：{sig.witness_name}" if sig.witness_name else "")
            if sig.refusal_photo:
                when += f"；拒签照片 SHA-256 {sig.refusal_photo[:12]}"
        flow.text(flow.left + 110, top + 6, when, SMALL, color=GREY)
        flow.y = top + 18


def _footer(page: Page, number: int, total: int, record: InspectionRecord) -> None:
    page_number(page, number, total, y=287.0, size=9.0)
    tail = []
    if record.record_hash:
        tail.append(f"记录摘要 SHA-256：{record.record_hash}")
    if record.reference:
        tail.append(f"记录号：{record.reference}")
    if tail:
        page.add(Text(LEFT, 292.0, "    ".join(tail), 6.5, color=GREY))

