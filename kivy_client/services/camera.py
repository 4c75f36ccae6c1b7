"""The tablet's camera behind one interface, with one implementation per platform.

    camera = open_camera(platform)                  # kivy.utils.platform
    camera.start(on_frame)                          # frames (services.frames.Frame), any thread
    camera.capture(done=lambda jpeg: …, failed=lambda exc: …)   # a still for evidence
    camera.stop()

- `KivyCamera` (services/camera_kivy.py): Kivy's core camera, on Android (its `android`
  provider over android.hardware.Camera) and on a desktop (OpenCV/GStreamer providers).
- `ReplayCamera` (here): replays a recorded image sequence (a folder of PNG/JPEG files in
  name order) at a frame rate, from its own thread like a real camera, so the live
  scanner, the photo pipeline and the screens run for real with no camera (tests, demos:
  `GBFIELD_CAMERA_REPLAY=<folder>`).
A camera that cannot start raises CameraUnavailable with a message an officer can read.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PIL import Image, UnidentifiedImageError

from kivy_client.errors import TabletError
from kivy_client.services.frames import Frame

__all__ = ["REPLAY_ENV", "Camera", "CameraUnavailable", "ReplayCamera", "open_camera"]

REPLAY_ENV = "GBFIELD_CAMERA_REPLAY"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


class CameraUnavailable(TabletError, RuntimeError):
    """No camera can be opened (none there, no permission, no provider); bilingual message."""


class Camera(Protocol):
    """What the app needs from a camera."""

    name: str

    @property
    def running(self) -> bool: ...

    def start(self, on_frame: Callable[[Frame], Any]) -> None:
        """Start delivering frames to `on_frame` (from any thread). Raises CameraUnavailable."""

    def stop(self) -> None:
        """Stop delivering frames; idempotent."""

    def capture(self, done: Callable[[bytes], Any], failed: Callable[[BaseException], Any]) -> None:
        """Take a still picture: `done(image file bytes)` or `failed(exc)`."""


class ReplayCamera:
    """Frames from recorded images, delivered at `fps` on a thread (real time: a slow
    consumer sees the camera move on, as with a real one). `loop` starts over at the end."""

    name = "replay"

    def __init__(self, images: str | os.PathLike | Sequence[str | os.PathLike], *, fps: float = 15.0,
                 loop: bool = False):
        if isinstance(images, (str, os.PathLike)):
            folder = Path(images)
            if not folder.is_dir():
                raise CameraUnavailable(f"回放文件夹不存在：{folder} / no such replay folder")
            paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        else:
            paths = [Path(p) for p in images]
        if not paths:
            raise CameraUnavailable("回放文件夹里没有图像 / the replay folder has no image")
        self.paths = paths
        self.fps, self.loop = fps, loop
        self.delivered = 0
        self.current: Path | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._frames: list[Frame] | None = None

    @property
    def running(self) -> bool:
        """True while frames are being delivered."""
        return self._thread is not None and self._thread.is_alive()

    def frames(self) -> list[Frame]:
        """Return the sequence as frames (read once). Raises CameraUnavailable for an unreadable image."""
        if self._frames is None:
            out = []
            for i, path in enumerate(self.paths):
                try:
                    with Image.open(path) as img:
                        out.append(Frame.from_image(img, index=i))
                except (OSError, UnidentifiedImageError) as exc:
                    raise CameraUnavailable(f"无法读取回放图像 {path.name} / unreadable replay image") from exc
            self._frames = out
        return self._frames

    def start(self, on_frame: Callable[[Frame], Any]) -> None:
        """Deliver the frames to `on_frame` from a thread, `1/fps` apart."""
        frames = self.frames()
        self.stop()
        self._stop.clear()

        def run() -> None:
            period = 1.0 / self.fps
            next_at = time.monotonic()
            while not self._stop.is_set():
                for i, frame in enumerate(frames):
                    if self._stop.is_set():
                        return
                    self.current = self.paths[i]
                    on_frame(Frame(frame.pixels, frame.width, frame.height, frame.mode, frame.index))
                    self.delivered += 1
                    next_at += period
                    self._stop.wait(max(0.0, next_at - time.monotonic()))
                if not self.loop:
                    return

        self._thread = threading.Thread(target=run, name="gbfield-replay-camera", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop delivering frames (waits for the thread)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(2.0)
        self._thread = None

    def capture(self, done: Callable[[bytes], Any], failed: Callable[[BaseException], Any]) -> None:
        """`done(bytes)` of the image file now on screen (the first one before start)."""
        path = self.current or self.paths[0]
        try:
            data = path.read_bytes()
        except OSError as exc:
            failed(CameraUnavailable(f"无法读取图像 {path.name} / cannot read the image: {exc}"))
            return
        done(data)


def open_camera(platform: str, *, replay: str | os.PathLike | None = None, **kw: Any) -> Camera:
    """Return the camera of this device: a ReplayCamera when `replay` or $GBFIELD_CAMERA_REPLAY
    names a folder, else Kivy's camera. Raises CameraUnavailable (nothing opened yet: Kivy's
    camera opens on start)."""
    folder = replay or os.environ.get(REPLAY_ENV)
    if folder:
        return ReplayCamera(folder, loop=True)
    from kivy_client.services.camera_kivy import KivyCamera  # noqa: PLC0415 — Kivy's camera only when no replay is named: replays run with no camera provider

    return KivyCamera(platform, **kw)
