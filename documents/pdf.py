"""The PDF back end: draws a `Layout` with fpdf2, the font embedded as a subset.

    render_pdf(layout) -> bytes
    prepare() -> None        # read the font for the next PDF ahead of time (a background thread)

The output depends only on the layout: the creation date is the record's own time (the
inspection's end), so the same record gives the same bytes. Most of a PDF's time is fpdf2
reading the 34 000-glyph font (bench/documents.py); `prepare` does that before it is needed."""
from __future__ import annotations

import io
import threading

from fpdf import FPDF
from fpdf.enums import TextMode

from documents.fonts import FACE, FONT_PATH
from documents.layout import Box, Layout, Line, Picture, Text

FONT = "wqy"
#: stroke drawn around bold glyphs, in points (the font has no bold face)
BOLD_STROKE = 0.45


_prepared: list[FPDF] = []
_lock = threading.Lock()


def _new_pdf() -> FPDF:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font(FONT, fname=str(FONT_PATH), collection_font_number=FACE)
    pdf.set_font(FONT, size=12)
    return pdf


def prepare() -> None:
    """Make the next `render_pdf` skip reading the font (about three quarters of its time).
    Safe to call from a background thread; one document is kept ready. Raises nothing."""
    with _lock:
        if _prepared:
            return
    pdf = _new_pdf()
    with _lock:
        if not _prepared:
            _prepared.append(pdf)


def _take() -> FPDF:
    with _lock:
        if _prepared:
            return _prepared.pop()
    return _new_pdf()


def render_pdf(layout: Layout) -> bytes:
    """Return the PDF of `layout`. Raises nothing for a well-formed layout (fpdf2's own
    errors, which would mean a bug here, propagate)."""
    pdf = _take()
    pdf.set_title(layout.title)
    pdf.set_author(layout.author)
    pdf.set_subject(layout.subject)
    pdf.set_creator("gbfield")
    pdf.set_producer("gbfield (fpdf2)")
    if layout.created is not None:
        pdf.set_creation_date(layout.created)
    for page in layout.pages:
        pdf.add_page(format=(page.width, page.height))
        for item in page.items:
            _DRAW[type(item)](pdf, item)
    return bytes(pdf.output())


def _text(pdf: FPDF, item: Text) -> None:
    pdf.set_font(FONT, size=item.size)
    pdf.set_char_spacing(item.spacing * pdf.k)      # fpdf2 writes the value as the Tc operand (points)
    if item.bold:
        with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=BOLD_STROKE,
                               draw_color=item.color, text_color=item.color):
            pdf.text(item.x, item.y, item.text)
    else:
        pdf.set_text_color(*item.color)
        pdf.text(item.x, item.y, item.text)


def _line(pdf: FPDF, item: Line) -> None:
    pdf.set_draw_color(*item.color)
    pdf.set_line_width(item.width)
    if item.dash:
        pdf.set_dash_pattern(dash=item.dash[0], gap=item.dash[1])
    pdf.line(item.x1, item.y1, item.x2, item.y2)
    if item.dash:
        pdf.set_dash_pattern()


def _box(pdf: FPDF, item: Box) -> None:
    style = ("D" if item.stroke else "") + ("F" if item.fill else "")
    if not style:
        return
    if item.stroke:
        pdf.set_draw_color(*item.stroke)
        pdf.set_line_width(item.width)
    if item.fill:
        pdf.set_fill_color(*item.fill)
    pdf.rect(item.x, item.y, item.w, item.h, style="DF" if style == "DF" else style)


def _picture(pdf: FPDF, item: Picture) -> None:
    pdf.image(io.BytesIO(item.data), x=item.x, y=item.y, w=item.w, h=item.h)


_DRAW = {Text: _text, Line: _line, Box: _box, Picture: _picture}
