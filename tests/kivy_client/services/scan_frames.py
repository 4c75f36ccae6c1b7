"""SYNTHESISED camera frame sequences for the live-scanning tests and bench/tablet.py.

No camera exists on the machines that build gbfield, so these are not recordings: each
sequence is a real QR code (or EAN-13) of one of the project's real code forms, rendered
with `qrcode` through `codes.render`, placed on a textured "product" in a 640×480 frame
(a typical analysis resolution) and degraded with Pillow the way a hand-held tablet
degrades it — rotation, defocus blur, glare, motion blur, low light with sensor noise,
the code partly outside the frame. Over a sequence the officer steadies: the first frames
are the worst, later ones better, so "time to first decode" means something.

    sequences = write_sequences(folder)      # {name: SequenceInfo(folder, expected text, …)}
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter

from codes.gbt33993 import build_query_form
from codes.render import ean13_image, qr_image
from codes.standard_link import build_standard_link

FRAME = (640, 480)
FRAMES_PER_SEQUENCE = 8
GTIN = "06901234567892"

#: code form -> (payload, GS1 QR?, EAN-13?)
FORMS = {
    "digital-link": ("https://id.gs1.org/01/06901234567892/10/B2025", False, False),
    "gs1-element-string": ("^010690123456789210B2025", True, False),
    "gbt33993-url": (build_query_form({"01": GTIN, "10": "B2025"}, "https://2dcode.org.cn/q"), False, False),
    "ean13": ("6901234567892", False, True),
    "standard-link": (build_standard_link("GB 18401-2010", "4.1", title="甲醛含量"), False, False),
    "enrolment": ("gbfield-enrol:v1?server=http://127.0.0.1:5000&code=K7M2Q9XA", False, False),
}
CONDITIONS = ("clean", "rotated", "blurred", "glare", "motion-blur", "low-light", "off-frame")


@dataclass(frozen=True)
class SequenceInfo:
    """A written sequence: its folder, the text a decoder must read, form and condition."""

    folder: Path
    expected: str
    form: str
    condition: str


def _code_image(form: str) -> Image.Image:
    payload, gs1, ean = FORMS[form]
    if ean:
        return ean13_image(payload, module_px=3, height=140).convert("L")
    return qr_image(payload, size=260, gs1=gs1).convert("L")


def _background(rng: random.Random) -> Image.Image:
    """A carton-like surface: a flat tint, printed blocks and text-like lines."""
    bg = Image.new("L", FRAME, rng.randint(150, 200))
    draw = ImageDraw.Draw(bg)
    for _ in range(12):
        x, y = rng.randrange(FRAME[0]), rng.randrange(FRAME[1])
        draw.rectangle((x, y, x + rng.randint(30, 160), y + rng.randint(8, 60)), fill=rng.randint(60, 230))
    for _ in range(25):
        x, y = rng.randrange(FRAME[0]), rng.randrange(FRAME[1])
        draw.line((x, y, x + rng.randint(20, 120), y), fill=rng.randint(40, 120), width=2)
    return bg


def _place(code: Image.Image, background: Image.Image, *, scale: float, angle: float,
           shift: tuple[int, int]) -> Image.Image:
    frame = background.copy()
    w, h = code.size
    code = code.resize((max(1, int(w * scale)), max(1, int(h * scale))), Image.Resampling.BILINEAR)
    mask = Image.new("L", code.size, 255)
    if angle:
        code = code.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=0)
    x = (FRAME[0] - code.width) // 2 + shift[0]
    y = (FRAME[1] - code.height) // 2 + shift[1]
    frame.paste(code, (x, y), mask)
    return frame


def _motion_blur(img: Image.Image, length: int) -> Image.Image:
    """Average of `length` copies shifted one pixel apart along a slight diagonal."""
    acc = img
    for i in range(1, length):
        shifted = ImageChops.offset(img, i, i // 4)
        acc = Image.blend(acc, shifted, 1.0 / (i + 1))
    return acc


def _noise(img: Image.Image, rng: random.Random, sigma: float) -> Image.Image:
    noise = Image.effect_noise(img.size, sigma).point(lambda v: v - 128 + 128)
    return ImageChops.add(img, ImageChops.subtract(noise, Image.new("L", img.size, 128)), 1.0, 0)


def _glare(img: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """A bright elliptical highlight over part of the code (light on a glossy wrapper)."""
    overlay = Image.new("L", img.size, 0)
    cx, cy = FRAME[0] // 2 + rng.randint(-60, 60), FRAME[1] // 2 + rng.randint(-50, 50)
    ImageDraw.Draw(overlay).ellipse((cx - 110, cy - 60, cx + 110, cy + 60), fill=int(255 * strength))
    overlay = overlay.filter(ImageFilter.GaussianBlur(28))
    return ImageChops.add(img, overlay)


def degrade(code: Image.Image, condition: str, step: int, rng: random.Random,
            background: Image.Image | None = None) -> Image.Image:
    """Return frame `step` (0 = worst) of `condition` for the code image (on `background`,
    default a new one)."""
    severity = 1.0 - step / FRAMES_PER_SEQUENCE          # 1.0 … 0.125: the officer steadies
    scale = rng.uniform(0.9, 1.1)
    angle, shift = rng.uniform(-4, 4), (rng.randint(-20, 20), rng.randint(-15, 15))
    if condition == "rotated":
        angle = rng.choice((-1, 1)) * (20 + 25 * severity)
    if condition == "off-frame":
        shift = (int(FRAME[0] * 0.32 * severity) + 10, int(FRAME[1] * 0.2 * severity))
    frame = _place(code, background or _background(rng), scale=scale, angle=angle, shift=shift)
    if condition == "blurred":
        frame = frame.filter(ImageFilter.GaussianBlur(0.8 + 3.2 * severity))
    elif condition == "glare":
        frame = _glare(frame, rng, 0.55 + 0.4 * severity)
    elif condition == "motion-blur":
        frame = _motion_blur(frame, 3 + int(14 * severity))
    elif condition == "low-light":
        frame = ImageEnhance.Brightness(frame).enhance(0.18 + 0.2 * (1 - severity))
        frame = ImageEnhance.Contrast(frame).enhance(0.6)
        frame = _noise(frame, rng, 10 + 18 * severity)
    else:
        frame = frame.filter(ImageFilter.GaussianBlur(0.6))   # even a clean frame is not razor sharp
    return frame


def write_sequences(root: Path, *, forms=tuple(FORMS), conditions=CONDITIONS, seed: int = 8) -> dict[str, SequenceInfo]:
    """Write every form × condition sequence as PNG files under `root` (one folder each);
    return {"<form>/<condition>": SequenceInfo}. The same seed gives the same frames."""
    out = {}
    for form in forms:
        code = _code_image(form)
        for condition in conditions:
            rng = random.Random(f"{seed}/{form}/{condition}")
            folder = root / form / condition
            folder.mkdir(parents=True, exist_ok=True)
            background = _background(rng)       # one product, held still-ish, per sequence
            for step in range(FRAMES_PER_SEQUENCE):
                degrade(code, condition, step, rng, background).save(folder / f"frame-{step:02d}.png",
                                                                     compress_level=1)
            out[f"{form}/{condition}"] = SequenceInfo(folder, FORMS[form][0], form, condition)
    return out
