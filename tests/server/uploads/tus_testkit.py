"""Header helpers for the tus tests."""
from __future__ import annotations

import base64
import hashlib
import socket
import threading
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


class FlakyProxy:
    """A TCP proxy on loopback that cuts every connection after ``budget`` bytes from the
    client (a mobile link that drops every few seconds). Bounded: at most ``max_connections``."""

    def __init__(self, upstream_port: int, budget: int, max_connections: int = 500) -> None:
        self.upstream_port, self.budget, self.max_connections = upstream_port, budget, max_connections
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.cuts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.listener.close()
        self._thread.join(timeout=5)

    def _accept(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set() and self.connections < self.max_connections:
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
            threading.Thread(target=self._pipe, args=(client, upstream, self.budget), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, None), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, budget: int | None) -> None:
        passed = 0
        try:
            source.settimeout(10)
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                if budget is not None and passed + len(chunk) > budget:
                    target.sendall(chunk[:budget - passed])
                    self.cuts += 1
                    break
                target.sendall(chunk)
                passed += len(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
