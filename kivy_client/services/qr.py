"""Decode the codes in a photo of a QR code or barcode (zxing-cpp; no window needed)."""
from __future__ import annotations

import os

from PIL import Image, UnidentifiedImageError

from kivy_client.errors import TabletError


class QrDecodeError(TabletError):
    """The file is not an image, or no code could be read in it (message Chinese first)."""


def decode_image(path: str | os.PathLike) -> list[str]:
    """Return the texts of every code found in the image at `path` (at least one).

    Raises QrDecodeError when the file cannot be opened as an image or holds no readable code."""
    import zxingcpp  # noqa: PLC0415 — the desktop decoder, not built for Android: only when a photo is decoded

    try:
        with Image.open(path) as image:
            image.load()
            found = zxingcpp.read_barcodes(image)
    except (OSError, UnidentifiedImageError) as exc:
        raise QrDecodeError(f"无法打开图片 {os.fspath(path)} / cannot open the image") from exc
    texts = [b.text for b in found if b.text]
    if not texts:
        raise QrDecodeError("图片中没有识别到二维码或条码，请靠近、对准后重拍 / no code found in the image")
    return texts
