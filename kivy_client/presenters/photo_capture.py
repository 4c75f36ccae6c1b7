"""拍照 for evidence: a still from the camera service (or, as a fallback, an image file)
→ the watermark pipeline (`process_photo`) on a worker thread → attached to the chosen
finding (else the inspection) back on the UI thread, with the stage and progress shown.

Plain Python: the camera factory and the runner (a worker thread whose results come back
through the app's Clock) are passed in; the UI thread only reads the watermark's facts
(time, place, officer) before and writes the attachment after.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kivy_client.presenters.base import InlineRunner, Observable, PresenterError, readable
from kivy_client.presenters.evidence import capture_source
from kivy_client.presenters.inspection import InspectionPresenter
from kivy_client.services.camera import Camera, CameraUnavailable
from kivy_client.services.frames import Frame
from kivy_client.services.photos import PhotoPipelineError, process_photo

__all__ = ["PhotoCapture"]

IDLE, VIEWING, PROCESSING, ERROR = "idle", "viewing", "processing", "error"


class PhotoCapture(Observable):
    """State: `state` (idle/viewing/processing/error), `message`, `progress` (0..1),
    `latest` (the camera's newest frame, for the preview), `last_sha` (the photo attached).
    `outline` is always None (the preview draws no code)."""

    outline = None

    def __init__(self, inspection: InspectionPresenter, camera_factory: Callable[[], Camera], *,
                 runner: InlineRunner | None = None):
        super().__init__()
        self.inspection = inspection
        self.camera_factory = camera_factory
        self.runner = runner or InlineRunner()
        self.state, self.message, self.progress = IDLE, "", 0.0
        self.camera: Camera | None = None
        self.latest: Frame | None = None
        self.last_sha: str | None = None

    @property
    def viewing(self) -> bool:
        """True while the camera shows its picture."""
        return self.state == VIEWING

    @property
    def busy(self) -> bool:
        """True while a photo is being watermarked and saved."""
        return self.state == PROCESSING

    def _target(self) -> str:
        inspection = self.inspection
        if inspection.inspection_id is None:
            raise PresenterError("请先保存检查信息 / start the inspection first")
        return inspection.chosen.id if inspection.chosen else inspection.inspection_id

    def open(self) -> None:
        """Turn the camera on (its picture in the evidence card); a camera that cannot start,
        or no open inspection, gives state error with a readable message."""
        if self.viewing or self.busy:
            return
        try:
            self._target()
            self.camera = self.camera_factory()
            self.camera.start(self._frame)
        except (PresenterError, CameraUnavailable) as exc:
            self._close_camera()
            self._fail(readable(exc))
            return
        self.state, self.message, self.progress = VIEWING, "对准要拍的物品，点“拍摄” / aim, then tap Shoot", 0.0
        self.notify()

    def _frame(self, frame: Frame) -> None:
        self.latest = frame

    def close(self) -> None:
        """Turn the camera off without a photo."""
        self._close_camera()
        if self.viewing:
            self.state, self.message = IDLE, ""
            self.notify()

    def _close_camera(self) -> None:
        if self.camera is not None:
            self.camera.stop()
        self.camera = None

    def shoot(self) -> None:
        """拍摄: take a still from the camera and process it (see attach)."""
        if not self.viewing or self.camera is None:
            self.open()
            return
        camera = self.camera
        camera.capture(lambda data: self.runner.post(lambda: self._captured(data)),
                       lambda exc: self.runner.post(lambda: self._fail(f"无法拍照：{readable(exc)} / cannot take "
                                                                      f"the photo")))

    def _captured(self, data: bytes) -> None:
        self._close_camera()
        self.attach(data)

    def attach_file(self, path_text: str) -> None:
        """添加照片文件: the image at `path_text` (else the newest in the camera folder), processed
        like a still (see attach). Errors land in `message`."""
        try:
            source = capture_source(path_text, self.inspection.camera_folder)
        except PresenterError as exc:
            self._fail(exc.message)
            return
        self.attach(source)

    def attach(self, capture: bytes | str | Path) -> None:
        """Watermark and save `capture` on the worker, then attach it on the UI thread; the
        state goes processing → idle (`last_sha`) or error (readable `message`)."""
        if self.busy:
            return
        try:
            target = self._target()
        except PresenterError as exc:
            self._fail(exc.message)
            return
        info = self.inspection.watermark(target)          # the store and the position: read here
        folder = self.inspection.photo_dir
        self._stage(0.15, "正在加水印… / watermarking…")

        def work() -> Path:
            processed = process_photo(capture, info)
            self.runner.post(lambda: self._stage(0.7, "正在保存… / saving…"))
            return processed.save(folder)

        self.runner.submit(work, lambda path: self._attach(path, target), self._crashed)

    def _stage(self, progress: float, message: str) -> None:
        self.state, self.progress, self.message = PROCESSING, progress, message
        self.notify()

    def _attach(self, path: Path, target: str) -> None:
        try:
            self.last_sha = self.inspection.attach_saved(path, target)
        except PresenterError as exc:
            self._fail(exc.message)
            return
        self.state, self.progress = IDLE, 1.0
        self.message = f"照片已附加 / photo attached ({self.last_sha[:8]})"
        self.notify()

    def _crashed(self, exc: BaseException) -> None:
        if isinstance(exc, (PhotoPipelineError, OSError)):
            self._fail(f"照片无法保存：{readable(exc)} / the photo cannot be saved")
            return
        self._fail(f"照片处理失败：{type(exc).__name__}: {exc} / the photo could not be processed")

    def _fail(self, message: str) -> None:
        self.state, self.message, self.progress = ERROR, message, 0.0
        self.notify()

    def stop(self) -> None:
        """The app pauses or the screen is left: the camera is let go (a photo being
        processed still finishes)."""
        self.close()

