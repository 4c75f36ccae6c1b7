"""Barcode decoders behind one interface: `decode(frame) -> [Decoded]`.

- `ZxingDecoder` (zxing-cpp): the desktop decoder; the best of the free decoders on
  photographed codes (docs/decisions.md). No python-for-android recipe exists for it.
- `ZbarDecoder` (pyzbar over libzbar): the Android decoder; python-for-android builds it
  from its `pyzbar` + `libzbar` recipes. Here it runs on Debian's libzbar.
Both read QR codes (plain and GS1/FNC1) and EAN-13. `decoder_for(platform)` picks one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PIL import Image, ImageFilter, ImageOps

from kivy_client.errors import TabletError
from kivy_client.services.frames import Frame

__all__ = ["Decoded", "Decoder", "DecoderUnavailable", "ZbarDecoder", "ZxingDecoder", "decoder_for"]


class DecoderUnavailable(TabletError, RuntimeError):
    """The decoder's library is not installed on this device."""


@dataclass(frozen=True)
class Decoded:
    """A code found in a frame: its text, GS1 symbology identifier when the decoder gives
    one ("]Q3" = GS1 QR), format, and corner points in frame pixels (top-left origin)."""

    text: str
    format: str                                   # "QR" | "EAN13" | …
    points: tuple[tuple[float, float], ...] = ()
    symbology: str | None = None


class Decoder(Protocol):
    """What the live scanner needs from a decoder."""

    name: str

    def decode(self, frame: Frame) -> list[Decoded]:
        """Return every code found in the frame (empty list when none)."""


def _denoised(grey: Image.Image) -> Image.Image:
    """Return a grey frame smoothed (1 px Gaussian) and contrast-stretched: sensor noise in
    low light breaks the binarisers of both decoders."""
    return ImageOps.autocontrast(grey.filter(ImageFilter.GaussianBlur(1)), cutoff=1)


class ZxingDecoder:
    """zxing-cpp (desktop). Raises DecoderUnavailable when zxing-cpp is missing."""

    name = "zxing-cpp"

    def __init__(self) -> None:
        try:
            import zxingcpp  # noqa: PLC0415 — the desktop decoder, not built for Android: only when it is chosen
        except ImportError as exc:     # pragma: no cover - a dependency of the project
            raise DecoderUnavailable("zxing-cpp is not installed") from exc
        self._zx = zxingcpp
        self._formats = [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.EAN13]

    def decode(self, frame: Frame) -> list[Decoded]:
        """Return the QR codes and EAN-13 barcodes in `frame`."""
        image = frame.image().convert("L") if frame.mode != "L" else frame.image()
        found = self._zx.read_barcodes(image, formats=self._formats)
        if not found:      # a noisy dark frame: try once more, denoised and stretched
            found = self._zx.read_barcodes(_denoised(image), formats=self._formats)
        out = []
        for b in found:
            if not b.text:
                continue
            p = b.position
            points = tuple((float(q.x), float(q.y)) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
            out.append(Decoded(b.text, "QR" if b.format == self._zx.BarcodeFormat.QRCode else "EAN13",
                               points, b.symbology_identifier or None))
        return out


class ZbarDecoder:
    """pyzbar over libzbar (Android). Raises DecoderUnavailable when either is missing."""

    name = "zbar"

    def __init__(self) -> None:
        try:
            from pyzbar import pyzbar  # noqa: PLC0415 — the Android decoder; libzbar may be missing (DecoderUnavailable)
        except (ImportError, OSError) as exc:       # OSError: pyzbar found no libzbar
            raise DecoderUnavailable(f"pyzbar/libzbar is not installed: {exc}") from exc
        self._zbar = pyzbar
        self._symbols = [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.EAN13]

    def decode(self, frame: Frame) -> list[Decoded]:
        """Return the QR codes and EAN-13 barcodes in `frame`."""
        # zbar is easily put off by sensor noise in a dark frame: when the contrast-stretched
        # frame gives nothing, a denoised one is tried (without it, 0 of 48 synthesised
        # low-light frames were read)
        grey = ImageOps.autocontrast(frame.image().convert("L"), cutoff=1)
        found = self._zbar.decode((grey.tobytes(), frame.width, frame.height), symbols=self._symbols)
        if not found:
            found = self._zbar.decode((_denoised(grey).tobytes(), frame.width, frame.height),
                                      symbols=self._symbols)
        out = []
        for d in found:
            text = d.data.decode("utf-8", errors="replace")
            if not text:
                continue
            points = tuple((float(p.x), float(p.y)) for p in d.polygon)
            out.append(Decoded(text, "QR" if d.type == "QRCODE" else "EAN13", points))
        return out


def decoder_for(platform: str) -> Decoder:
    """Return the decoder of a platform (kivy.utils.platform names): zbar on "android",
    zxing-cpp elsewhere. Raises DecoderUnavailable when its library is missing."""
    return ZbarDecoder() if platform == "android" else ZxingDecoder()
