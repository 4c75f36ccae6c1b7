"""The camera on the tablet's screens, in a real offscreen window: 扫码 with the preview
and the code's outline (frames replayed through GBFIELD_CAMERA_REPLAY, decoded by the
real decoder on its thread), 拍照 through the watermark pipeline off the UI thread, the
enrolment QR scanned in Settings. Screenshots: tests/_artifacts/tablet-camera-*.png."""
from __future__ import annotations

import pytest
from tablet_kit import DEMO_GTIN
from tablet_window import close_app, code_frames, open_app, pump, shoot, tap, texts

pytestmark = pytest.mark.xdist_group("kivy")

DIGITAL_LINK = f"https://id.gs1.org/01/{DEMO_GTIN}/10/B2025"


@pytest.fixture(scope="module")
def ui(server, device_token, tmp_path_factory):
    from device import open_store
    from sync.client import SyncClient, WsgiTransport

    store = open_store(tmp_path_factory.mktemp("tablet-camera") / "tablet.sqlite")
    store.state.save_credentials({"server_url": "http://gbfield.test", "device_id": "t", "token": device_token,
                                  "user": {"username": "insp_chaoyang"}})
    assert SyncClient(store, WsgiTransport(server, device_token)).sync().ok

    def make():
        from kivy_client.app import TabletApp

        return TabletApp(store=store, sync_transport_factory=lambda creds: WsgiTransport(server, creds["token"]))

    app = open_app(make)
    yield app
    close_app(app)


def screen(app, name):
    return app.root.ids.sm.get_screen(name)


def test_scanning_with_the_camera_shows_the_code_and_resolves_it(ui, tmp_path, monkeypatch):
    monkeypatch.setenv("GBFIELD_CAMERA_REPLAY", str(code_frames(tmp_path / "dl", DIGITAL_LINK)))
    tap(ui.root.ids.nav_scan)
    scan = screen(ui, "scan")
    assert scan.ids.scan_toggle.text == "扫码" and scan.ids.scan_toggle.height >= 48
    tap(scan.ids.scan_toggle)
    assert ui.live_scan.state in ("scanning", "found"), ui.live_scan.message
    pump(until=lambda: ui.live_scan.state == "found", timeout=20)
    pump(4)
    preview = scan.ids.preview
    assert preview.shown_frames >= 1 and preview.confirmed
    points = preview.outline_points()
    assert len(points) == 8
    x, y, w, h = preview.picture_box()
    assert all(x - 1 <= px <= x + w + 1 for px in points[0::2]) and all(y - 1 <= py <= y + h + 1 for py in points[1::2])
    assert ui.feedback.confirmed >= 1 and not ui.live_scan.scanning      # confirmed once, camera off
    assert "已识别" in scan.ids.live_message.text and scan.ids.scan_toggle.text == "扫码"
    shown = texts(scan.ids.results)
    assert "婴儿纯棉连体衣" in shown and "GB 18401-2010" in shown
    assert scan.start_button is not None
    shoot("camera-scan")


def test_a_camera_that_cannot_open_says_so_and_typing_still_works(ui, tmp_path, monkeypatch):
    monkeypatch.setenv("GBFIELD_CAMERA_REPLAY", str(tmp_path / "no-such-folder"))
    tap(ui.root.ids.nav_scan)
    scan = screen(ui, "scan")
    tap(scan.ids.scan_toggle)
    assert ui.live_scan.state == "error" and "无法扫码" in scan.ids.live_message.text
    assert "Traceback" not in scan.ids.live_message.text
    scan.ids.code.text = DEMO_GTIN
    tap(scan.ids.look_up)
    assert "婴儿纯棉连体衣" in texts(scan.ids.results)


def test_leaving_the_scan_screen_turns_the_camera_off(ui, tmp_path, monkeypatch):
    monkeypatch.setenv("GBFIELD_CAMERA_REPLAY", str(_blank_frames(tmp_path / "blank")))
    tap(ui.root.ids.nav_scan)
    scan = screen(ui, "scan")
    tap(scan.ids.scan_toggle)
    pump(until=lambda: scan.ids.preview.shown_frames > 0 and ui.live_scan.scanning)
    assert scan.ids.scan_toggle.text == "停止扫码"
    shoot("camera-aiming")
    tap(ui.root.ids.nav_home)
    assert not ui.live_scan.scanning and ui.live_scan.camera is None


def _blank_frames(folder):
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        Image.new("L", (640, 480), 120 + 20 * i).save(folder / f"b{i}.png")
    return folder
