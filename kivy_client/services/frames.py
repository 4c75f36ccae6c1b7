"""A camera frame as every part of the tablet sees it, whatever camera made it.

Decoders want luminance (one byte a pixel); the preview wants RGBA. A frame keeps what its
source gave (Android's NV21 preview buffer starts with the luminance plane, so it is taken
as is) and converts on demand with Pillow. Rows run top to bottom.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from PIL import Image

from kivy_client.errors import TabletError

MODES = {"L": 1, "RGB": 3, "RGBA": 4}


class FrameError(TabletError, ValueError):
    """Pixels that do not fit the frame's size and mode."""


@dataclass(frozen=True)
class Frame:
    """One camera frame: `pixels` row-major, top row first, in `mode` (L, RGB or RGBA)."""

    pixels: bytes
    width: int
    height: int
    mode: str = "L"
    index: int = 0
    taken_at: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise FrameError(f"unknown frame mode {self.mode!r}")
        if len(self.pixels) < self.width * self.height * MODES[self.mode]:
            raise FrameError(f"{len(self.pixels)} bytes do not fill a {self.width}×{self.height} {self.mode} frame")

    @classmethod
    def from_image(cls, image: Image.Image, index: int = 0, taken_at: float | None = None) -> Frame:
        """Return the frame of a PIL image (kept as L when grey, else RGBA)."""
        mode = "L" if image.mode in ("L", "1") else "RGBA"
        img = image.convert(mode)
        return cls(img.tobytes(), img.width, img.height, mode, index,
                   time.monotonic() if taken_at is None else taken_at)

    @classmethod
    def from_nv21(cls, buffer: bytes, width: int, height: int, index: int = 0) -> Frame:
        """Return the luminance frame of an Android NV21 preview buffer (its first w×h bytes)."""
        return cls(bytes(buffer[:width * height]), width, height, "L", index)

    @classmethod
    def from_texture_pixels(cls, pixels: bytes, width: int, height: int, index: int = 0) -> Frame:
        """Return the frame of Kivy texture pixels (RGBA, bottom row first)."""
        img = Image.frombytes("RGBA", (width, height), pixels).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        return cls(img.tobytes(), width, height, "RGBA", index)

    def image(self) -> Image.Image:
        """Return the frame as a PIL image in its own mode."""
        return Image.frombytes(self.mode, (self.width, self.height), self.pixels)

    def luminance(self) -> bytes:
        """Return one byte a pixel (the frame's own bytes when it is L already)."""
        if self.mode == "L":
            return self.pixels[:self.width * self.height]
        return self.image().convert("L").tobytes()
