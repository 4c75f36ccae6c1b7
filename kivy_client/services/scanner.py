"""Live scanning: camera frames decoded on ONE background thread, one frame at a time.

    scanner = LiveScanner(decoder, on_result, post=lambda fn: Clock.schedule_once(lambda _dt: fn()))
    scanner.start(); camera.start(scanner.offer) … scanner.stop()

`offer(frame)` may be called from any thread (the camera's). It never blocks: the frame
waits in a single slot, and a newer frame replaces a waiting one (counted as dropped), so
the decoder always works on the newest picture and never falls behind the camera. Each
frame in which a code was found comes back as a `ScanResult` through `post` (the UI
thread in the app). A decoder error is reported the same way and scanning goes on.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kivy_client.services.decoders import Decoded, Decoder
from kivy_client.services.frames import Frame

__all__ = ["LiveScanner", "ScanResult", "ScanStats"]


@dataclass(frozen=True)
class ScanResult:
    """Codes found in one frame: the frame's index and size (to draw the codes' outline),
    how long the decode took and when the frame was taken (monotonic seconds)."""

    codes: tuple[Decoded, ...]
    frame_index: int
    frame_size: tuple[int, int]
    decode_seconds: float
    taken_at: float
    error: str | None = None
    frame: Frame | None = field(default=None, repr=False, compare=False)   # the picture the codes are in

    @property
    def text(self) -> str | None:
        """The first code's text, or None."""
        return self.codes[0].text if self.codes else None


@dataclass
class ScanStats:
    """Counts since start: frames offered, decoded, dropped unseen, frames with a code."""

    offered: int = 0
    decoded: int = 0
    dropped: int = 0
    hits: int = 0
    decode_seconds: list[float] = field(default_factory=list)
    started_at: float | None = None
    first_hit_at: float | None = None


class LiveScanner:
    """One decoding thread fed from a one-frame slot. `post(fn)` runs fn on the UI thread."""

    def __init__(self, decoder: Decoder, on_result: Callable[[ScanResult], Any], *,
                 post: Callable[[Callable[[], Any]], Any] = lambda fn: fn(),
                 clock: Callable[[], float] = time.monotonic):
        self.decoder = decoder
        self.on_result = on_result
        self.post = post
        self.clock = clock
        self.stats = ScanStats()
        self._slot: Frame | None = None
        self._wake = threading.Condition()
        self._running = False
        self._busy = False
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._running

    def start(self) -> None:
        """Start the decoding thread (a second start is ignored)."""
        with self._wake:
            if self._running:
                return
            self._running = True
            self.stats = ScanStats(started_at=self.clock())
        self._thread = threading.Thread(target=self._run, name="gbfield-scan", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop after the frame being decoded, if any; a waiting frame is dropped."""
        with self._wake:
            self._running = False
            if self._slot is not None:
                self.stats.dropped += 1
                self._slot = None
            self._wake.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None

    def offer(self, frame: Frame) -> None:
        """Hand a frame to the decoder (any thread, never blocks); ignored when stopped."""
        with self._wake:
            if not self._running:
                return
            self.stats.offered += 1
            if self._slot is not None:
                self.stats.dropped += 1      # the decoder never saw it: a newer one replaces it
            self._slot = frame
            self._wake.notify()

    def idle(self) -> bool:
        """True when no frame is waiting or being decoded."""
        with self._wake:
            return self._slot is None and not self._busy

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._running and self._slot is None:
                    self._wake.wait(0.5)
                if not self._running:
                    return
                frame, self._slot, self._busy = self._slot, None, True
            started = self.clock()
            try:
                codes, error = tuple(self.decoder.decode(frame)), None
            except Exception as exc:  # noqa: BLE001 - one bad frame must not stop scanning
                codes, error = (), f"{type(exc).__name__}: {exc}"
            elapsed = self.clock() - started
            with self._wake:
                self._busy = False
                self.stats.decoded += 1
                self.stats.decode_seconds.append(elapsed)
                if codes:
                    self.stats.hits += 1
                    if self.stats.first_hit_at is None:
                        self.stats.first_hit_at = self.clock()
                running = self._running
            if running and (codes or error):
                result = ScanResult(codes, frame.index, (frame.width, frame.height), elapsed, frame.taken_at, error,
                                    frame)
                self.post(lambda r=result: self.on_result(r))
