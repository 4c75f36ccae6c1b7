"""The one font of the printed records and its metrics.

WenQuanYi Micro Hei (`assets/fonts/wqy-microhei.ttc`, face 0), the CJK font the project
ships to the tablet. Widths come from the font's own `hmtx` table (fontTools), the same
numbers fpdf2 embeds, so a line the layout breaks fits the same way in the PDF and in the
Pillow preview."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

import assets

FONT_PATH = Path(assets.__file__).parent / "fonts" / "wqy-microhei.ttc"
FACE = 0
PT = 25.4 / 72          # one point in millimetres
#: baseline below the top of a line's em box, in em (the font's hhea ascent 1918/2048 is
#: taller than CJK glyphs; 0.86 sets them visually centred in their box)
ASCENT = 0.86


class Metrics:
    """Advance widths in em by character, and which characters the font has."""

    def __init__(self, path: Path = FONT_PATH, face: int = FACE):
        font = TTFont(str(path), fontNumber=face, lazy=True)
        upm = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        self.cmap = font.getBestCmap()
        notdef = hmtx[".notdef"][0] / upm
        self._widths = {code: hmtx[name][0] / upm for code, name in self.cmap.items()}
        self._notdef = notdef
        font.close()

    def has(self, char: str) -> bool:
        return ord(char) in self._widths

    def em(self, text: str) -> float:
        """Width of `text` in em (no kerning: fpdf2 does not kern either)."""
        widths, notdef = self._widths, self._notdef
        return sum(widths.get(ord(c), notdef) for c in text)

    def width(self, text: str, size_pt: float) -> float:
        """Width of `text` at `size_pt` points, in millimetres."""
        return self.em(text) * size_pt * PT

    def missing(self, text: str) -> set[str]:
        """The characters of `text` the font cannot draw (printed as empty boxes)."""
        return {c for c in text if c not in "\n\t" and ord(c) not in self._widths}


@lru_cache(maxsize=1)
def metrics() -> Metrics:
    """The process-wide metrics of the bundled font (read once, ~0.2 s)."""
    return Metrics()
