"""Drawing codes: QR labels (PNG / SVG, GS1 FNC1 mode for element strings), EAN-13
barcodes and printable A4 sheets. Uses `qrcode` and Pillow; still imports nothing of ours.

Captions are drawn with a CJK font found by `find_cjk_font` (the project's
assets/fonts first, then Debian's fonts-wqy-microhei, then Noto CJK).
"""
from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode import util as qr_util
from qrcode.exceptions import DataOverflowError

from codes.ean13 import guard_positions, modules
from codes.errors import CodeError

_ASSET_FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
_SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
_FNC1_FIRST = 0b0101            # QR mode indicator "FNC1 in first position" (GS1 QR)
A4_PX_150DPI = (1240, 1754)


def find_cjk_font() -> Path | None:
    """Return a font file that draws Chinese: assets/fonts/*.tt[fc]/*.otf first, then
    the system paths above; None if there is none."""
    if _ASSET_FONTS.is_dir():
        for pattern in ("*.ttc", "*.ttf", "*.otf"):
            found = sorted(_ASSET_FONTS.glob(pattern))
            if found:
                return found[0]
    return next((p for p in _SYSTEM_FONTS if p.exists()), None)


def _font(size: int) -> ImageFont.ImageFont:
    path = find_cjk_font()
    if path is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(str(path), size)


def _gs1_data(version: int, error_correction: int, data_list) -> list[int]:
    """Codewords for the segments with the FNC1-first mode indicator put in front."""
    buffer = qr_util.BitBuffer()
    buffer.put(_FNC1_FIRST, 4)
    for segment in data_list:
        buffer.put(segment.mode, 4)
        buffer.put(len(segment), qr_util.length_in_bits(segment.mode, version))
        segment.write(buffer)
    blocks = qr_util.base.rs_blocks(version, error_correction)
    capacity = sum(block.data_count * 8 for block in blocks)
    if len(buffer) > capacity:
        raise DataOverflowError(f"data {len(buffer)} bits > {capacity}")
    for _ in range(min(capacity - len(buffer), 4)):     # terminator
        buffer.put_bit(False)
    while len(buffer) % 8:
        buffer.put_bit(False)
    pads = (0xEC, 0x11)
    for i in range((capacity - len(buffer)) // 8):
        buffer.put(pads[i % 2], 8)
    return qr_util.create_bytes(buffer, blocks)


class _GS1QRCode(qrcode.QRCode):
    """A QRCode whose data starts with the FNC1-first mode indicator (GS1 QR Code)."""

    def makeImpl(self, test, mask_pattern):
        if self.data_cache is None:
            self.data_cache = _gs1_data(self.version, self.error_correction, self.data_list)
        super().makeImpl(test, mask_pattern)


def qr_matrix(payload: str, *, gs1: bool = False, border: int = 4) -> list[list[bool]]:
    """Return the QR module matrix (True = dark) with a quiet zone of `border` modules.

    `gs1` makes a GS1 QR Code (FNC1 mode); the payload is then the element string as
    scan data (GS separators, no leading FNC1). Text is stored as UTF-8 bytes.
    Raises CodeError if the payload does not fit in a QR code.
    """
    ec = qrcode.constants.ERROR_CORRECT_M
    if not gs1:
        code = qrcode.QRCode(error_correction=ec, border=border)
        code.add_data(payload.encode("utf-8"))
        try:
            code.make(fit=True)
        except DataOverflowError as exc:
            raise CodeError(f"内容太长，二维码放不下 (payload too long for a QR code): {len(payload)} 个字符") from exc
        return code.get_matrix()
    for version in range(1, 41):
        code = _GS1QRCode(version=version, error_correction=ec, border=border)
        code.add_data(payload.encode("utf-8"))
        try:
            code.make(fit=False)
        except DataOverflowError:
            continue
        return code.get_matrix()
    raise CodeError("内容太长，二维码放不下 (payload too long for a QR code)")


def _caption_height(label: str | None, width: int) -> tuple[int, int]:
    if not label:
        return 0, 0
    size = max(12, width // 14)
    return size, int(size * 1.6)


def qr_image(payload: str, *, size: int = 400, gs1: bool = False, label: str | None = None) -> Image.Image:
    """Return a white PIL image of the QR code about `size` px wide, with `label`
    (Chinese allowed) centred under it."""
    matrix = qr_matrix(payload, gs1=gs1)
    n = len(matrix)
    scale = max(1, size // n)
    side = n * scale
    font_size, caption = _caption_height(label, side)
    img = Image.new("L", (side, side + caption), 255)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle([x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1], fill=0)
    if label:
        font = _font(font_size)
        draw.text((side // 2, side + caption // 2), label, fill=0, font=font, anchor="mm")
    return img


def qr_svg(payload: str, *, size: int = 400, gs1: bool = False, label: str | None = None) -> str:
    """Return an SVG document of the QR code (one path) with an optional text label."""
    matrix = qr_matrix(payload, gs1=gs1)
    n = len(matrix)
    font_size, caption = _caption_height(label, n * 10)
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    height = n + caption / 10
    text = ""
    if label:
        text = (f'<text x="{n / 2}" y="{n + caption / 20}" font-size="{font_size / 10}" text-anchor="middle" '
                f'dominant-baseline="middle" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif">'
                f"{escape(label)}</text>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size * height / n:.0f}" '
            f'viewBox="0 0 {n} {height}"><rect width="{n}" height="{height}" fill="#fff"/>'
            f'<path d="{path}" fill="#000"/>{text}</svg>')


def ean13_image(code: str, *, module_px: int = 3, height: int = 180, label: bool = True) -> Image.Image:
    """Return a PIL image of the EAN-13 barcode of `code` with its digits underneath.

    Raises GTINError / CheckDigitError for an invalid code.
    """
    pattern = modules(code)
    digits = code.strip()[-13:]
    quiet = 11 * module_px
    text_h = int(module_px * 9) if label else 0
    img = Image.new("L", (len(pattern) * module_px + 2 * quiet, height + text_h), 255)
    draw = ImageDraw.Draw(img)
    guards = guard_positions()
    for i, bit in enumerate(pattern):
        if bit == "1":
            bottom = height + (text_h // 2 if i in guards else 0) - 1
            draw.rectangle([quiet + i * module_px, module_px * 4, quiet + (i + 1) * module_px - 1, bottom], fill=0)
    if label:
        font = _font(module_px * 8)
        draw.text((quiet // 2, height + text_h // 2), digits[0], fill=0, font=font, anchor="mm")
        draw.text((quiet + 24 * module_px, height + text_h // 2), digits[1:7], fill=0, font=font, anchor="mm")
        draw.text((quiet + 71 * module_px, height + text_h // 2), digits[7:], fill=0, font=font, anchor="mm")
    return img


def sheet_image(labels: list[tuple[str, str, bool]], *, columns: int = 3, rows: int = 4) -> list[Image.Image]:
    """Lay (payload, caption, gs1) labels on A4 pages at 150 dpi; return the pages."""
    width, height = A4_PX_150DPI
    margin = 60
    cell_w = (width - 2 * margin) // columns
    cell_h = (height - 2 * margin) // rows
    pages: list[Image.Image] = []
    per_page = columns * rows
    for start in range(0, max(len(labels), 1), per_page):
        page = Image.new("L", (width, height), 255)
        for index, (payload, caption, gs1) in enumerate(labels[start:start + per_page]):
            label = qr_image(payload, size=min(cell_w, cell_h) - 70, gs1=gs1, label=caption)
            label.thumbnail((cell_w - 20, cell_h - 20))
            col, row = index % columns, index // columns
            x = margin + col * cell_w + (cell_w - label.width) // 2
            y = margin + row * cell_h + (cell_h - label.height) // 2
            page.paste(label, (x, y))
        pages.append(page)
    return pages


def save_pages(pages: list[Image.Image], path: Path) -> None:
    """Save sheet pages as PNG (first page; more get -2, -3 … suffixes) or one PDF."""
    if path.suffix.lower() == ".pdf":
        pages[0].save(path, format="PDF", resolution=150, save_all=True, append_images=pages[1:])
        return
    for number, page in enumerate(pages, start=1):
        target = path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")
        page.save(target)


def png_bytes(img: Image.Image) -> bytes:
    """Return the image encoded as PNG."""
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return buffer.getvalue()
