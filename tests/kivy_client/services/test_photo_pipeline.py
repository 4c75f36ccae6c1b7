"""The tablet photo pipeline: orientation, resize, watermark, hashes, EXIF kept for the server."""
from __future__ import annotations

import hashlib
import io
from datetime import datetime

import pytest
from PIL import Image, ImageChops, ImageStat

from kivy_client.services import photos
from server.photos import imaging
from server.photos.samples import gps_exif, make_photo

MARK = photos.WatermarkInfo(datetime(2025, 6, 1, 10, 30), "北京市东城区 39.9087,116.3975", "张三",
                            "INSP-2025-0001")


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_original_hash_is_taken_before_the_watermark():
    capture = make_photo(1200, 900, exif=gps_exif())
    result = photos.process_photo(capture, MARK)
    assert result.original_sha256 == hashlib.sha256(capture).hexdigest()
    assert result.sha256 == hashlib.sha256(result.jpeg).hexdigest() != result.original_sha256


def test_watermark_is_drawn_in_its_band_only():
    capture = make_photo(1200, 900)
    with_mark = photos.process_photo(capture, MARK)
    plain = _open(capture)
    marked = _open(with_mark.jpeg)
    left, top, right, bottom = with_mark.watermark_box
    band_diff = ImageChops.difference(plain.crop((left, top, right, bottom)), marked.crop((left, top, right, bottom)))
    above_diff = ImageChops.difference(plain.crop((0, 0, 1200, top - 10)), marked.crop((0, 0, 1200, top - 10)))
    mean = lambda img: ImageStat.Stat(img.convert("L")).mean[0]
    assert mean(band_diff) > 20          # the band and its text changed the pixels
    assert mean(above_diff) < 3          # the rest is only JPEG noise
    assert bottom == 900 and right > 300


def test_chinese_glyphs_render_not_boxes():
    font = photos.load_font(str(photos.FONT_PATH), 40)
    # a missing glyph renders as the same "tofu" box for every character
    masks = {ch: bytes(font.getmask(ch)) for ch in "时间地点检"}
    assert len(set(masks.values())) == len(masks)
    assert font.getname()[0].startswith("WenQuanYi")


@pytest.mark.parametrize("long_edge, size, expected", [
    (2048, (4000, 3000), (2048, 1536)),
    (1024, (3000, 4000), (768, 1024)),
    (2048, (800, 600), (800, 600)),     # never enlarged
])
def test_resize_to_long_edge(long_edge, size, expected):
    result = photos.process_photo(make_photo(*size), MARK, photos.PipelineSettings(long_edge=long_edge))
    assert (result.width, result.height) == expected == _open(result.jpeg).size
    assert max(_open(result.thumbnail).size) == 256


def test_orientation_is_applied_and_exif_kept_for_the_server():
    capture = make_photo(1600, 1200, exif=gps_exif(orientation=6))
    result = photos.process_photo(capture, MARK)
    assert (result.width, result.height) == (1200, 1600)
    meta = imaging.verify_image(result.jpeg).metadata
    assert meta["original_sha256"] == result.original_sha256
    assert meta["gps_lat"].startswith("39.908") and meta["taken_at"] == "2025-06-01T10:30:00"
    assert "orientation" not in meta                 # already upright: orientation 1


def test_quality_setting_changes_the_size():
    capture = make_photo(1200, 900, noise=True)
    low = photos.process_photo(capture, MARK, photos.PipelineSettings(quality=40))
    high = photos.process_photo(capture, MARK, photos.PipelineSettings(quality=95))
    assert len(low.jpeg) * 2 < len(high.jpeg)


def test_hash_marks_agree_between_tablet_and_server():
    assert photos.ORIGINAL_HASH_MARK == imaging.ORIGINAL_HASH_MARK


def test_not_an_image_is_refused():
    with pytest.raises(photos.PhotoPipelineError, match="无法读取"):
        photos.process_photo(b"not a photo", MARK)


def test_save_writes_photo_and_thumbnail_named_by_hash(tmp_path):
    result = photos.process_photo(make_photo(400, 300), MARK)
    path = result.save(tmp_path)
    assert path.name == f"{result.sha256}.jpg" and path.read_bytes() == result.jpeg
    assert (tmp_path / f"{result.sha256}.thumb.jpg").read_bytes() == result.thumbnail
