"""Synthetic photos for tests, demo data and bench/photos.py (deterministic from a seed)."""
from __future__ import annotations

import io
import random

from PIL import Image
from PIL.TiffImagePlugin import IFDRational


def gps_exif(lat: float = 39.9087, lon: float = 116.3975, taken: str = "2025:06:01 10:30:00",
             orientation: int = 1, description: str | None = None) -> Image.Exif:
    """Return an Exif block with GPS position, DateTimeOriginal and an orientation."""
    def dms(value: float):
        value = abs(value)
        d = int(value)
        m = int((value - d) * 60)
        s = round(((value - d) * 60 - m) * 60 * 100)
        return (IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 100))

    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "GbfieldCam"
    if description:
        exif[0x010E] = description
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)})
    exif.get_ifd(0x8769)[0x9003] = taken
    return exif


def make_photo(width: int = 640, height: int = 480, *, seed: int = 1, noise: bool = False,
               exif: Image.Exif | None = None, quality: int = 90, fmt: str = "JPEG") -> bytes:
    """Return an encoded image: a colour gradient with a bright block top-left (so orientation
    is testable), or random noise when ``noise`` (hard to compress: ~1 byte/pixel at q95)."""
    if noise:
        rng = random.Random(seed)
        image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    else:
        image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
        image.paste((255, 40, 40), (0, 0, width // 4, height // 4))
    out = io.BytesIO()
    kwargs = {"quality": quality} if fmt == "JPEG" else {}
    if exif is not None:
        kwargs["exif"] = exif.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def make_noise_jpeg(target_bytes: int, *, seed: int = 1) -> bytes:
    """Return a noise JPEG of roughly ``target_bytes`` (within ~15 %)."""
    pixels = max(64 * 64, int(target_bytes / 0.76))
    width = int((pixels * 4 / 3) ** 0.5)
    height = max(64, pixels // width)
    return make_photo(width, height, seed=seed, noise=True, quality=85)
