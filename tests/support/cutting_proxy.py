"""A small TCP proxy for fault tests: it forwards client↔server bytes and cuts some
connections in the middle of a response (after a random number of response bytes) or,
with `direction="request"`, in the middle of what the client sends (an upload's body).

Deterministic for a seed; stops on `close()` (or at the end of a `with` block). Threads,
loopback only. Shared by the integration tests and the tus upload tests (tests/support is
put on sys.path by tests/conftest.py).
"""
from __future__ import annotations

import random
import socket
import threading
from typing import Self


class CuttingProxy:
    """Listen on 127.0.0.1:<free port>, forward to `upstream`; a connection is cut with
    probability `cut_probability` after between `min_bytes` and `max_bytes` bytes going in
    `direction` ("response": server→client, "request": client→server)."""

    def __init__(self, upstream_port: int, *, cut_probability: float = 0.5, min_bytes: int = 1,
                 max_bytes: int = 30_000, seed: int = 1, direction: str = "response"):
        if direction not in ("response", "request"):
            raise ValueError(f"direction must be 'response' or 'request', not {direction!r}")
        self.direction = direction
        self.upstream_port = upstream_port
        self.cut_probability = cut_probability
        self.min_bytes, self.max_bytes = min_bytes, max_bytes
        self.rng = random.Random(seed)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.cuts = 0
        self._closed = threading.Event()
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
                cut = self.rng.random() < self.cut_probability
                budget = self.rng.randint(self.min_bytes, self.max_bytes) if cut else None
                self._socks += [client, upstream]
            up, down = (budget, None) if self.direction == "request" else (None, budget)
            threading.Thread(target=self._pump, args=(client, upstream, up), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, down), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, budget: int | None) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if budget is not None and len(data) >= budget:
                    dst.sendall(data[:budget])
                    with self._lock:
                        self.cuts += 1
                    break
                if budget is not None:
                    budget -= len(data)
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        """Stop accepting and close every socket."""
        self._closed.set()
        self.listener.close()
        with self._lock:
            for s in self._socks:
                try:
                    s.close()
                except OSError:
                    pass
