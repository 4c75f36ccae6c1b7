"""The tablet's photo pipeline, usable with no window (plain Pillow).

Order matters for evidence: the SHA-256 of the camera's bytes is taken first, then the
image is turned upright (EXIF orientation), resized to a long edge, watermarked with time,
place, inspector and record id in Chinese (CJK font from assets/fonts), and saved as
JPEG. The result's SHA-256 is the photo's id on the server. The original's hash is kept
in the result and written into the JPEG's EXIF ImageDescription, next to the camera's
GPS position and time (the server keeps those as metadata and strips them from the
public copy).
"""
from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

import assets
from kivy_client.errors import TabletError

FONT_PATH = Path(assets.__file__).parent / "fonts" / "wqy-microhei.ttc"
ORIGINAL_HASH_MARK = "gbfield:original-sha256="  # server.photos.imaging reads the same mark
_TAG_DESCRIPTION, _TAG_ORIENTATION = 0x010E, 0x0112


class PhotoPipelineError(TabletError):
    """A capture that cannot be processed (not an image, unreadable font…)."""


@dataclass(frozen=True)
class WatermarkInfo:
    """What is burned into the photo."""

    taken_at: datetime | str
    place: str
    inspector: str
    record_id: str

    def lines(self) -> list[str]:
        """Return the watermark's text lines, Chinese labels."""
        when = self.taken_at.strftime("%Y-%m-%d %H:%M:%S") if isinstance(self.taken_at, datetime) else str(self.taken_at)
        return [f"时间：{when}", f"地点：{self.place}", f"检查员：{self.inspector}", f"记录：{self.record_id}"]


@dataclass(frozen=True)
class PipelineSettings:
    """Tunable per deployment."""

    long_edge: int = 2048
    quality: int = 85
    thumb_edge: int = 256
    font_path: str = str(FONT_PATH)


@dataclass(frozen=True)
class ProcessedPhoto:
    """What the pipeline hands to the outbox: the id is ``sha256`` of ``jpeg``."""

    sha256: str
    original_sha256: str
    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int
    watermark_box: tuple[int, int, int, int]   # left, top, right, bottom of the band

    def save(self, folder: str | os.PathLike) -> Path:
        """Write ``<sha256>.jpg`` (and ``<sha256>.thumb.jpg``) atomically; return the photo's path."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, payload in ((f"{self.sha256}.jpg", self.jpeg), (f"{self.sha256}.thumb.jpg", self.thumbnail)):
            tmp = folder / f".{name}.tmp"
            tmp.write_bytes(payload)
            os.replace(tmp, folder / name)
        return folder / f"{self.sha256}.jpg"


def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """Return the CJK font at ``size`` px. Raises PhotoPipelineError if it cannot be read."""
    try:
        return ImageFont.truetype(path, size=size, index=0)
    except OSError as exc:
        raise PhotoPipelineError(f"无法读取字体 {path} / cannot read font") from exc


def draw_watermark(image: Image.Image, lines: list[str], font_path: str = str(FONT_PATH)) -> tuple[int, int, int, int]:
    """Burn ``lines`` into the bottom-left of ``image`` (in place) on a translucent dark band.

    Returns the band's box. Raises PhotoPipelineError for an unreadable font."""
    width, height = image.size
    size = max(12, min(width, height) // 28)
    font = load_font(font_path, size)
    margin, spacing = size // 2, size // 4
    text_width = max(int(font.getlength(line)) for line in lines)
    band_height = len(lines) * (size + spacing) + margin * 2
    box = (0, max(0, height - band_height), min(width, text_width + margin * 2), height)
    # only the band is composited (not the whole picture): a worker thread holds Python's
    # lock through each whole-image operation, and the UI thread waits for it
    band = image.crop(box).convert("RGBA")
    overlay = Image.new("RGBA", band.size, (0, 0, 0, 140))
    draw = ImageDraw.Draw(overlay)
    y = margin
    for line in lines:
        draw.text((margin - box[0], y), line, font=font, fill=(255, 255, 255, 255), stroke_width=1,
                  stroke_fill=(0, 0, 0, 255))
        y += size + spacing
    image.paste(Image.alpha_composite(band, overlay).convert("RGB"), box[:2])
    return box


def _exif_to_keep(image: Image.Image, original_sha256: str) -> bytes:
    exif = image.getexif()
    exif[_TAG_ORIENTATION] = 1
    exif[_TAG_DESCRIPTION] = ORIGINAL_HASH_MARK + original_sha256
    return exif.tobytes()


def process_photo(source: bytes | str | os.PathLike, watermark: WatermarkInfo,
                  settings: PipelineSettings = PipelineSettings()) -> ProcessedPhoto:
    """Run the pipeline on a capture (bytes or a file path) and return the ProcessedPhoto.

    Raises PhotoPipelineError when the capture is not a readable image or the font is missing."""
    data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    original_sha256 = hashlib.sha256(data).hexdigest()   # before anything touches the image
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened).convert("RGB")
            exif_bytes = _exif_to_keep(opened, original_sha256)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoPipelineError(f"照片无法读取 / the capture is not a readable image: {exc}") from exc
    if max(image.size) > settings.long_edge:
        image.thumbnail((settings.long_edge, settings.long_edge), Image.Resampling.LANCZOS)
    box = draw_watermark(image, watermark.lines(), settings.font_path)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=settings.quality, exif=exif_bytes)
    jpeg = out.getvalue()
    thumb = image.copy()
    thumb.thumbnail((settings.thumb_edge, settings.thumb_edge), Image.Resampling.LANCZOS)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, "JPEG", quality=80)
    return ProcessedPhoto(hashlib.sha256(jpeg).hexdigest(), original_sha256, jpeg, thumb_out.getvalue(),
                          image.width, image.height, box)
