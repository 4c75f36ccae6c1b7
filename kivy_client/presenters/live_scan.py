"""Scanning with the camera: frames decoded in the background (services.scanner), the
code that was read confirmed (vibration/beep where the device has them, and its outline
on the preview) and handed to what asked for it — the offline resolver on 扫码, the
enrolment on 设置. Plain Python: the camera, decoder and feedback are passed in.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kivy_client.presenters.base import Observable
from kivy_client.services.camera import Camera, CameraUnavailable
from kivy_client.services.decoders import Decoder, DecoderUnavailable
from kivy_client.services.feedback import Feedback, NoFeedback
from kivy_client.services.frames import Frame
from kivy_client.services.scanner import LiveScanner, ScanResult

IDLE, SCANNING, FOUND, ERROR = "idle", "scanning", "found", "error"


class LiveScanPresenter(Observable):
    """State: `state` (idle/scanning/found/error), `message`, `last` (the ScanResult of the
    code taken), `outline` (its corner points and the frame size, for the preview).

    `on_code(text, symbology)` gets each accepted code; `accept(text)` may refuse one
    with a message (e.g. enrolment wants `gbfield-enrol:`); the same text is not taken
    again within `repeat_after` seconds; scanning stops at the first code taken unless
    `keep_scanning`."""

    def __init__(self, camera_factory: Callable[[], Camera], decoder_factory: Callable[[], Decoder],
                 on_code: Callable[[str, str | None], Any], *, post: Callable[[Callable[[], Any]], Any],
                 feedback: Feedback | None = None, accept: Callable[[str], str | None] | None = None,
                 repeat_after: float = 2.0, keep_scanning: bool = False,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.camera_factory, self.decoder_factory = camera_factory, decoder_factory
        self.on_code, self.post = on_code, post
        self.feedback = feedback or NoFeedback()
        self.accept = accept
        self.repeat_after, self.keep_scanning, self.clock = repeat_after, keep_scanning, clock
        self.state, self.message = IDLE, ""
        self.last: ScanResult | None = None
        self.outline: tuple[tuple[tuple[float, float], ...], tuple[int, int]] | None = None
        self.camera: Camera | None = None
        self.scanner: LiveScanner | None = None
        self.refused = False                   # the last code read was refused by `accept` (message says why)
        self.latest: Frame | None = None       # the newest frame, for the preview (set on the camera's thread)
        self._taken: dict[str, float] = {}

    @property
    def scanning(self) -> bool:
        """True while the camera is on."""
        return self.state == SCANNING

    def start(self) -> None:
        """Open the camera and start decoding; a camera or decoder that cannot start gives
        state error with a readable message (nothing raised)."""
        if self.scanning:
            return
        try:
            decoder = self.decoder_factory()
            self.camera = self.camera_factory()
            self.scanner = LiveScanner(decoder, self._result, post=self.post, clock=self.clock)
            self.scanner.start()
            self.camera.start(self._frame)
        except (CameraUnavailable, DecoderUnavailable) as exc:
            self._shutdown()
            self.state, self.message = ERROR, f"无法扫码：{exc} / cannot scan"
            self.notify()
            return
        self.state, self.message, self.outline = SCANNING, "请将二维码或条码对准取景框 / point the camera at the code", None
        self.refused = False
        self.notify()

    def stop(self) -> None:
        """Turn the camera off (the last code and its outline stay shown)."""
        was = self.state
        self._shutdown()
        if was == SCANNING:
            self.state = IDLE
            self.notify()

    def _frame(self, frame: Frame) -> None:
        """A camera frame (camera thread): kept for the preview, offered to the decoder."""
        self.latest = frame
        scanner = self.scanner
        if scanner is not None:
            scanner.offer(frame)

    def toggle(self) -> None:
        """Start when idle, stop when scanning."""
        self.stop() if self.scanning else self.start()

    def _shutdown(self) -> None:
        if self.camera is not None:
            self.camera.stop()
        if self.scanner is not None:
            self.scanner.stop()
        self.camera = self.scanner = None

    def _result(self, result: ScanResult) -> None:
        """A frame with codes (on the UI thread): confirm and hand on the first acceptable one."""
        if not self.scanning or result.error or not result.codes:
            return
        now = self.clock()
        for code in result.codes:
            if now - self._taken.get(code.text, -1e9) < self.repeat_after:
                return
            refusal = self.accept(code.text) if self.accept else None
            if refusal:
                self.message, self.refused = refusal, True
                self.notify()
                continue
            self._taken[code.text] = now
            self.refused = False
            self.feedback.confirm()
            self.last, self.outline = result, (code.points, result.frame_size)
            if not self.keep_scanning:
                self._shutdown()
            self.latest = result.frame or self.latest      # the preview shows the picture the code was read in
            self.state, self.message = FOUND, f"已识别：{code.text} / read"
            self.notify()
            self.on_code(code.text, code.symbology)
            if self.keep_scanning:
                self.state = SCANNING
            return
