"""The tablet's own figures, each beside a baseline in the same run.

Run: .venv/bin/python bench/tablet.py [--runs 3] [--only decode,search,start,complete]

- decode: every frame of the SYNTHESISED sequences (tests/kivy_client/services/scan_frames.py:
  six code forms × seven conditions × 8 frames; no camera exists here) through zxing-cpp
  (desktop) and zbar (Android): decode rate, median and p95 ms per frame; baseline: the same
  decoders on the clean frames only.
- search: bench/search.py's p95 over the 20,000-indicator synthetic catalog (new vs code-only).
- start: cold start of the app to a usable Home in a fresh offscreen Kivy process (import,
  store, presenters, kv, first frame drawn); baseline: the same process importing Kivy and
  opening an empty window.
- complete: "完成检查" → queued (the signatures and the lock in one transaction, signature
  images into the photo queue) per inspection over a full day's store (50 inspections, 4
  findings each, 200 photos); baseline: an inspection edit queued in the same store; memory
  after the day (tracemalloc peak of building and completing it, process max RSS).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "kivy_client" / "services"))

from PIL import Image
from scan_frames import write_sequences

from kivy_client.services.decoders import ZbarDecoder, ZxingDecoder
from kivy_client.services.frames import Frame


def bench_decode() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sequences = write_sequences(Path(tmp))
        frames = [(info, Frame.from_image(Image.open(p))) for info in sequences.values()
                  for p in sorted(info.folder.iterdir())]
        print(f"decode: {len(frames)} synthesised frames (640×480), {len(sequences)} sequences")
        for decoder in (ZxingDecoder(), ZbarDecoder()):
            for label, subset in (("all", frames), ("clean", [f for f in frames if f[0].condition == "clean"])):
                times, read = [], 0
                for info, frame in subset:
                    t0 = time.perf_counter()
                    found = decoder.decode(frame)
                    times.append(time.perf_counter() - t0)
                    read += any(d.text == info.expected for d in found)
                times.sort()
                print(f"  {decoder.name:10s} {label:6s} read {read:4d}/{len(subset):<4d} ({read / len(subset):.0%})  "
                      f"median {statistics.median(times) * 1000:6.1f} ms  p95 {times[int(0.95 * len(times)) - 1] * 1000:6.1f} ms")


def bench_search(runs: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_search", _HERE / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    res = module.measure(20000, runs=runs, rounds=10)
    for name in ("new", "code-only"):
        r = res[name]
        print(f"search: {name:10s} p95 {r['p95_ms']:6.2f} ms  found first {r['found']}/{r['of']}")


START = """
import os, sys, time, tempfile
t0 = time.perf_counter()
from kivy.config import Config
Config.set("graphics", "width", "1280"); Config.set("graphics", "height", "800")
from kivy.base import EventLoop
if sys.argv[1] == "app":
    from kivy_client.app import TabletApp
    app = TabletApp(store_path=os.path.join(tempfile.mkdtemp(), "d.sqlite"))
    app._run_prepare()
    EventLoop.idle()
    assert app.root.ids.sm.current == "home"
else:
    from kivy.core.window import Window
    EventLoop.ensure_window(); EventLoop.idle()
print(time.perf_counter() - t0)
"""


def bench_start(runs: int) -> None:
    env = {**os.environ, "KIVY_NO_ARGS": "1", "KIVY_NO_FILELOG": "1", "KIVY_NO_CONSOLELOG": "1",
           "SDL_VIDEODRIVER": "offscreen", "KIVY_CLIPBOARD": "dummy", "KIVY_HOME": tempfile.mkdtemp()}
    for what in ("window", "app"):
        times = []
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", START, what], cwd=ROOT, env=env, capture_output=True,
                                 text=True, timeout=120, check=True)
            times.append(float(out.stdout.strip().splitlines()[-1]))
        label = "empty window (baseline)" if what == "window" else "app to a usable Home"
        print(f"start: {label:24s} median {statistics.median(times):5.2f} s over {runs} runs")


def _day(folder: Path, inspections: int, photos_per: int):
    """A day's store: `inspections` inspections of 4 findings each, `photos_per` photos on
    every inspection's findings, officer and party signatures drawn (PNG files)."""
    from device import DeviceRecords, open_store
    from device.completion import Signature

    store = open_store(folder / "tablet.sqlite")
    records = DeviceRecords(store, judge=lambda *a, **k: {"outcome": "pass", "limit_text": "≤20",
                                                          "ruleset_version": "bench"})
    ink = []
    for k in range(3):
        path = folder / f"sign{k}.png"
        img = Image.new("RGB", (600, 240), (255, 255, 255))
        img.putpixel((10 + k, 10), (0, 0, 0))
        img.save(path)
        ink.append(path)
    ids = []
    for n in range(inspections):
        iid = records.create_inspection("2025-06-01", company_name="北京示例婴童服饰有限公司",
                                        credit_code="91110105MA01ABCD00", address="北京市朝阳区示例路1号")
        findings = [records.add_finding(iid, f"GB 18401-2010/4.1/x{k}", str(10 + k), "mg/kg") for k in range(4)]
        for k in range(photos_per):
            photo = folder / f"p{n}-{k}.jpg"
            Image.new("RGB", (1600, 1200), (n % 255, k * 40 % 255, 120)).save(photo, quality=70)
            records.attach_photo(findings[k % 4], photo)
        ids.append(iid)
    signatures = [Signature("officer", "李检查", ink[0], signer_number="11010520190123"),
                  Signature("party", "王经理", ink[1])]
    return store, records, ids, signatures


def bench_completion(inspections: int = 50, photos_per: int = 4) -> None:
    """完成检查 → queued (signatures and the lock in one transaction) per inspection of a
    full day (50 inspections, 200 photos), beside an inspection edit queued (baseline);
    the memory the day's store and outbox hold (tracemalloc peak, RSS)."""
    import resource
    import tracemalloc

    from device.completion import Summary, complete_inspection

    with tempfile.TemporaryDirectory() as tmp:
        tracemalloc.start()
        store, records, ids, signatures = _day(Path(tmp), inspections, photos_per)
        edits, completes = [], []
        for iid in ids:
            t0 = time.perf_counter()
            records.edit_inspection(iid, note="现场检查")
            edits.append((time.perf_counter() - t0) * 1000)
            digest = Summary.of(store, iid).record_hash
            t0 = time.perf_counter()
            complete_inspection(records, iid, signatures, expected_hash=digest)
            completes.append((time.perf_counter() - t0) * 1000)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        queued = store.outbox.counts() if hasattr(store.outbox, "counts") else None
        store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"完成检查 → queued ({inspections} inspections, {inspections * photos_per} photos): "
          f"median {statistics.median(completes):.1f} ms, p95 {sorted(completes)[int(len(completes) * .95) - 1]:.1f} ms;"
          f" inspection edit queued (baseline): median {statistics.median(edits):.1f} ms")
    print(f"memory after the day: tracemalloc peak {peak / 1e6:.1f} MB, process max RSS {rss:.0f} MB"
          + (f"; outbox {queued}" if queued else ""))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--only", default="decode,search,start,complete")
    args = p.parse_args(argv)
    parts = set(args.only.split(","))
    if "decode" in parts:
        bench_decode()
    if "search" in parts:
        bench_search(args.runs)
    if "start" in parts:
        bench_start(args.runs)
    if "complete" in parts:
        bench_completion()
    return 0


if __name__ == "__main__":
    sys.exit(main())
