"""Images referenced by SHA-256: looked up, checked against their hash, fitted into a box.

`images` is a mapping {sha256: bytes} or a callable sha256 -> bytes | None. An image that
is not there yet (a photo still uploading) is drawn as a labelled placeholder; bytes whose
SHA-256 differs from the reference raise ImageError — a printed record never shows a
picture other than the one the record names."""
from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from documents.errors import ImageError

Images = Mapping[str, bytes] | Callable[[str], "bytes | None"] | None
#: longest side of a photo as embedded in a PDF (about 200 dpi across an 80 mm box)
PRINT_PIXELS = 1200


@dataclass(frozen=True)
class Loaded:
    sha256: str
    data: bytes             # what to draw (PNG/JPEG bytes)
    width: int              # pixels
    height: int


class ImageSource:
    """Looks images up once each and remembers them for the document being made."""

    def __init__(self, images: Images):
        self._images = images
        self._cache: dict[tuple[str, bool], Loaded | None] = {}

    def get(self, sha256: str, *, photo: bool = False) -> Loaded | None:
        """Return the image or None when it is not available. Raises ImageError when its
        bytes do not hash to `sha256` or are not an image Pillow can read."""
        key = (sha256, photo)
        if key not in self._cache:
            self._cache[key] = self._load(sha256, photo)
        return self._cache[key]

    def _load(self, sha256: str, photo: bool) -> Loaded | None:
        if self._images is None:
            return None
        data = self._images(sha256) if callable(self._images) else self._images.get(sha256)
        if data is None:
            return None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ImageError(sha256, "its bytes do not match the SHA-256 the record names")
        try:
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                width, height = img.size
                if photo and max(width, height) > PRINT_PIXELS:
                    return _print_copy(sha256, img)
                if img.format not in ("PNG", "JPEG"):
                    return _as_png(sha256, img)
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ImageError(sha256, f"not a readable image ({exc})") from exc
        return Loaded(sha256, data, width, height)


def _print_copy(sha256: str, img: Image.Image) -> Loaded:
    copy = img.convert("RGB")
    copy.thumbnail((PRINT_PIXELS, PRINT_PIXELS), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True)
    return Loaded(sha256, out.getvalue(), *copy.size)


def _as_png(sha256: str, img: Image.Image) -> Loaded:
    out = io.BytesIO()
    img.convert("RGBA").save(out, "PNG")
    return Loaded(sha256, out.getvalue(), *img.size)


def fit(width: int, height: int, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The largest rectangle of the image's aspect ratio centred in box (x, y, w, h)."""
    x, y, w, h = box
    scale = min(w / width, h / height)
    fw, fh = width * scale, height * scale
    return x + (w - fw) / 2, y + (h - fh) / 2, fw, fh
