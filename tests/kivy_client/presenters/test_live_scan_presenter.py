"""LiveScanPresenter: the camera (replayed synthesised frames) -> background decode ->
Clock-like post -> confirmation -> the offline resolver, or the enrolment, for real."""
from __future__ import annotations

import queue
import sys
import time
from pathlib import Path

import pytest
from server_testkit import PASSWORD
from tablet_kit import DEMO_GTIN

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from scan_frames import FRAMES_PER_SEQUENCE, _background, _code_image, degrade

from kivy_client.presenters import EnrolPresenter, ScanPresenter
from kivy_client.presenters.live_scan import LiveScanPresenter
from kivy_client.services.camera import CameraUnavailable, ReplayCamera
from kivy_client.services.decoders import ZxingDecoder
from kivy_client.services.feedback import NoFeedback


def sequence(folder: Path, payload_form: str, condition: str = "motion-blur") -> Path:
    import random

    folder.mkdir(parents=True, exist_ok=True)
    code, rng = _code_image(payload_form), random.Random(3)
    background = _background(rng)
    for step in range(FRAMES_PER_SEQUENCE):
        degrade(code, condition, step, rng, background).save(folder / f"f{step:02d}.png", compress_level=1)
    return folder


def run_until(posted: queue.Queue, done, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not done():
        try:
            posted.get(timeout=0.05)()
        except queue.Empty:
            pass
    assert done(), "the scan did not finish in time"


def test_scanned_digital_link_resolves_offline(tmp_path, synced_store):
    posted: queue.Queue = queue.Queue()
    scan = ScanPresenter(synced_store)
    feedback = NoFeedback()
    live = LiveScanPresenter(lambda: ReplayCamera(sequence(tmp_path / "dl", "digital-link"), fps=15, loop=True),
                             ZxingDecoder, lambda text, sym: scan.scan(text), post=posted.put,
                             feedback=feedback)
    live.start()
    assert live.state == "scanning"
    run_until(posted, lambda: live.state == "found")
    assert scan.found and scan.result.gtin == DEMO_GTIN and scan.result.lot == "B2025"
    assert feedback.confirmed == 1 and live.camera is None          # camera off after the code
    points, size = live.outline
    assert len(points) == 4 and size == (640, 480)
    assert "06901234567892" in live.message


def test_enrolment_scans_the_console_qr_and_refuses_other_codes(tmp_path, server):
    from server_testkit import Api

    from device import open_store
    from sync.client import WsgiTransport
    from sync.protocol import make_enrol_payload

    r = Api(server).call("POST", "/api/v1/devices/enrolments", "admin", json={"username": "insp_chaoyang"})
    payload = make_enrol_payload("http://gbfield.test", r.json["code"])
    enrol_folder = tmp_path / "enrol"
    enrol_folder.mkdir()
    from codes.render import qr_image

    for i in range(3):
        qr_image(payload, size=300).save(enrol_folder / f"f{i}.png")
    store = open_store(tmp_path / "t.sqlite")
    enrol = EnrolPresenter(store, transport_factory=lambda url: WsgiTransport(server))
    posted: queue.Queue = queue.Queue()

    def only_enrolment(text):
        return None if text.startswith("gbfield-enrol:") else "这不是登记二维码 / not an enrolment QR"

    wrong = LiveScanPresenter(lambda: ReplayCamera(sequence(tmp_path / "dl", "digital-link", "clean"), loop=True),
                              ZxingDecoder, lambda t, s: enrol.enrol(t, PASSWORD), post=posted.put, accept=only_enrolment)
    wrong.start()
    run_until(posted, lambda: "not an enrolment QR" in wrong.message)
    assert wrong.state == "scanning" and enrol.state == "idle"
    wrong.stop()
    assert wrong.state == "idle"

    right = LiveScanPresenter(lambda: ReplayCamera(enrol_folder, loop=True), ZxingDecoder,
                              lambda t, s: enrol.enrol(t, PASSWORD), post=posted.put, accept=only_enrolment)
    right.start()
    run_until(posted, lambda: enrol.state == "done")
    assert store.state.credentials()["token"]
    store.close()


def test_a_camera_that_cannot_open_is_a_readable_error():
    def no_camera():
        raise CameraUnavailable("没有可用的相机 / no camera provider on this device")

    live = LiveScanPresenter(no_camera, ZxingDecoder, lambda t, s: None, post=lambda fn: fn())
    live.start()
    assert live.state == "error" and "no camera provider" in live.message and live.camera is None


def test_the_same_code_is_not_taken_twice_in_a_row(tmp_path):
    posted: queue.Queue = queue.Queue()
    taken = []
    live = LiveScanPresenter(lambda: ReplayCamera(sequence(tmp_path / "e", "ean13", "clean"), fps=30, loop=True),
                             ZxingDecoder, lambda t, s: taken.append(t), post=posted.put, keep_scanning=True,
                             repeat_after=60)
    live.start()
    run_until(posted, lambda: live.scanner is not None and live.scanner.stats.hits >= 4)
    live.stop()
    assert taken == ["6901234567892"]


def test_stop_when_idle_changes_nothing():
    live = LiveScanPresenter(lambda: pytest.fail("no camera wanted"), ZxingDecoder, lambda t, s: None,
                             post=lambda fn: fn())
    live.stop()
    assert live.state == "idle" and live.message == ""
