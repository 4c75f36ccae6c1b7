"""Scan confirmation (feedback) and the Frame conversions every camera goes through."""
import wave

import pytest
from PIL import Image

from kivy_client.services.feedback import DeviceFeedback, NoFeedback, beep_wav, feedback_for
from kivy_client.services.frames import Frame, FrameError


@pytest.mark.parametrize("platform,kind", [("android", DeviceFeedback), ("linux", NoFeedback),
                                           ("win", NoFeedback), ("macosx", NoFeedback)])
def test_feedback_for_platform(platform, kind):
    assert isinstance(feedback_for(platform), kind)


def test_device_feedback_on_a_desktop_switches_the_vibrator_off_and_never_raises(tmp_path):
    feedback = DeviceFeedback(sound_dir=tmp_path)
    feedback.confirm()
    feedback.confirm()
    assert feedback.confirmed == 2
    assert "vibrate" in feedback.unavailable        # plyer has no vibrator on a Linux desktop


def test_beep_is_a_short_wav(tmp_path):
    path = beep_wav(tmp_path / "b.wav", seconds=0.05, rate=8000)
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (1, 2, 8000, 400)


def test_frame_from_nv21_takes_the_luminance_plane():
    y = bytes(range(12))
    frame = Frame.from_nv21(y + b"\x80" * 6, 4, 3)
    assert frame.mode == "L" and frame.luminance() == y


def test_frame_from_texture_pixels_flips_rows():
    bottom, top = b"\x00\x00\x00\xff" * 2, b"\xff\xff\xff\xff" * 2   # a texture starts at the bottom row
    frame = Frame.from_texture_pixels(bottom + top, 2, 2)
    assert frame.image().convert("L").getpixel((0, 0)) == 255


def test_frame_round_trips_a_picture():
    img = Image.new("RGB", (3, 2), (10, 200, 30))
    frame = Frame.from_image(img)
    assert frame.mode == "RGBA" and len(frame.luminance()) == 6


@pytest.mark.parametrize("pixels,mode", [(b"\x00" * 3, "L"), (b"\x00" * 16, "CMYK")])
def test_frame_refuses_bad_pixels(pixels, mode):
    with pytest.raises(FrameError):
        Frame(pixels, 2, 2, mode)
