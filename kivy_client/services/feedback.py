"""Confirming a scan to an officer who is not looking at the screen: a short vibration
and a beep, behind one interface.

- `DeviceFeedback` (Android): plyer's vibrator and a short beep played by Kivy's audio.
  Each part that the device lacks (no vibrator, no audio) is switched off with its reason
  in `unavailable`, never an error.
- `NoFeedback` (desktop): does nothing; the frame drawn around the code is the confirmation.
"""
from __future__ import annotations

import math
import struct
import tempfile
import wave
from pathlib import Path
from typing import Protocol

__all__ = ["DeviceFeedback", "Feedback", "NoFeedback", "beep_wav", "feedback_for"]


class Feedback(Protocol):
    """What the scanner calls when a code was read."""

    def confirm(self) -> None:
        """Tell the officer a code was read; never raises."""


class NoFeedback:
    """Desktop: no vibration, no sound."""

    confirmed = 0

    def confirm(self) -> None:
        """Count the confirmation, do nothing else."""
        self.confirmed += 1


def beep_wav(path: Path, *, hz: float = 2200.0, seconds: float = 0.08, rate: int = 16000) -> Path:
    """Write a short sine beep (16-bit mono WAV) to `path` and return it. Raises OSError."""
    frames = int(rate * seconds)
    samples = (int(12000 * math.sin(2 * math.pi * hz * i / rate) * min(1.0, (frames - i) / 200))
               for i in range(frames))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path


class DeviceFeedback:
    """Vibration (plyer) and a beep (Kivy SoundLoader), each switched off if unavailable."""

    def __init__(self, *, vibrate_seconds: float = 0.08, sound_dir: str | Path | None = None):
        self.vibrate_seconds = vibrate_seconds
        self.unavailable: dict[str, str] = {}
        self.confirmed = 0
        self._sound = None
        self._sound_dir = Path(sound_dir) if sound_dir else Path(tempfile.gettempdir())

    def _beep(self):
        if self._sound is None and "sound" not in self.unavailable:
            try:
                from kivy.core.audio import SoundLoader  # noqa: PLC0415 — loads an audio provider: at the first beep, and a failure only switches the beep off

                self._sound = SoundLoader.load(str(beep_wav(self._sound_dir / "gbfield-scan-beep.wav")))
            except Exception as exc:  # noqa: BLE001 - any audio failure only switches the beep off
                self.unavailable["sound"] = f"{type(exc).__name__}: {exc}"
            if self._sound is None and "sound" not in self.unavailable:
                self.unavailable["sound"] = "no audio provider"
        return self._sound

    def confirm(self) -> None:
        """Vibrate and beep, as far as the device can."""
        self.confirmed += 1
        if "vibrate" not in self.unavailable:
            try:
                from plyer import vibrator  # noqa: PLC0415 — the platform's vibrator, at the first confirmation; a failure only switches vibration off

                vibrator.vibrate(self.vibrate_seconds)
            except Exception as exc:  # noqa: BLE001 - NotImplementedError on desktops, no permission …
                self.unavailable["vibrate"] = f"{type(exc).__name__}: {exc}"
        sound = self._beep()
        if sound is not None:
            try:
                sound.play()
            except Exception as exc:  # noqa: BLE001
                self.unavailable["sound"] = f"{type(exc).__name__}: {exc}"
                self._sound = None


def feedback_for(platform: str) -> Feedback:
    """Return DeviceFeedback on "android" (or "ios"), NoFeedback elsewhere."""
    return DeviceFeedback() if platform in ("android", "ios") else NoFeedback()
