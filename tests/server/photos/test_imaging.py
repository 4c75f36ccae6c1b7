"""Server-side image verification and derivatives (pure functions on bytes)."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from server.photos import imaging
from server.photos.errors import CorruptImage, PhotoTooLarge, TooManyPixels, UnsupportedImageFormat
from server.photos.samples import gps_exif, make_photo


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height (a decompression bomb's shape)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


def test_a_good_jpeg_is_verified_with_its_metadata():
    data = make_photo(320, 240, exif=gps_exif(lat=39.9087, lon=-116.3975, orientation=6,
                                              description=imaging.ORIGINAL_HASH_MARK + "ab" * 32))
    verified = imaging.verify_image(data)
    assert (verified.format, verified.mime, verified.width, verified.height) == ("JPEG", "image/jpeg", 320, 240)
    meta = verified.metadata
    assert meta["gps_lat"].startswith("39.908") and meta["gps_lon"].startswith("-116.397")
    assert meta["taken_at"] == "2025-06-01T10:30:00"
    assert meta["orientation"] == "6" and meta["make"] == "GbfieldCam"
    assert meta["original_sha256"] == "ab" * 32


@pytest.mark.parametrize("data, error, words", [
    (b"", CorruptImage, "为空"),
    ("检查记录：这不是图片\n".encode() * 20, UnsupportedImageFormat, "文本文件"),
    (b"\x00\x01\x02garbage" * 50, UnsupportedImageFormat, "不是图片"),
    (make_photo(64, 64, fmt="GIF"), UnsupportedImageFormat, "GIF"),
    (make_photo(640, 480)[:3000], CorruptImage, "损坏"),
    (_png_claiming(100_000, 100_000), TooManyPixels, "像素过多"),
    (_png_claiming(8000, 8000), TooManyPixels, "8000×8000"),
])
def test_bad_files_are_rejected_with_a_clear_message(data, error, words):
    with pytest.raises(error) as caught:
        imaging.verify_image(data)
    assert words in caught.value.message
    assert caught.value.status in (413, 415, 422)


def test_oversize_bytes_are_rejected_before_decoding():
    with pytest.raises(PhotoTooLarge) as caught:
        imaging.verify_image(b"\xff" * 2001, imaging.ImageLimits(max_bytes=2000))
    assert caught.value.status == 413 and "2000" in caught.value.message


def test_pixel_limit_is_configurable():
    data = make_photo(200, 100)
    imaging.verify_image(data, imaging.ImageLimits(max_pixels=20_000))
    with pytest.raises(TooManyPixels):
        imaging.verify_image(data, imaging.ImageLimits(max_pixels=19_999))


def test_derivatives_apply_orientation_and_sizes():
    data = make_photo(2400, 1200, exif=gps_exif(orientation=6))  # 6 = rotate 90° clockwise to view
    out = imaging.derive(data)
    sizes = {kind: Image.open(io.BytesIO(blob)).size for kind, blob in out.items()}
    assert sizes == {"thumb": (128, 256), "screen": (800, 1600), "public": (1200, 2400)}
    public = Image.open(io.BytesIO(out["public"])).convert("RGB")
    # the red block was top-left in storage; after a 90° clockwise turn it is top-right
    red_block = lambda xy: public.getpixel(xy)[0] - public.getpixel(xy)[1] > 150
    assert red_block((1200 - 20, 20)) and not red_block((20, 20))


def test_public_and_derivatives_carry_no_exif_or_gps():
    data = make_photo(800, 600, exif=gps_exif())
    assert b"Exif" in data
    for kind, blob in imaging.derive(data).items():
        image = Image.open(io.BytesIO(blob))
        assert not image.getexif().get_ifd(0x8825), kind
        assert "exif" not in image.info and "xmp" not in image.info, kind
        assert imaging.verify_image(blob).metadata == {}, kind


def test_png_with_transparency_becomes_a_white_backed_jpeg():
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    thumb = Image.open(io.BytesIO(imaging.derive(buffer.getvalue(), ("thumb",))["thumb"]))
    assert thumb.format == "JPEG" and thumb.getpixel((10, 10))[0] > 240
