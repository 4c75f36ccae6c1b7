"""Kivy's core camera as a `services.camera.Camera` (Android and desktop).

On Android Kivy's `android` provider drives android.hardware.Camera; its preview buffer
(NV21) is read with `grab_frame()` (thread-safe) on a polling thread, and its luminance
plane becomes the frame, with no colour conversion. On a desktop the provider (OpenCV or
GStreamer) updates a texture on the UI thread; each update becomes an RGBA frame. A still
is the texture's pixels as JPEG (the preview resolution asked for, 1920×1080 by default,
close to the photo pipeline's 2048-pixel long edge).
No camera is reachable on the machines that build gbfield: this class is exercised on a
device; the tests drive everything around it through ReplayCamera.
"""
from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

from PIL import Image

from kivy_client.services.camera import CameraUnavailable
from kivy_client.services.frames import Frame

__all__ = ["KivyCamera"]


class KivyCamera:
    """Kivy's camera `index` at `resolution`; `poll_fps` is how often Android frames are read."""

    name = "kivy"

    def __init__(self, platform: str, *, index: int = 0, resolution: tuple[int, int] = (1920, 1080),
                 poll_fps: float = 15.0):
        self.platform = platform
        self.index, self.resolution, self.poll_fps = index, resolution, poll_fps
        self._core = None
        self._on_frame: Callable[[Frame], Any] | None = None
        self._count = 0
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True while the camera delivers frames."""
        return self._on_frame is not None

    @property
    def texture(self):
        """The live preview texture (None before the first frame)."""
        return getattr(self._core, "texture", None)

    def _open(self):
        from kivy.core.camera import Camera as CoreCamera  # noqa: PLC0415 — importing it probes the camera providers: only when a camera opens

        if CoreCamera is None:
            raise CameraUnavailable("没有可用的相机（缺少相机驱动）/ no camera provider on this device")
        try:
            return CoreCamera(index=self.index, resolution=self.resolution, stopped=True)
        except Exception as exc:
            raise CameraUnavailable(f"相机无法打开：{exc} / the camera cannot be opened") from exc

    def start(self, on_frame: Callable[[Frame], Any]) -> None:
        """Open (once) and start the camera. Raises CameraUnavailable."""
        if self._core is None:
            self._core = self._open()
        self._on_frame = on_frame
        try:
            self._core.start()
        except Exception as exc:
            self._on_frame = None
            raise CameraUnavailable(f"相机无法启动：{exc} / the camera cannot start") from exc
        if self.platform == "android":
            self._stop.clear()
            self._poller = threading.Thread(target=self._poll, name="gbfield-camera", daemon=True)
            self._poller.start()
        else:
            self._core.bind(on_texture=self._texture_frame)

    def _poll(self) -> None:
        width, height = self.resolution
        while not self._stop.wait(1.0 / self.poll_fps):
            buffer = self._core.grab_frame()
            if buffer is not None and self._on_frame is not None:
                self._count += 1
                self._on_frame(Frame.from_nv21(buffer, width, height, self._count))

    def _texture_frame(self, *_args) -> None:
        texture = self.texture
        if texture is None or self._on_frame is None:
            return
        self._count += 1
        width, height = texture.size
        self._on_frame(Frame.from_texture_pixels(texture.pixels, width, height, self._count))

    def stop(self) -> None:
        """Stop the camera (frames stop at once); idempotent."""
        self._on_frame = None
        self._stop.set()
        if self._poller is not None:
            self._poller.join(2.0)
            self._poller = None
        if self._core is not None:
            self._core.unbind(on_texture=self._texture_frame)
            self._core.stop()

    def capture(self, done: Callable[[bytes], Any], failed: Callable[[BaseException], Any]) -> None:
        """`done(JPEG bytes)` of the current preview picture (call on the UI thread)."""
        texture = self.texture
        if texture is None:
            failed(CameraUnavailable("相机还没有画面 / the camera shows no picture yet"))
            return
        width, height = texture.size
        image = Image.frombytes("RGBA", (width, height), texture.pixels)
        out = io.BytesIO()
        image.transpose(Image.Transpose.FLIP_TOP_BOTTOM).convert("RGB").save(out, "JPEG", quality=92)
        done(out.getvalue())
