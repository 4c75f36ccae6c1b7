"""Server-side image checks and derivatives, with Pillow. Pure functions on bytes.

``verify_image`` decodes the whole image and refuses oversize files, decompression bombs,
formats other than JPEG/PNG/WebP, and files that are not images or do not decode.
``derive`` applies the EXIF orientation and makes the thumbnail, the screen-size version
and the public copy — all re-encoded as JPEG with no EXIF/XMP (no GPS, no time).
``read_metadata`` keeps what the EXIF says (position, time, camera, the tablet's
original-before-watermark hash) as a JSON-ready dict of strings.
"""
from __future__ import annotations

import codecs
import io
import re
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import CorruptImage, PhotoTooLarge, TooManyPixels, UnsupportedImageFormat

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
DERIVATIVE_EDGES = {"thumb": 256, "screen": 1600}
PUBLIC_QUALITY = 90
DERIVATIVE_QUALITY = 82

_GPS_IFD, _EXIF_IFD = 0x8825, 0x8769
_TAG_DESCRIPTION, _TAG_MAKE, _TAG_MODEL, _TAG_ORIENTATION = 0x010E, 0x010F, 0x0110, 0x0112
_TAG_DATETIME_ORIGINAL, _TAG_OFFSET_ORIGINAL = 0x9003, 0x9011
ORIGINAL_HASH_MARK = "gbfield:original-sha256="
_HASH_RE = re.compile(re.escape(ORIGINAL_HASH_MARK) + r"([0-9a-f]{64})")


@dataclass(frozen=True)
class ImageLimits:
    """What the server accepts; from config PHOTO_MAX_BYTES / PHOTO_MAX_PIXELS."""

    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000
    formats: tuple[str, ...] = tuple(ALLOWED_FORMATS)


@dataclass(frozen=True)
class VerifiedImage:
    """An image that decoded completely."""

    format: str
    mime: str
    width: int   # as stored (before orientation)
    height: int
    metadata: dict = field(default_factory=dict)


def _looks_like_text(data: bytes) -> bool:
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(data[:512], final=False)
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def verify_image(data: bytes, limits: ImageLimits = ImageLimits()) -> VerifiedImage:
    """Decode ``data`` fully and return what it is.

    Raises PhotoTooLarge (413), UnsupportedImageFormat (415), TooManyPixels (422),
    CorruptImage (422) — each with a Chinese-first message."""
    if len(data) > limits.max_bytes:
        raise PhotoTooLarge("photo", size=len(data), limit=limits.max_bytes,
                            details={"size": len(data), "limit": limits.max_bytes})
    if not data:
        raise CorruptImage("empty")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise TooManyPixels("bomb", problem=str(exc)) from exc
        except UnidentifiedImageError as exc:
            raise UnsupportedImageFormat("text" if _looks_like_text(data) else "unknown") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise CorruptImage("undecodable", problem=str(exc)) from exc
        with image:
            return _check_and_decode(image, limits)


def _check_and_decode(image: Image.Image, limits: ImageLimits) -> VerifiedImage:
    fmt = image.format or "?"
    if fmt not in limits.formats:
        raise UnsupportedImageFormat("format", format=fmt, accepted=", ".join(limits.formats),
                                     details={"format": fmt})
    width, height = image.size
    if width <= 0 or height <= 0 or width * height > limits.max_pixels:
        raise TooManyPixels("size", width=width, height=height, limit=limits.max_pixels,
                            details={"width": width, "height": height})
    if fmt == "JPEG":
        # Entropy-decode every block but skip full-size IDCT/colour work: a truncated or
        # broken stream still fails, in ~60 % of the time of a full decode.
        image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooManyPixels("bomb", problem=str(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise CorruptImage("truncated", problem=str(exc)) from exc
    return VerifiedImage(fmt, ALLOWED_FORMATS[fmt], width, height, read_metadata(image))


def _rational(value) -> Decimal:
    try:
        if isinstance(value, tuple):
            return Decimal(value[0]) / Decimal(value[1])
        numerator, denominator = getattr(value, "numerator", None), getattr(value, "denominator", None)
        if numerator is not None and denominator:
            return Decimal(numerator) / Decimal(denominator)
        return Decimal(str(value))
    except (InvalidOperation, ZeroDivisionError, TypeError, IndexError) as exc:
        raise ValueError(f"bad EXIF rational {value!r}") from exc


def _degrees(parts, ref) -> str | None:
    try:
        d, m, s = (_rational(p) for p in parts)
    except (ValueError, TypeError):
        return None
    value = d + m / 60 + s / 3600
    if str(ref).upper() in ("S", "W"):
        value = -value
    return str(value.quantize(Decimal("0.0000001")))


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).strip("\x00 ").strip() or None


def read_metadata(image: Image.Image) -> dict:
    """Return the EXIF facts worth keeping as a dict of strings (absent keys omitted).

    Keys: gps_lat, gps_lon, gps_alt (decimal strings), taken_at (EXIF DateTimeOriginal,
    "YYYY-MM-DDTHH:MM:SS" plus offset when recorded), make, model, orientation,
    original_sha256 (the tablet's hash of the photo before its watermark). Never raises."""
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - broken EXIF must not reject a decodable photo
        return {}
    meta: dict[str, str] = {}
    try:
        gps = exif.get_ifd(_GPS_IFD)
        sub = exif.get_ifd(_EXIF_IFD)
    except Exception:  # noqa: BLE001
        gps, sub = {}, {}
    if gps.get(2) and gps.get(4):
        lat, lon = _degrees(gps[2], gps.get(1, "N")), _degrees(gps[4], gps.get(3, "E"))
        if lat and lon:
            meta["gps_lat"], meta["gps_lon"] = lat, lon
        if gps.get(6) is not None:
            try:
                alt = _rational(gps[6]) * (-1 if gps.get(5) in (1, b"\x01") else 1)
                meta["gps_alt"] = str(alt.quantize(Decimal("0.01")))
            except ValueError:
                pass
    taken = _text(sub.get(_TAG_DATETIME_ORIGINAL))
    if taken and re.match(r"^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$", taken):
        iso = taken[:10].replace(":", "-") + "T" + taken[11:]
        meta["taken_at"] = iso + (_text(sub.get(_TAG_OFFSET_ORIGINAL)) or "")
    for tag, key in ((_TAG_MAKE, "make"), (_TAG_MODEL, "model")):
        if _text(exif.get(tag)):
            meta[key] = _text(exif.get(tag))[:100]
    if exif.get(_TAG_ORIENTATION) not in (None, 1):
        meta["orientation"] = str(exif.get(_TAG_ORIENTATION))
    found = _HASH_RE.search(_text(exif.get(_TAG_DESCRIPTION)) or "")
    if found:
        meta["original_sha256"] = found.group(1)
    return meta


def _oriented_rgb(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        return image


def _encode_clean(image: Image.Image, quality: int) -> bytes:
    """JPEG with no metadata at all (EXIF, XMP, comments are all dropped)."""
    icc = image.info.get("icc_profile")
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=False, exif=b"", icc_profile=icc)
    return out.getvalue()


def _fit(image: Image.Image, edge: int) -> Image.Image:
    if max(image.size) <= edge:
        return image.copy()
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    return copy


def derive(data: bytes, kinds: tuple[str, ...] = ("thumb", "screen", "public")) -> dict[str, bytes]:
    """Return {kind: JPEG bytes} for each kind asked: "thumb" (256 px long edge),
    "screen" (1600 px) and "public" (full size). All have the EXIF orientation applied
    and carry no EXIF/XMP. Call only on bytes ``verify_image`` accepted.

    Raises CorruptImage if the image cannot be decoded after all."""
    try:
        base = _oriented_rgb(data)
    except (OSError, SyntaxError, ValueError) as exc:
        raise CorruptImage("undecodable", problem=str(exc)) from exc
    results: dict[str, bytes] = {}
    for kind in kinds:
        if kind == "public":
            results[kind] = _encode_clean(base.copy(), PUBLIC_QUALITY)
        else:
            results[kind] = _encode_clean(_fit(base, DERIVATIVE_EDGES[kind]), DERIVATIVE_QUALITY)
    return results
