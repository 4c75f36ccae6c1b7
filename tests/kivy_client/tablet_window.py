"""Driving the tablet app in a real offscreen window: the event loop, a finger, screenshots
(a unique basename: test folders have no __init__.py). Kivy keeps one window per process:
`open_app` reuses it, so several test modules can each run their own app in turn."""
from __future__ import annotations

import time
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"


def open_app(make, size=(1280, 800)):
    """Start the app `make()` returns (a TabletApp, made after the window's size is set:
    importing the app's widgets opens the window) at `size`; return it."""
    from kivy.config import Config

    Config.set("graphics", "width", str(size[0]))
    Config.set("graphics", "height", str(size[1]))
    from kivy.core.window import Window

    app = make()
    Window.size = size
    app._run_prepare()
    pump(3)
    return app


def close_app(app) -> None:
    """Stop `app` and take its root out of the window (the window stays for the next app)."""
    from kivy.base import EventLoop
    from kivy.core.window import Window

    app.stop()
    if app.root is not None and app.root.parent is Window:
        Window.remove_widget(app.root)
    # App.stop() schedules stopTouchApp() for the next frame (the loop was never "started":
    # _run_prepare only), which would close the loop; with `quit` set EventLoop.idle() no
    # longer lays out nor draws, and the next app's widgets stay where they were first put.
    # "closed" makes that pending call a no-op; the loop itself goes on for the next app.
    EventLoop.status, EventLoop.quit, EventLoop.stopping = "closed", False, False


def pump(frames: int = 2, until=None, timeout: float = 20.0) -> None:
    """Run the event loop `frames` times, or until `until()` is true (bounded by time)."""
    from kivy.base import EventLoop

    deadline = time.monotonic() + timeout
    for _ in range(frames if until is None else 100000):
        EventLoop.idle()
        if until is not None and until():
            EventLoop.idle()
            return
        if time.monotonic() > deadline:
            break
    assert until is None or until(), "the UI did not reach the expected state in time"


def wait(seconds: float) -> None:
    """Run the event loop for `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pump(1)


def tap(widget) -> None:
    """Touch the middle of `widget` like a finger (down, up), scrolled into view first."""
    from kivy.tests.common import UnitTestTouch
    from kivy.uix.scrollview import ScrollView

    pump(2)             # the layout settles before the finger comes down (a screenshot or a new app re-lays it)
    parent, held = widget.parent, False
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ScrollView):
            held = True
            content = parent.children[0] if parent.children else None
            if content is not None and content.height > parent.height:
                parent.scroll_to(widget, padding=10, animate=False)
                parent.scroll_y = min(1.0, max(0.0, parent.scroll_y))
                pump(3)
        parent = parent.parent
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    if held:            # a ScrollView holds a touch for its scroll_timeout before its children see it
        wait(0.3)
    touch.touch_up()
    wait(0.3) if held else pump(2)


def shoot(name: str) -> Path:
    """Save the window as tests/_artifacts/tablet-<name>.png; return the file."""
    from kivy.core.window import Window

    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"tablet-{name}*.png"):
        old.unlink()
    return Path(Window.screenshot(name=str(ARTIFACTS / f"tablet-{name}.png")))


def texts(widget) -> str:
    """Every text shown in `widget`'s tree, joined."""
    return " ".join(str(getattr(w, "text", "")) for w in widget.walk())


def code_frames(folder: Path, payload: str, n: int = 6) -> Path:
    """A replay folder: `n` 640×480 frames of a real QR code of `payload` on a grey carton,
    the first two with the code still out of the picture (the officer aiming)."""
    from PIL import Image

    from codes.render import qr_image

    folder.mkdir(parents=True, exist_ok=True)
    code = qr_image(payload, size=300).convert("L")
    for i in range(n):
        frame = Image.new("L", (640, 480), 170)
        x = 640 if i < 2 else 170 + 10 * (i % 3)
        frame.paste(code, (x, 90))
        frame.save(folder / f"f{i:02d}.png")
    return folder
