"""Ruled tables whose cells wrap, rows never split, and the header repeats on each page."""
from __future__ import annotations

from dataclasses import dataclass

from documents.layout import BLACK, Box, Flow, line_height
from documents.text import wrap

HEADER_FILL = (228, 233, 241)


@dataclass(frozen=True)
class Column:
    title: str
    width: float                # mm
    align: str = "left"         # "left" | "center"


@dataclass(frozen=True)
class Cell:
    text: str
    color: tuple[int, int, int] = BLACK
    fill: tuple[int, int, int] | None = None
    bold: bool = False


def table(flow: Flow, columns: list[Column], rows: list[list[Cell | str]], *, size: float = 9.0,
          padding: float = 1.2, leading: float = 1.35) -> None:
    """Draw the table at the flow's position, starting pages as needed."""
    header = [Cell(c.title, fill=HEADER_FILL) for c in columns]
    body = [[c if isinstance(c, Cell) else Cell(str(c)) for c in row] for row in rows]
    first = _wrapped(flow, columns, body[0], size, padding) if body else []
    flow.ensure(_height(_wrapped(flow, columns, header, size, padding), size, padding, leading)
                + _height(first, size, padding, leading))          # never a header alone at a page end
    _row(flow, columns, header, size, padding, leading, header=None)
    for cells in body:
        _row(flow, columns, cells, size, padding, leading, header=header)


def _wrapped(flow: Flow, columns, cells, size, padding):
    return [wrap(cell.text, size, col.width - 2 * padding, font=flow.font) for col, cell in zip(columns, cells)]


def _height(wrapped, size, padding, leading) -> float:
    return max((len(lines) for lines in wrapped), default=0) * line_height(size, leading) + 2 * padding


def _row(flow: Flow, columns, cells, size, padding, leading, header) -> None:
    lh = line_height(size, leading)
    wrapped = _wrapped(flow, columns, cells, size, padding)
    height = _height(wrapped, size, padding, leading)
    page_before = flow.page
    flow.ensure(height)
    if header is not None and flow.page is not page_before:     # a new page: repeat the header first
        _row(flow, columns, header, size, padding, leading, header=None)
    x = flow.left
    for col, cell, lines in zip(columns, cells, wrapped):
        flow.page.add(Box(x, flow.y, col.width, height, stroke=BLACK, fill=cell.fill, width=0.2))
        top = flow.y + padding
        for line in lines:
            offset = (col.width - 2 * padding - line.width) / 2 if col.align == "center" else 0.0
            if line.text:
                flow.text(x + padding + offset, top, line.text, size, bold=cell.bold, color=cell.color,
                          leading=leading)
            top += lh
        x += col.width
    flow.y += height
