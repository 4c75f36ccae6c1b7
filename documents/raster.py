"""The image back end: draws a `Layout` with Pillow, for the tablet's on-screen preview.

    render_images(layout, dpi=110) -> [PIL.Image.Image, ...]   # one RGB image per page
    render_png(layout, dpi=110) -> [bytes, ...]

It draws the very items the PDF back end draws (same positions, same line breaks, same
font), so what the party reads on screen is what prints. python-for-android cannot build
a PDF rasteriser (pdfium, poppler), which is why the preview is drawn from the layout and
not from the PDF (docs/decisions.md)."""
from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from documents.fonts import FACE, FONT_PATH, PT, metrics
from documents.layout import Box, Layout, Line, Picture, Text

MM = 1 / 25.4
#: stroke around bold glyphs, in points (as the PDF back end draws it)
BOLD_STROKE = 0.45


@lru_cache(maxsize=32)
def _font(size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size=size_px, index=FACE)


def render_images(layout: Layout, dpi: float = 110) -> list[Image.Image]:
    """Return one RGB image per page at `dpi` (110 fills a 10-inch 1280×800 screen's
    height with about a third of an A4 page; 150 for print-like detail). Raises nothing."""
    scale = dpi * MM
    out = []
    for page in layout.pages:
        img = Image.new("RGB", (round(page.width * scale), round(page.height * scale)), "white")
        draw = ImageDraw.Draw(img)
        for item in page.items:
            if isinstance(item, Text):
                _text(img, item, scale)
            elif isinstance(item, Line):
                _line(draw, item, scale)
            elif isinstance(item, Box):
                _box(draw, item, scale)
            elif isinstance(item, Picture):
                _picture(img, item, scale)
        out.append(img)
    return out


def render_png(layout: Layout, dpi: float = 110) -> list[bytes]:
    """PNG bytes of each page (see render_images)."""
    pages = []
    for img in render_images(layout, dpi):
        buf = io.BytesIO()
        img.save(buf, "PNG", optimize=False, compress_level=3)
        pages.append(buf.getvalue())
    return pages


def _text(img: Image.Image, item: Text, scale: float) -> None:
    """Paste each glyph at the position the layout gives it (cached glyph masks: a page has a
    few hundred distinct characters but thousands of them, and spaced lines need each placed)."""
    size_px = round(item.size * PT * scale, 1)
    stroke = round(BOLD_STROKE * PT * scale, 2) if item.bold else 0
    font = metrics()
    x, y = item.x * scale, item.y * scale
    for char in item.text:
        if not char.isspace():
            mask, left, top = _glyph(char, size_px, stroke)
            if mask is not None:
                img.paste(item.color, (round(x) + left, round(y) + top), mask)
        x += (font.width(char, item.size) + item.spacing) * scale


@lru_cache(maxsize=8192)
def _glyph(char: str, size_px: float, stroke: float) -> tuple[Image.Image | None, int, int]:
    """The coverage mask of one character drawn with its baseline origin at (0, 0), and where
    its top-left corner sits relative to that origin."""
    font = _font(size_px)
    box = font.getbbox(char, anchor="ls", stroke_width=stroke)
    left, top, right, bottom = math.floor(box[0]), math.floor(box[1]), math.ceil(box[2]), math.ceil(box[3])
    if right <= left or bottom <= top:
        return None, 0, 0
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=255, anchor="ls",
                              stroke_width=stroke, stroke_fill=255)
    return mask, left, top


def _line(draw: ImageDraw.ImageDraw, item: Line, scale: float) -> None:
    width = max(1, round(item.width * scale))
    x1, y1, x2, y2 = (v * scale for v in (item.x1, item.y1, item.x2, item.y2))
    if not item.dash:
        draw.line([(x1, y1), (x2, y2)], fill=item.color, width=width)
        return
    on, off = (v * scale for v in item.dash)
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    pos = 0.0
    while pos < length:
        end = min(pos + on, length)
        draw.line([(x1 + dx * pos, y1 + dy * pos), (x1 + dx * end, y1 + dy * end)], fill=item.color, width=width)
        pos = end + off


def _box(draw: ImageDraw.ImageDraw, item: Box, scale: float) -> None:
    rect = [item.x * scale, item.y * scale, (item.x + item.w) * scale, (item.y + item.h) * scale]
    width = max(1, round(item.width * scale)) if item.stroke else 0
    draw.rectangle(rect, fill=item.fill, outline=item.stroke, width=width)


def _picture(img: Image.Image, item: Picture, scale: float) -> None:
    size = (max(1, round(item.w * scale)), max(1, round(item.h * scale)))
    with Image.open(io.BytesIO(item.data)) as src:
        src.draft("RGB", size)                  # JPEG: decode at the reduced size directly
        pic = src.convert("RGBA").resize(size, Image.Resampling.LANCZOS)
    img.paste(pic, (round(item.x * scale), round(item.y * scale)), pic)
