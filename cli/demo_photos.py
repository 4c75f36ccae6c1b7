"""Evidence photos for the demo year: a drawn scene (a sample on a bench with its label)
run through the tablet's real photo pipeline (`kivy_client.services.photos.process_photo`:
upright, resized, the Chinese watermark with time, place, inspector and record burned in,
the original's hash in EXIF). Made here, in the composition root, because the server may
not import the tablet's packages (docs/decisions.md). `demo_photos` draws a year's photos
in worker processes while the server pushes (the demo load's critical path)."""
from __future__ import annotations

import io
import multiprocessing
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from PIL import Image, ImageDraw, ImageFont

from kivy_client.services.photos import FONT_PATH, PipelineSettings, WatermarkInfo, process_photo

WIDTH, HEIGHT = 960, 720
#: processes drawing photos beside the loading one (2 cores here; more only wait for the CPU)
WORKERS = 2
_SETTINGS = PipelineSettings(long_edge=WIDTH, quality=80)


def _scene(seed: int) -> bytes:
    """Return a JPEG of a sample on an inspection bench: a box with a label and a barcode."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT), (rng.randrange(170, 215),) * 3)
    draw = ImageDraw.Draw(image)
    for y in range(0, HEIGHT, 6):                      # the bench: a soft wood grain
        shade = 150 + int(25 * ((y * 7 + seed) % 11) / 11)
        draw.line([(0, HEIGHT // 2 + y // 2), (WIDTH, HEIGHT // 2 + y // 2)], fill=(shade, shade - 30, shade - 60))
    colour = tuple(rng.randrange(60, 230) for _ in range(3))
    left, top = rng.randrange(120, 300), rng.randrange(90, 180)
    draw.rounded_rectangle([left, top, left + 420, top + 380], radius=18, fill=colour, outline=(40, 40, 40), width=3)
    draw.rectangle([left + 40, top + 60, left + 380, top + 250], fill=(250, 250, 245))
    font = ImageFont.truetype(str(FONT_PATH), 30, index=0)
    small = ImageFont.truetype(str(FONT_PATH), 20, index=0)
    draw.text((left + 60, top + 80), "产品标签 · 样品", font=font, fill=(30, 30, 30))
    draw.text((left + 60, top + 130), f"批号 B{rng.randrange(100000, 999999)}", font=small, fill=(60, 60, 60))
    draw.text((left + 60, top + 165), "执行标准：见合格证", font=small, fill=(60, 60, 60))
    x = left + 60
    while x < left + 360:                              # a barcode-like block
        bar = rng.choice((2, 3, 5))
        draw.rectangle([x, top + 200, x + bar, top + 240], fill=(0, 0, 0))
        x += bar + rng.choice((2, 3, 4))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def demo_photo(mark: dict[str, str], seed: int) -> bytes:
    """Return a watermarked evidence JPEG for `mark` ({taken_at, place, inspector,
    record_id}); the same arguments give the same bytes. Raises PhotoPipelineError when
    the CJK font cannot be read."""
    info = WatermarkInfo(taken_at=mark["taken_at"], place=mark["place"], inspector=mark["inspector"],
                         record_id=mark["record_id"])
    return process_photo(_scene(seed), info, _SETTINGS).jpeg


def demo_photos(jobs: list[tuple[dict[str, str], int]]) -> Iterator[bytes]:
    """Return an iterator over demo_photo(mark, seed) for each (mark, seed) of `jobs`, in
    order, drawn by WORKERS forked processes (forked: a spawned one would import the
    caller's main module again, the whole server under a bench; they only draw, never touch
    the database). Every job is handed out at once, so drawing goes on while the caller
    stores the first ones; the pool stops when the iterator is exhausted or closed. Raises
    what demo_photo raises."""
    if not jobs:
        return iter(())
    pool = ProcessPoolExecutor(max_workers=min(WORKERS, len(jobs)), mp_context=multiprocessing.get_context("fork"))
    return _in_order(pool, pool.map(demo_photo, *zip(*jobs, strict=True)))


def _in_order(pool: ProcessPoolExecutor, results: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from results
    finally:
        pool.shutdown(cancel_futures=True)
