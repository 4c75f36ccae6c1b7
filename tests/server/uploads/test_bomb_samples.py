"""A decompression-bomb sample shared by the upload tests (and a check that it is one)."""
from __future__ import annotations

import struct
import zlib


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height, with a little zlib data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 100_000)) + chunk(b"IEND", b""))


def test_the_sample_is_small_but_claims_many_pixels():
    data = png_claiming(30_000, 30_000)
    assert len(data) < 2000
    assert struct.unpack(">II", data[16:24]) == (30_000, 30_000)
