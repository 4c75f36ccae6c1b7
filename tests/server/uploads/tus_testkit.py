"""Header helpers for the tus tests."""
from __future__ import annotations

import base64
import hashlib
import socket
import time
from urllib.parse import urlsplit


def tus_headers(token: str | None = None, **extra) -> dict:
    headers = {"Tus-Resumable": "1.0.0", **extra}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def metadata_header(data: bytes, sha256: str | None = None, **more) -> str:
    items = {"sha256": sha256 or hashlib.sha256(data).hexdigest(), "filename": "photo.jpg", **more}
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in items.items())


def checksum_header(chunk: bytes, algorithm: str = "sha256") -> str:
    return f"{algorithm} {base64.b64encode(hashlib.new(algorithm, chunk).digest()).decode()}"



def partial_patch(url: str, token: str, data: bytes, offset: int, send: int, *, checksum: bool = False) -> None:
    """Send a PATCH declaring all of ``data[offset:]`` but only ``send`` bytes of it, then
    drop the connection (what a phone losing its signal does)."""
    parts = urlsplit(url)
    body = data[offset:]
    headers = {**tus_headers(token), "Upload-Offset": str(offset), "Content-Length": str(len(body)),
               "Content-Type": "application/offset+octet-stream", "Host": parts.netloc}
    if checksum:
        headers["Upload-Checksum"] = checksum_header(body)
    head = f"PATCH {parts.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(head.encode("latin-1") + body[:send])
        sock.shutdown(socket.SHUT_WR)
        time.sleep(0.05)


def wait_for(predicate, timeout: float = 5.0, interval: float = 0.02) -> bool:
    """Return True once ``predicate()`` holds, False after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
