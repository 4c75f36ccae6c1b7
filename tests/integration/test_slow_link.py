"""The throttling proxy is a slow link (bandwidth, latency), and a first sync over one is
compressed, close to the link's floor, and resumes after a cut re-downloading little.
The full-size figures (20,000 indicators at 1 Mbit/s, 100 ms) come from bench/slowlink.py."""
from __future__ import annotations

import socket
import threading
import time

import pytest
from cutting_proxy import CuttingProxy
from device_kit import first_sync_through
from server_process import ServerProcess

pytestmark = pytest.mark.slow


@pytest.fixture
def echo_port():
    """A loopback server answering each received chunk back."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=lambda c=conn: [c.sendall(d) for d in iter(lambda: c.recv(65536), b"")],
                             daemon=True).start()
    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


def round_trip(port: int, payload: bytes) -> float:
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(payload)
        got = b""
        while len(got) < len(payload):
            got += s.recv(65536)
    assert got == payload
    return time.perf_counter() - t0


def test_latency_is_added_each_way(echo_port):
    with CuttingProxy(echo_port, cut_probability=0, rtt=0.2) as proxy:
        seconds = round_trip(proxy.port, b"ping")
    assert 0.2 <= seconds < 0.45


def test_bandwidth_is_shared_by_the_link_and_bytes_are_counted(echo_port):
    with CuttingProxy(echo_port, cut_probability=0, bandwidth_bps=800_000) as proxy:   # 100 kB/s
        seconds = round_trip(proxy.port, b"x" * 50_000)
        deadline = time.monotonic() + 2          # the last piece is counted just after it is sent
        while proxy.bytes_down < 50_000 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proxy.bytes_up == proxy.bytes_down == 50_000
    assert 0.45 <= seconds < 1.5    # 50 kB up at 100 kB/s while the echo comes down


def test_a_first_sync_over_a_slow_link_is_compressed_and_resumes_after_a_cut(tmp_path):
    server = ServerProcess(f"sqlite:///{tmp_path / 'server.db'}", tmp_path, catalog="synthetic:2000").start(
        timeout=300)
    try:
        with CuttingProxy(server.port, cut_probability=0) as plain:
            _, report = first_sync_through(server.url, tmp_path / "plain.sqlite", plain, compress=False, page=250)
        rows = report.pulled
        with CuttingProxy(server.port, cut_probability=0, bandwidth_bps=1e6, rtt=0.1) as link:
            seconds, report = first_sync_through(server.url, tmp_path / "slow.sqlite", link, compress=True, page=250)
        wire = link.bytes_down + link.bytes_up
        assert report.pulled == rows > 2000
        assert wire / rows <= 100 and (plain.bytes_down + plain.bytes_up) / wire > 5
        assert seconds < 2 * (wire * 8 / 1e6 + report.requests * 0.1) + 2
        with CuttingProxy(server.port, cut_at_byte=link.bytes_down // 2, bandwidth_bps=1e6, rtt=0.1) as cut:
            _, report = first_sync_through(server.url, tmp_path / "cut.sqlite", cut, compress=True, page=250)
        assert cut.cuts == 1 and report.pulled == rows
        assert (cut.bytes_down + cut.bytes_up) / wire - 1 < 0.10
    finally:
        server.stop()
