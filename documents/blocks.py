"""Pieces both documents draw: labelled fields on underlines, check boxes, signature boxes,
page numbers."""
from __future__ import annotations

from documents.fonts import PT, metrics
from documents.images import ImageSource, fit
from documents.layout import GREY, Box, Flow, Line, Page, Picture, Text, baseline, line_height
from documents.model import Signature
from documents.text import wrap

FIELD_SIZE = 12.0
SMALL = 9.0


def fields_row(flow: Flow, columns: list[tuple[str, str, float]], *, size: float = FIELD_SIZE,
               gap: float = 4.0) -> None:
    """One row of labelled fields side by side: (label, value, share of the width).
    Each value wraps inside its column on an underline; the row is as tall as its tallest field."""
    total = sum(share for _, _, share in columns)
    x, y0 = flow.left, flow.y
    lh = line_height(size)
    heights = []
    widths = [(flow.width - gap * (len(columns) - 1)) * share / total for _, _, share in columns]
    needed = max(_field_lines(flow, label, value, w, size) for (label, value, _), w in zip(columns, widths))
    flow.ensure(needed * lh)
    y0 = flow.y
    for (label, value, _), w in zip(columns, widths):
        flow.y = y0
        flow.paragraph(value or "", size, x=x, width=w, label=label, label_bold=False,
                       justify=False, underline=True)
        heights.append(flow.y - y0)
        x += w + gap
    flow.y = y0 + max(heights)


def _field_lines(flow: Flow, label: str, value: str, width: float, size: float) -> int:
    first = width - flow.font.width(label, size)
    return len(wrap(value or "", size, width, first_width=first, font=flow.font))


def checkbox(page: Page, x: float, top: float, size: float, checked: bool) -> float:
    """A square box (ticked when `checked`) sized to text of `size` pt; returns its width."""
    side = size * PT * 0.8
    y = top + (line_height(size) - side) / 2
    page.add(Box(x, y, side, side, width=0.25))
    if checked:
        page.add(Line(x + side * 0.18, y + side * 0.52, x + side * 0.42, y + side * 0.8, width=0.35))
        page.add(Line(x + side * 0.42, y + side * 0.8, x + side * 0.86, y + side * 0.18, width=0.35))
    return side


def choices(flow: Flow, x: float, options: list[tuple[str, bool]], size: float = FIELD_SIZE) -> float:
    """Ticked or empty boxes each followed by its words, on the current line; returns the x after."""
    for words, checked in options:
        x += checkbox(flow.page, x, flow.y, size, checked) + 1.2
        flow.text(x, flow.y, words, size)
        x += flow.font.width(words, size) + 4
    return x


def signature_box(page: Page, images: ImageSource, sig: Signature | None, box: tuple[float, float, float, float],
                  *, size: float = SMALL, underline: bool = True) -> None:
    """Draw a signature into box (x, y, w, h): the image, a refusal note, a placeholder for an
    image not available, or nothing (a line to sign on by hand)."""
    x, y, w, h = box
    if underline:
        page.add(Line(x, y + h, x + w, y + h, width=0.2))
    if sig is None:
        return
    if sig.refused:
        page.add(Text(x + 1, y + h - 1.5, "拒绝签名", size, color=GREY))
        return
    if sig.image is None:
        return
    loaded = images.get(sig.image)
    if loaded is None:
        page.add(Box(x, y, w, h, stroke=GREY, width=0.15, fill=None))
        page.add(Text(x + 1, baseline(y + h / 2 - line_height(size) / 2, size), "签名图像未提供", size, color=GREY))
        return
    fx, fy, fw, fh = fit(loaded.width, loaded.height, (x, y, w, h))
    page.add(Picture(fx, fy, fw, fh, sig.image, loaded.data))


def page_number(page: Page, number: int, total: int, *, y: float, size: float = 10.5) -> None:
    """`第 1 页 共 3 页`, centred at baseline y."""
    text = f"第 {number} 页  共 {total} 页"
    width = metrics().width(text, size)
    page.add(Text((page.width - width) / 2, y, text, size))


def centred(flow: Flow, text: str, size: float, *, bold: bool = False, spacing: float = 0.0,
            leading: float = 1.5) -> None:
    """A centred line in the frame (titles); `spacing` spreads the characters."""
    width = flow.font.width(text, size) + spacing * (len(text) - 1)
    flow.text(flow.left + (flow.width - width) / 2, flow.y, text, size, bold=bold, spacing=spacing,
              leading=leading)
    flow.y += line_height(size, leading)


def clip(text: str, size: float, width: float) -> str:
    """`text`, cut with an ellipsis to fit `width` mm (one-line headers and captions)."""
    font = metrics()
    if font.width(text, size) <= width:
        return text
    while text and font.width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"
