"""Line breaking for Chinese text mixed with Latin words and numbers.

A line may break between any two Chinese characters; a run of Latin letters, digits and
the signs inside numbers and units (`18401-2010`, `mg/kg`, `0.5`) stays whole unless it is
longer than the line. Punctuation follows the usual rules (避头尾): a closing mark never
starts a line (the character before it moves down with it) and an opening mark never ends
one. Widths come from `documents.fonts`, so the PDF and the preview break identically."""
from __future__ import annotations

import re
from dataclasses import dataclass

from documents.fonts import Metrics, metrics

NO_START = set("，。、；：？！）」』】》〕”’…%·,.;:?!)]}％～—")
NO_END = set("（「『【《〔“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/%:+#@~°²³\u00a0]*|[ \t]+|.", re.DOTALL)
_EPS = 1e-6


@dataclass(frozen=True)
class WrappedLine:
    text: str
    width: float        # natural width in mm
    full: bool          # broken because the line was full (may be justified); False at a paragraph end


def wrap(text: str, size_pt: float, width: float, *, first_width: float | None = None,
         font: Metrics | None = None) -> list[WrappedLine]:
    """Break `text` into lines no wider than `width` mm at `size_pt` (the first line
    `first_width` when given). "\\n" ends a paragraph. An empty text gives one empty line.
    Raises nothing; a width too small for a single character still puts one per line."""
    font = font or metrics()
    lines: list[WrappedLine] = []
    limit = width if first_width is None else first_width
    for n, paragraph in enumerate(text.split("\n")):
        if n:
            limit = width
        lines += _wrap_paragraph(paragraph, size_pt, width, limit, font)
        limit = width
    return lines


def _wrap_paragraph(text: str, size: float, width: float, limit: float, font: Metrics) -> list[WrappedLine]:
    out: list[WrappedLine] = []
    cur: list[str] = []

    def w(tokens) -> float:
        return font.width("".join(tokens), size)

    def flush(full: bool):
        nonlocal cur, limit
        while cur and cur[-1].isspace():
            cur.pop()
        out.append(WrappedLine("".join(cur), w(cur), full))
        cur = []
        limit = width

    tokens = _TOKEN.findall(text)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isspace() and not cur:
            i += 1
            continue
        if w(cur + [tok]) <= limit + _EPS:
            cur.append(tok)
            i += 1
            continue
        if not cur and len(tok) > 1:                  # a Latin run longer than the line: split it
            cut = _fit_chars(tok, size, limit, font)
            cur.append(tok[:cut])
            tokens[i] = tok[cut:]
            flush(True)
            continue
        if not cur:                                   # one character wider than the line
            cur.append(tok)
            i += 1
            flush(True)
            continue
        carry: list[str] = []
        if tok in NO_START:                           # a closing mark takes the character before it along
            while cur and cur[-1].isspace():
                cur.pop()
            while len(cur) > 1 and cur[-1] in NO_START:
                carry.insert(0, cur.pop())
            if len(cur) > 1:
                carry.insert(0, cur.pop())
        while len(cur) > 1 and cur[-1] in NO_END:     # an opening mark never ends a line
            carry.insert(0, cur.pop())
        if carry and w(carry + [tok]) > width + _EPS:  # not even a whole line holds them: give up the rule
            cur += carry
            carry = []
        flush(True)
        cur = carry
    if cur or not out:
        flush(False)
    else:
        out[-1] = WrappedLine(out[-1].text, out[-1].width, False)
    return out


def _fit_chars(token: str, size: float, limit: float, font: Metrics) -> int:
    for cut in range(len(token), 0, -1):
        if font.width(token[:cut], size) <= limit + _EPS:
            return cut
    return 1


def justify_spacing(line: WrappedLine, width: float, size_pt: float, *, max_em: float = 0.12) -> float:
    """Extra space after each character (mm) that makes a full line exactly `width` wide;
    0 for a paragraph's last line, a one-character line, or when it would stretch too far."""
    if not line.full or len(line.text) < 2 or line.width >= width:
        return 0.0
    spacing = (width - line.width) / (len(line.text) - 1)
    return spacing if spacing <= max_em * size_pt * 25.4 / 72 else 0.0
