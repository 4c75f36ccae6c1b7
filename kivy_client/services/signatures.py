"""A signature drawn on the screen, kept as the strokes the finger made and rendered to a
PNG with Pillow (the same picture on every platform, no window needed): dark ink on a
transparent background, the size the 现场笔录 prints it at.

    png = strokes_png([[(0.1, 0.5), (0.2, 0.55), …], …])     # points in 0..1, y downwards
    path = save_signature(png, folder)                        # <sha256>.png
"""
from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw

from kivy_client.errors import TabletError

__all__ = ["SignatureError", "ink_points", "save_signature", "strokes_png"]

Stroke = Sequence[tuple[float, float]]
SIZE = (600, 240)
INK = (20, 30, 90, 255)
#: fewer inked points than this is a tap, not a signature
MIN_POINTS = 8


class SignatureError(TabletError):
    """Nothing drawn (or too little to be a signature)."""


def ink_points(strokes: Sequence[Stroke]) -> int:
    """Return how many points the strokes hold (a signature has at least MIN_POINTS)."""
    return sum(len(s) for s in strokes)


def strokes_png(strokes: Sequence[Stroke], size: tuple[int, int] = SIZE, width: int = 6) -> bytes:
    """Return the PNG of `strokes` (points in 0..1 of the pad, y downwards). Raises
    SignatureError when too little was drawn to be a signature."""
    if ink_points(strokes) < MIN_POINTS:
        raise SignatureError("请在签名框内签名 / sign inside the box")
    w, h = size
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        points = [(min(max(x, 0.0), 1.0) * (w - 1), min(max(y, 0.0), 1.0) * (h - 1)) for x, y in stroke]
        if len(points) == 1:
            x, y = points[0]
            draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=INK)
        elif points:
            draw.line(points, fill=INK, width=width, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def save_signature(png: bytes, folder: str | Path) -> Path:
    """Write `png` as <sha256>.png in `folder` (atomically) and return its path. Raises OSError."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(png).hexdigest()}.png"
    tmp = folder / f".{path.name}.tmp"
    tmp.write_bytes(png)
    os.replace(tmp, path)
    return path
