"""The 现场笔录 (on-site record), laid out after the fields of SAMR's 2021 template set
(市场监督管理行政处罚文书格式范本（2021年修订版）, document 9 "现场笔录"; sources in
docs/documents.md): the authority and the title, the party's details, time (from–to) and
place, the officers and their certificate numbers, the recorder, the notes on having shown
certificates and told the party its rights, 现场情况, the party's opinion, the signatures of
officers, party and witness, and on every page its number and a strip for the page's
signatures (practice: every page is signed).

    onsite_record(record, images=None) -> Layout
"""
from __future__ import annotations

from documents.blocks import (
    FIELD_SIZE,
    SMALL,
    choices,
    clip,
    fields_row,
    page_number,
    signature_box,
)
from documents.fonts import metrics
from documents.images import Images, ImageSource
from documents.layout import A4, GREY, Flow, Layout, Page, Text, baseline, line_height
from documents.model import InspectionRecord, Signature
from documents.wording import day, finding_sentence, photo_mention, position, span

LEFT, RIGHT = 28.0, 26.0          # 党政机关公文格式 (GB/T 9704): 订口 28 mm, 版心 156 mm wide
TOP = 26.0
WIDTH = A4[0] - LEFT - RIGHT
STRIP_TOP = 262.0                 # the page's signature strip
FRAME_BOTTOM = STRIP_TOP - 4.0
BODY = 12.0
TITLE = "现场笔录"


def onsite_record(record: InspectionRecord, images: Images = None) -> Layout:
    """Lay out the 现场笔录 of `record`. Raises ImageError when an image's bytes do not match
    the SHA-256 the record names (a missing image is drawn as a placeholder)."""
    source = ImageSource(images)
    total = 1
    for _ in range(3):                  # "共N页" is known once laid out: lay out again if it changed
        layout = _lay_out(record, source, total)
        if len(layout.pages) == total:
            break
        total = len(layout.pages)
    return layout


def _lay_out(record: InspectionRecord, source: ImageSource, total_hint: int) -> Layout:
    layout = Layout(kind="onsite_record", title=f"{TITLE} · {record.party.name}", pages=[],
                    author=record.authority, subject=f"{TITLE} {span(record.started_at, record.ended_at)}",
                    created=record.ended_at or record.started_at)
    flow = Flow(layout, left=LEFT, width=WIDTH, bottom=FRAME_BOTTOM,
                start_page=lambda page, n: _head(page, n, record))
    _fields(flow, record)
    _disclosure(flow, record)
    _situation(flow, record)
    _opinion(flow, record)
    _signatures(flow, record, source, total_hint)
    total = len(layout.pages)
    for n, page in enumerate(layout.pages, 1):
        _strip(page, n, total, record, source)
    layout.missing_glyphs = frozenset(flow.missing)
    return layout


def _head(page: Page, number: int, record: InspectionRecord) -> float:
    font = metrics()
    if number == 1:
        y = TOP
        for text, size, spacing in ((record.authority, 16.0, 0.0), (TITLE, 22.0, 6.0)):
            width = font.width(text, size) + spacing * (len(text) - 1)
            page.add(Text((A4[0] - width) / 2, baseline(y, size), text, size, bold=size > 20, spacing=spacing))
            y += line_height(size, 1.6)
        if record.number:
            text = f"编号：{record.number}"
            page.add(Text(LEFT + WIDTH - font.width(text, 10.5), baseline(y, 10.5), text, 10.5))
            y += line_height(10.5)
        return y + 2.0
    text = f"{TITLE}（续页）"
    page.add(Text((A4[0] - font.width(text, 14.0)) / 2, baseline(TOP, 14.0), text, 14.0, bold=True))
    party = clip(f"当事人：{record.party.name}", 10.5, WIDTH)
    y = TOP + line_height(14.0, 1.6)
    page.add(Text(LEFT, baseline(y, 10.5), party, 10.5, color=GREY))
    return y + line_height(10.5) + 2.0


def _fields(flow: Flow, record: InspectionRecord) -> None:
    party = record.party
    fields_row(flow, [("当事人：", party.name, 1)])
    fields_row(flow, [("主体资格证照名称：", party.licence, 0.8), ("统一社会信用代码：", party.credit_code or "", 1.1)])
    fields_row(flow, [("住所（住址）：", party.address or "", 1)])
    fields_row(flow, [("法定代表人（负责人、经营者）：", party.legal_representative or "", 1.3),
                      ("联系电话：", party.phone or "", 0.8)])
    if party.on_site_person:
        who = party.on_site_person + (f"（{party.on_site_role}）" if party.on_site_role else "")
        fields_row(flow, [("现场负责人：", who, 1)])
    fields_row(flow, [("检查时间：", span(record.started_at, record.ended_at), 1)])
    fields_row(flow, [("检查地点：", record.place.address, 1)])
    flow.paragraph(position(record.place), 10.5, color=GREY, justify=False, x=flow.left + 20, width=flow.width - 20)
    for officer in record.officers:
        fields_row(flow, [("执法人员：", officer.name, 1), ("执法证号：", officer.certificate_no, 1)])
    fields_row(flow, [("记录人：", record.recorder_name, 1)])
    flow.gap(1.5)


def _disclosure(flow: Flow, record: InspectionRecord) -> None:
    d = record.disclosure
    lh = line_height(FIELD_SIZE)
    flow.ensure(lh * 3)
    names = "、".join(o.name for o in record.officers)
    flow.paragraph(f"执法人员{names}向当事人（现场负责人）告知：", FIELD_SIZE, justify=False)
    choices(flow, flow.left + 8, [("已出示执法证件，表明执法身份", d.certificates_shown)])
    flow.y += lh
    flow.ensure(lh)
    choices(flow, flow.left + 8, [("已告知当事人享有陈述、申辩和申请回避的权利", d.rights_informed)])
    flow.y += lh
    flow.ensure(lh)
    flow.text(flow.left + 8, flow.y, "当事人是否申请回避：", FIELD_SIZE)
    x = flow.left + 8 + flow.font.width("当事人是否申请回避：", FIELD_SIZE) + 1
    choices(flow, x, [("是", d.recusal_requested is True), ("否", d.recusal_requested is False)])
    flow.y += lh
    flow.gap(1.5)


def _situation(flow: Flow, record: InspectionRecord) -> None:
    paragraphs = [p.strip() for p in record.situation.split("\n") if p.strip()]
    first = True

    def para(text: str, indent: float = 2.0):
        nonlocal first
        flow.paragraph(text, BODY, label="现场情况：" if first else "", indent=0.0 if first else indent)
        first = False

    for text in paragraphs:
        para(text)
    if record.findings:
        para(f"现场检查（检测）{len(record.findings)}项，情况如下：")
        for n, finding in enumerate(record.findings, 1):
            para(finding_sentence(n, finding))
    if record.photos:
        listed = "；".join(photo_mention(record, i) for i in range(len(record.photos)))
        para(f"现场拍摄照片{len(record.photos)}张：{listed}。")
    if record.orders:
        para("现场提出的整改要求：")
        for n, order in enumerate(record.orders, 1):
            deadline = f"（期限：{day(order.deadline)}前）" if order.deadline else ""
            para(f"{n}. {order.text.strip().rstrip('。')}{deadline}。")
    if first:
        para("（未记录）")
    flow.gap(1.5)


def _opinion(flow: Flow, record: InspectionRecord) -> None:
    lh = line_height(BODY)
    if record.party_opinion and record.party_opinion.strip():
        flow.paragraph(record.party_opinion.strip(), BODY, label="当事人意见：")
    else:                               # room to write by hand on the printed page
        flow.ensure(lh * 3)
        flow.text(flow.left, flow.y, "当事人意见：", BODY)
        for _ in range(2):
            flow.y += lh
            flow.underline(flow.left, flow.left + flow.width, flow.y)
        flow.y += lh * 0.5
    flow.gap(2.0)


def _signatures(flow: Flow, record: InspectionRecord, images: ImageSource, total: int) -> None:
    parties = record.signatures_of("party")
    witnesses = record.signatures_of("witness")
    officers = record.signatures_of("officer")
    refusal_lines = [_refusal(s) for s in parties if s.refused]
    rows = 2 + len(witnesses) + (1 if len(officers) > 2 else 0)
    flow.ensure(line_height(BODY) * (2 + len(refusal_lines) * 2) + rows * 19)
    flow.paragraph(f"以上笔录共{total}页，已交当事人阅读核对。", BODY, justify=False)
    for text in refusal_lines:
        flow.paragraph(text, BODY)
    _signature_row(flow, "当事人签名或者盖章：", parties[:1] or [None], images)
    for sig in witnesses:
        flow.paragraph(f"见证人：{sig.name}", BODY, justify=False)
        _signature_row(flow, "见证人签名：", [sig], images)
    signers = list(officers) or [None, None]
    for start in range(0, len(signers), 2):
        _signature_row(flow, "执法人员签名：" if start == 0 else "", signers[start:start + 2], images)
    flow.gap(2.0)
    flow.paragraph("（以下空白）", BODY, justify=False, color=GREY)


def _refusal(sig: Signature) -> str:
    text = f"当事人（{sig.name}）拒绝签名"
    if sig.refusal_reason:
        text += f"，理由：{sig.refusal_reason.strip().rstrip('。')}"
    if sig.witness_name:
        text += f"；见证人：{sig.witness_name}"
    if sig.refusal_photo:
        text += f"；拒签情况已拍照记录（SHA-256 {sig.refusal_photo[:12]}）"
    return text + "。"


def _signature_row(flow: Flow, label: str, sigs: list, images: ImageSource) -> None:
    """label, a box per signer (two at most), and one date: the template's 签名 ______ 年 月 日."""
    height = 16.0
    flow.ensure(height + 3)
    top = flow.y
    text_top = top + height - line_height(BODY)
    flow.text(flow.left, text_top, label, BODY)
    x = flow.left + 44
    for sig in sigs:
        signature_box(flow.page, images, sig, (x, top, 38, height), size=SMALL)
        x += 42
    when = next((s.signed_at for s in sigs if s is not None and s.signed_at), None)
    flow.page.add(Text(flow.left + 44 + 84 + 2, baseline(text_top, BODY),
                       day(when) if when else "    年   月   日", 10.5 if when else BODY))
    flow.y = top + height + 3


def _strip(page: Page, number: int, total: int, record: InspectionRecord, images: ImageSource) -> None:
    """Every page: the party's and the officers' signatures for the page, its number, the hash."""
    font = metrics()
    y = STRIP_TOP
    page.add(Text(LEFT, baseline(y + 3, SMALL), "本页当事人签名：", SMALL))
    party = (record.signatures_of("party") or [None])[0]
    x = LEFT + font.width("本页当事人签名：", SMALL) + 1
    signature_box(page, images, party, (x, y, 30, 10))
    x += 36
    page.add(Text(x, baseline(y + 3, SMALL), "本页执法人员签名：", SMALL))
    x += font.width("本页执法人员签名：", SMALL) + 1
    officers = list(record.signatures_of("officer")) or [None, None]
    box = min(28.0, (LEFT + WIDTH - x) / len(officers) - 2)
    for sig in officers:
        signature_box(page, images, sig, (x, y, box, 10))
        x += box + 2
    page_number(page, number, total, y=STRIP_TOP + 19)
    tail = []
    if record.record_hash:
        tail.append(f"记录摘要 SHA-256：{record.record_hash}")
    if record.reference:
        tail.append(f"记录号：{record.reference}")
    if tail:
        page.add(Text(LEFT, STRIP_TOP + 25, "    ".join(tail), 6.5, color=GREY))
