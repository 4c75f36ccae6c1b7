"""A small TCP proxy for fault and slow-link tests: it forwards client↔server bytes and cuts
some connections in the middle of a response (after a random number of response bytes) or,
with `direction="request"`, in the middle of what the client sends (an upload's body).

It can also be a slow link: `bandwidth_bps` (bits per second, each direction, shared by all
connections as one link is) and `rtt` (seconds of round trip: half added each way, to every
byte, pipelined as on a real link). It counts the bytes it carried (`bytes_up`,
`bytes_down`): what the wire costs.

Deterministic for a seed; stops on `close()` (or at the end of a `with` block). Threads,
loopback only. Shared by the integration tests, the tus upload tests and bench/ (tests/support
is put on sys.path by tests/conftest.py).
"""
from __future__ import annotations

import queue
import random
import socket
import threading
import time
from typing import Self

#: what a shaped link sends at once (small enough that pacing is smooth)
SLICE = 4096


class _Link:
    """One direction of a slow link: when it is free to carry the next byte."""

    def __init__(self, bandwidth_bps: float | None, one_way: float):
        self.bytes_per_s = bandwidth_bps / 8 if bandwidth_bps else None
        self.one_way = one_way
        self.next_free = 0.0
        self.lock = threading.Lock()

    def wait_turn(self, size: int, received_at: float) -> None:
        """Sleep until `size` bytes received at `received_at` have crossed the link."""
        done = received_at + self.one_way
        if self.bytes_per_s:
            with self.lock:
                start = max(time.monotonic(), self.next_free)
                self.next_free = start + size / self.bytes_per_s
            done = max(done, self.next_free)
        delay = done - time.monotonic()
        if delay > 0:
            time.sleep(delay)


class CuttingProxy:
    """Listen on 127.0.0.1:<free port>, forward to `upstream`; a connection is cut with
    probability `cut_probability` after between `min_bytes` and `max_bytes` bytes going in
    `direction` ("response": server→client, "request": client→server); at most `max_cuts`
    cuts in all (None: no limit). `cut_at_byte` instead cuts once, whichever connection
    carries byte number `cut_at_byte` of all that went in `direction` (a cut "at half way"
    whether the client keeps one connection or opens many). `bandwidth_bps` and `rtt` make
    it a slow link (see above)."""

    def __init__(self, upstream_port: int, *, cut_probability: float = 0.5, min_bytes: int = 1,
                 max_bytes: int = 30_000, seed: int = 1, direction: str = "response",
                 max_cuts: int | None = None, cut_at_byte: int | None = None,
                 bandwidth_bps: float | None = None, rtt: float = 0.0):
        if direction not in ("response", "request"):
            raise ValueError(f"direction must be 'response' or 'request', not {direction!r}")
        self.direction = direction
        self.max_cuts = max_cuts
        self.cut_at_byte = cut_at_byte
        if cut_at_byte is not None:
            cut_probability = 0.0
        self.shaped = bool(bandwidth_bps or rtt)
        self._links = {"up": _Link(bandwidth_bps, rtt / 2), "down": _Link(bandwidth_bps, rtt / 2)}
        self.bytes_up = 0
        self.bytes_down = 0
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
    def _cut_way(self) -> str:
        return "up" if self.direction == "request" else "down"

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
                if self.max_cuts is not None and self.cuts >= self.max_cuts:
                    cut = False
                budget = self.rng.randint(self.min_bytes, self.max_bytes) if cut else None
                self._socks += [client, upstream]
            up, down = (budget, None) if self.direction == "request" else (None, budget)
            threading.Thread(target=self._pump, args=(client, upstream, up, "up"), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, down, "down"), daemon=True).start()

    def _chunks(self, src: socket.socket):
        """Yield (received_at, bytes) read from `src` until it closes. A shaped link reads in
        a thread of its own, so the bytes in flight keep arriving while earlier ones wait."""
        if not self.shaped:
            while data := src.recv(65536):
                yield 0.0, data
            return
        arrived: queue.Queue = queue.Queue()

        def read() -> None:
            try:
                while data := src.recv(65536):
                    arrived.put((time.monotonic(), data))
            except OSError:
                pass
            arrived.put(None)
        threading.Thread(target=read, daemon=True).start()
        while (item := arrived.get()) is not None:
            yield item

    def _pump(self, src: socket.socket, dst: socket.socket, budget: int | None, way: str) -> None:
        link = self._links[way]
        try:
            for received_at, data in self._chunks(src):
                if budget is not None and self.max_cuts is not None and self.cuts >= self.max_cuts:
                    budget = None          # another connection used the last cut
                if way == self._cut_way and self.cut_at_byte is not None and not self.cuts:
                    carried = self.bytes_up if way == "up" else self.bytes_down
                    if carried + len(data) >= self.cut_at_byte:
                        budget = max(1, self.cut_at_byte - carried)
                if budget is not None and len(data) >= budget:
                    dst.sendall(data[:budget])
                    with self._lock:
                        self.cuts += 1
                        if way == "up":
                            self.bytes_up += budget
                        else:
                            self.bytes_down += budget
                    break
                if budget is not None:
                    budget -= len(data)
                for k in range(0, len(data), SLICE if self.shaped else len(data)):
                    piece = data[k:k + SLICE] if self.shaped else data
                    if self.shaped:
                        link.wait_turn(len(piece), received_at)
                    dst.sendall(piece)
                    with self._lock:
                        if way == "up":
                            self.bytes_up += len(piece)
                        else:
                            self.bytes_down += len(piece)
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
