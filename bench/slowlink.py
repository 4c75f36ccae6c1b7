"""A first sync over a slow link, each figure beside its baseline measured in the same run.

    .venv/bin/python bench/slowlink.py [--indicators 20000] [--mbit 1] [--rtt 0.1] [--runs 3]
                                       [--page 1000] [--db URL]

A real server runs as a subprocess on loopback (SQLite in a temp dir unless --db) with the
synthetic catalog; a tablet pulls it through the throttling proxy (tests/support/cutting_proxy.py)
and the proxy counts the bytes on the wire.

(w) bytes per record on the wire: compressed (what the device does)  vs  plain (no
    Content-Encoding), same catalog, same pages (target ≤ 100 B compressed);
(s) first sync at `--mbit` Mbit/s and `--rtt` s round trip  vs  the link's floor for the same
    bytes (bytes / bandwidth + one round trip per request) (target < 30 s);
(r) the same first sync cut once at half way (the connection dies mid-answer), resumed
    by the engine: extra bytes  vs  the uncut sync (target < 10 %).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "integration"))  # its helper modules, imported by basename
sys.path.insert(0, str(ROOT / "tests" / "support"))

from cutting_proxy import CuttingProxy
from device_kit import first_sync_through
from server_process import ServerProcess


def measure(args, work: Path, server: ServerProcess) -> dict:
    """Run the three measurements; return their figures."""
    out: dict = {"w_plain": [], "w_comp": [], "s": [], "s_floor": [], "r_extra": [], "r_s": []}
    rows = 0
    for run in range(args.runs):
        for compress, key in ((False, "w_plain"), (True, "w_comp")):
            with CuttingProxy(server.port, cut_probability=0) as proxy:
                _, report = first_sync_through(server.url, work / f"w{run}{key}.sqlite", proxy, compress=compress,
                                       page=args.page)
                rows = report.pulled
                out[key].append((proxy.bytes_down + proxy.bytes_up) / rows)
        with CuttingProxy(server.port, cut_probability=0, bandwidth_bps=args.mbit * 1e6, rtt=args.rtt) as proxy:
            seconds, report = first_sync_through(server.url, work / f"s{run}.sqlite", proxy, compress=True, page=args.page)
            wire = proxy.bytes_down + proxy.bytes_up
            out["s"].append(seconds)
            out["s_floor"].append(wire * 8 / (args.mbit * 1e6) + report.requests * args.rtt)
        half = proxy.bytes_down // 2
        with CuttingProxy(server.port, cut_at_byte=half, bandwidth_bps=args.mbit * 1e6, rtt=args.rtt) as cut:
            seconds, report = first_sync_through(server.url, work / f"r{run}.sqlite", cut, compress=True, page=args.page)
            assert cut.cuts == 1 and report.pulled == rows, (cut.cuts, report.pulled)
            out["r_s"].append(seconds)
            out["r_extra"].append((cut.bytes_down + cut.bytes_up) / wire - 1)
    out["rows"] = rows
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=20000)
    parser.add_argument("--mbit", type=float, default=1.0)
    parser.add_argument("--rtt", type=float, default=0.1)
    parser.add_argument("--page", type=int, default=1000, help="the device's pull page size")
    parser.add_argument("--db", default=None, help="server DATABASE_URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gbfield-slowlink-"))
    db_url = args.db or f"sqlite:///{work / 'server.db'}"
    t0 = time.perf_counter()
    server = ServerProcess(db_url, work, catalog=f"synthetic:{args.indicators}").start(timeout=900)
    print(f"server up with {args.indicators} synthetic indicators in {time.perf_counter() - t0:.1f} s ({db_url})")
    try:
        out = measure(args, work, server)
    finally:
        server.stop()
    med = statistics.median
    print(f"(w) bytes per record on the wire, {out['rows']} changes: compressed {med(out['w_comp']):.0f} B   "
          f"plain {med(out['w_plain']):.0f} B   ratio {med(out['w_plain']) / med(out['w_comp']):.1f}x   "
          "(target ≤ 100 B)")
    print(f"(s) first sync at {args.mbit:g} Mbit/s, {args.rtt * 1000:.0f} ms RTT: {med(out['s']):.1f} s   "
          f"link floor for the same bytes {med(out['s_floor']):.1f} s   "
          f"ratio {med(out['s']) / med(out['s_floor']):.2f}x   (target < 30 s)")
    print(f"(r) cut once at half way, resumed: {med(out['r_extra']) * 100:.1f} % extra bytes   "
          f"{med(out['r_s']):.1f} s   (target < 10 %)")
    print("runs:", json.dumps({k: v for k, v in out.items() if k != "rows"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
