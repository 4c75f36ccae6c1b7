"""The layout model: pages of positioned items, drawn by both back ends.

A generator (`documents.onsite`, `documents.report`) turns a record into a `Layout`; the PDF
back end (`documents.pdf`) and the image back end (`documents.raster`) draw the same items,
so the preview an officer shows the party is the page that prints. Units are millimetres
from the page's top-left corner; text sits on its baseline; sizes are points.

`Flow` places blocks top-down inside a frame and starts a new page when one is full."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from documents.fonts import ASCENT, PT, Metrics, metrics
from documents.text import WrappedLine, justify_spacing, wrap

BLACK = (0, 0, 0)
GREY = (96, 96, 96)
A4 = (210.0, 297.0)


@dataclass(frozen=True)
class Text:
    x: float
    y: float                    # baseline
    text: str
    size: float                 # points
    bold: bool = False
    color: tuple[int, int, int] = BLACK
    spacing: float = 0.0        # extra mm after each character (justification, letter-spaced titles)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.25
    color: tuple[int, int, int] = BLACK
    dash: tuple[float, float] | None = None      # (on, off) mm


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    stroke: tuple[int, int, int] | None = BLACK
    fill: tuple[int, int, int] | None = None
    width: float = 0.25


@dataclass(frozen=True)
class Picture:
    x: float
    y: float
    w: float
    h: float
    sha256: str                 # of the original image
    data: bytes                 # what is drawn (the original, or a print-size copy of a large photo)


Item = Text | Line | Box | Picture


@dataclass
class Page:
    width: float
    height: float
    items: list[Item] = field(default_factory=list)

    def add(self, item: Item) -> None:
        self.items.append(item)

    def texts(self) -> list[str]:
        return [i.text for i in self.items if isinstance(i, Text)]


@dataclass
class Layout:
    """A laid-out document. `missing_glyphs`: characters the font cannot draw (empty boxes)."""
    kind: str                   # "onsite_record" | "inspection_report"
    title: str
    pages: list[Page]
    author: str = ""
    subject: str = ""
    created: datetime | None = None
    missing_glyphs: frozenset[str] = frozenset()


def line_height(size: float, leading: float = 1.5) -> float:
    return size * PT * leading


def baseline(top: float, size: float, leading: float = 1.5) -> float:
    """Baseline of a line whose box starts at `top`."""
    return top + (line_height(size, leading) - size * PT) / 2 + ASCENT * size * PT


class Flow:
    """Top-down placement in a frame [left, left+width] × [top, bottom] of each page.

    `start_page(number) -> top` is called for every new page (number from 1) and returns
    where the frame starts on it (below the first page's heading or a continuation head)."""

    def __init__(self, layout: Layout, *, left: float, width: float, bottom: float,
                 start_page: Callable[[Page, int], float], page_size=A4, font: Metrics | None = None):
        self.layout, self.left, self.width, self.bottom = layout, left, width, bottom
        self.start_page, self.page_size = start_page, page_size
        self.font = font or metrics()
        self.missing: set[str] = set()
        self.page: Page
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.page = Page(*self.page_size)
        self.layout.pages.append(self.page)
        self.y = self.top = self.start_page(self.page, len(self.layout.pages))

    @property
    def room(self) -> float:
        return self.bottom - self.y

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one (a block taller than a
        whole frame stays on a fresh page rather than leaving it empty)."""
        if height > self.room + 1e-6 and self.y > self.top + 1e-6:
            self.new_page()

    def gap(self, height: float) -> None:
        self.y = min(self.y + height, self.bottom)

    def text(self, x: float, top: float, text: str, size: float, **kw) -> Text:
        """Put one line of text whose box starts at `top`; return the item."""
        self.missing |= self.font.missing(text)
        item = Text(x, baseline(top, size, kw.pop("leading", 1.5)), text, size, **kw)
        self.page.add(item)
        return item

    def paragraph(self, text: str, size: float, *, x: float | None = None, width: float | None = None,
                  label: str = "", label_bold: bool = True, indent: float = 0.0, leading: float = 1.5,
                  justify: bool = True, color=BLACK, underline: bool = False) -> None:
        """Wrap `text` into the frame (or the column [x, x+width]); lines break across pages.
        `label` starts the first line ("现场情况："); `indent` is the first line's indent in em."""
        x = self.left if x is None else x
        width = self.width if width is None else width
        label_w = self.font.width(label, size) if label else 0.0
        first = width - label_w - indent * size * PT
        lines = wrap(text, size, width, first_width=first, font=self.font)
        lh = line_height(size, leading)
        for n, line in enumerate(lines):
            self.ensure(lh)
            x0 = x
            if n == 0:
                if label:
                    self.text(x, self.y, label, size, bold=label_bold, color=color, leading=leading)
                x0 = x + label_w + indent * size * PT
            avail = width - (x0 - x)
            self._line(x0, line, size, avail if justify else 0, leading, color)
            if underline:
                self.underline(x0, x + width, self.y + lh)
            self.y += lh

    def _line(self, x: float, line: WrappedLine, size: float, width: float, leading: float, color) -> None:
        if not line.text:
            return
        spacing = justify_spacing(line, width, size) if width else 0.0
        self.text(x, self.y, line.text, size, spacing=spacing, color=color, leading=leading)

    def underline(self, x1: float, x2: float, y: float, width: float = 0.2) -> None:
        self.page.add(Line(x1, y - 0.6, x2, y - 0.6, width=width))

    def rule(self, width: float = 0.3, color=BLACK) -> None:
        self.page.add(Line(self.left, self.y, self.left + self.width, self.y, width=width, color=color))
