"""Scan: scanned text (or a photo of a code) resolved OFFLINE against the device's
registry and catalog: product, company, standards with status and key indicators."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from device import DeviceStore, Resolution, resolve_scan
from device.resolve import FOUND, STANDARD
from kivy_client.presenters.base import Observable
from kivy_client.presenters.standard import StandardPresenter
from kivy_client.services.qr import QrDecodeError, decode_image

STATUS_COLOURS = {"current": "pass", "upcoming": "inconclusive", "withdrawn": "fail"}


class ScanPresenter(Observable):
    """State: `text` (last scan), `result` (a device.Resolution or None)."""

    def __init__(self, store: DeviceStore, *, today: Callable[[], date] = date.today):
        super().__init__()
        self.store = store
        self.today = today
        self.text = ""
        self.result: Resolution | None = None
        self.standard = StandardPresenter(store, today=today)

    @property
    def found(self) -> bool:
        """True when the last scan named a registered product (or a known standard)."""
        return self.result is not None and self.result.status in (FOUND, STANDARD)

    def scan(self, text: str) -> Resolution:
        """Resolve `text` on today's date; return (and keep) the Resolution. Never raises:
        an empty, unreadable or unregistered code answers with a readable message."""
        self.text = (text or "").strip()
        if not self.text:
            self.result = Resolution("invalid", "请输入或扫描商品条码 / enter or scan a code")
        else:
            self.result = resolve_scan(self.store.catalog, self.text, on=self.today())
        self.notify()
        return self.result

    def scan_image(self, path: str) -> Resolution:
        """Decode the code in a photo (zxing-cpp) and resolve it (see scan). Never raises."""
        try:
            texts = decode_image(path)
        except QrDecodeError as exc:
            self.text, self.result = "", Resolution("invalid", str(exc))
            self.notify()
            return self.result
        return self.scan(texts[0])

    def standards(self, lang: str = "zh_CN") -> list[dict]:
        """Return the standards of the last answer: code, edition, title, status, `badge`
        (pass/inconclusive/fail colour of its status), key indicators (each with its 待核实
        `mark`), and the related-standards chain (`chain_title`, `chain_lines`) in `lang`."""
        if self.result is None:
            return []
        return [self.standard.card({**view, "badge": STATUS_COLOURS.get(view.get("status_key") or "", "inconclusive")},
                                   lang)
                for view in self.result.standards]
