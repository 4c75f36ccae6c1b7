"""The camera's picture on screen, with the outline of the code that was read.

`CameraPreview` polls a LiveScanPresenter (`latest` frame, `outline`, `state`) on the UI
thread at `fps` while it is shown: the newest frame is copied into a texture (luminance
frames from Android's NV21 buffer, RGBA ones from a desktop camera or a replay), drawn
to fit the widget with its aspect kept, and the corners of the code taken are drawn over
it in green with a green frame around the whole preview (the on-screen confirmation).
Frames arrive on the camera's thread; nothing here runs there.
"""
from __future__ import annotations

from kivy.clock import Clock
from kivy.graphics import Color, Line, Rectangle
from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.widget import Widget

from kivy_client.services.frames import Frame

FOUND_COLOUR = (0.13, 0.75, 0.35, 1)
IDLE_COLOUR = (0.11, 0.16, 0.24, 1)


class CameraPreview(Widget):
    """`scanner` is the LiveScanPresenter shown; `shown_frames` counts frames drawn (tests)."""

    scanner = ObjectProperty(None, allownone=True)
    fps = NumericProperty(15)
    confirmed = BooleanProperty(False)
    shown_frames = NumericProperty(0)

    def __init__(self, **kw):
        super().__init__(**kw)
        self._texture: Texture | None = None
        self._frame: Frame | None = None
        self._event = None
        self.bind(pos=self._draw, size=self._draw)

    def watch(self, on: bool = True) -> None:
        """Start (or stop) following the scanner's frames at `fps` (idempotent)."""
        if on and self._event is not None:
            return
        if self._event is not None:
            self._event.cancel()
            self._event = None
        if on:
            self._event = Clock.schedule_interval(self.update, 1.0 / self.fps)
        self.update()

    def update(self, *_args) -> None:
        """Draw the scanner's newest frame and the outline of the code taken."""
        scanner = self.scanner
        if scanner is None:
            return
        frame = scanner.latest
        self.confirmed = scanner.state == "found" and scanner.outline is not None
        live = getattr(scanner.camera, "texture", None)     # Kivy's camera draws its own texture: no copy
        if live is not None and frame is not None and not self.confirmed:
            self._texture, self._frame = live, frame
            self.shown_frames += 1
            self._draw()
        elif frame is not None and (self._frame is None or frame.pixels is not self._frame.pixels):
            self._show(frame)          # a replay hands the same pixels again: drawn once
        elif frame is None and self._frame is not None:
            self._frame, self._texture = None, None
            self._draw()
        elif self.confirmed:
            self._draw()

    def _show(self, frame: Frame) -> None:
        fmt = "luminance" if frame.mode == "L" else ("rgb" if frame.mode == "RGB" else "rgba")
        texture = self._texture
        if texture is None or texture.size != (frame.width, frame.height) or texture.colorfmt != fmt:
            texture = Texture.create(size=(frame.width, frame.height), colorfmt=fmt)
            texture.flip_vertical()           # frames run top row first, textures bottom row first
            self._texture = texture
        texture.blit_buffer(frame.pixels, colorfmt=fmt, bufferfmt="ubyte")
        self._frame = frame
        self.shown_frames += 1
        self._draw()

    def picture_box(self) -> tuple[float, float, float, float]:
        """Return (x, y, width, height) of the picture inside the widget, aspect kept."""
        frame = self._frame
        if frame is None or not frame.width or not frame.height:
            return self.x, self.y, self.width, self.height
        scale = min(self.width / frame.width, self.height / frame.height)
        w, h = frame.width * scale, frame.height * scale
        return self.x + (self.width - w) / 2, self.y + (self.height - h) / 2, w, h

    def outline_points(self) -> list[float]:
        """Return the code's corners in window coordinates (x0, y0, x1, y1, …), or []."""
        scanner = self.scanner
        if scanner is None or scanner.outline is None or self._frame is None:
            return []
        points, (fw, fh) = scanner.outline
        x, y, w, h = self.picture_box()
        out: list[float] = []
        for px, py in points:
            out += [x + px / fw * w, y + h - py / fh * h]     # frame y runs downwards
        return out

    def _draw(self, *_args) -> None:
        self.canvas.clear()
        with self.canvas:
            Color(*IDLE_COLOUR)
            Rectangle(pos=self.pos, size=self.size)
            if self._texture is not None:
                Color(1, 1, 1, 1)
                x, y, w, h = self.picture_box()
                Rectangle(texture=self._texture, pos=(x, y), size=(w, h))
            if self.confirmed:
                points = self.outline_points()
                Color(*FOUND_COLOUR)
                if len(points) >= 4:
                    Line(points=points, close=True, width=dp(3))
                Line(rectangle=(self.x + dp(2), self.y + dp(2), self.width - dp(4), self.height - dp(4)),
                     width=dp(4))
