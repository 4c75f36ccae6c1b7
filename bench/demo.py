"""Benchmark of `make run`'s demo load: the world (jurisdictions, users, catalog, products) and
the demo year (server.app.demo.seed_year: 360 inspections with photos, reviews, questions,
publications, the 双随机 cycle, figures) on a fresh SQLite database, wall and CPU seconds,
beside a baseline measured in the same process: `alembic upgrade head` of a fresh database
(the step of `make run` before the load, which this work leaves alone).

Run:
    .venv/bin/python bench/demo.py [--runs 3]            # in process, medians of --runs
    .venv/bin/python bench/demo.py --serve [--runs 3]    # `gbfield serve --demo` on a fresh
                                                         # database: seconds to the first answer

Every run uses its own temporary folder (database, blobs), removed afterwards; `--serve`
binds 127.0.0.1 on a free port and stops the server it started.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from cli.demo_photos import demo_photos
from cli.server import upgrade_database
from server.app import create_app
from server.app.demo import load_demo, seed_year
from server.kernel.uow import unit_of_work

SERVE_DEADLINE_S = 600


class Timer:
    """Wall and CPU seconds of a block (CPU of this process and its finished children)."""

    def __enter__(self) -> Self:
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def one_run() -> dict[str, tuple[float, float]]:
    """Upgrade a fresh database, then load the world and the year; returns {phase: (wall, cpu)}."""
    folder = Path(tempfile.mkdtemp(prefix="gbfield-bench-demo-"))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.db'}",
                          "GBFIELD_BLOB_DIR": str(folder / "blobs"),
           "PYTHONUNBUFFERED": "1"})
        out = {}
        with Timer() as t:
            upgrade_database(app)
        out["baseline: alembic upgrade head"] = (t.wall, t.cpu)
        with app.app_context():
            with Timer() as t:
                load_demo(with_inspections=False)
            out["world (users, catalog, products)"] = (t.wall, t.cpu)
            with Timer() as t, unit_of_work():
                counts = seed_year(photo_maker=demo_photos)
            out["year (seed_year)"] = (t.wall, t.cpu)
            assert counts["inspections"] >= 300, counts
        out["demo load (world + year)"] = tuple(a + b for a, b in zip(out["world (users, catalog, products)"],
                                                                      out["year (seed_year)"], strict=True))
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def serve_run() -> dict[str, tuple[float, float]]:
    """Start `gbfield serve --demo` on a fresh database; returns {phase: (wall, cpu)} up to
    its first answer (CPU of the child, read once it has stopped)."""
    folder = Path(tempfile.mkdtemp(prefix="gbfield-bench-serve-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}", "GBFIELD_BLOB_DIR": str(folder / "blobs"),
           "PYTHONUNBUFFERED": "1"}
    gbfield = Path(sys.executable).parent / "gbfield"
    started = time.perf_counter()
    before = os.times()
    proc = subprocess.Popen([str(gbfield), "serve", "--demo", "--host", "127.0.0.1", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url, loaded = None, None
        for line in proc.stdout:
            if line.startswith("demo data loaded"):
                loaded = time.perf_counter() - started
            found = re.search(r"gbfield server on (http://127\.0\.0\.1:\d+)", line)
            if found:
                url = found.group(1)
                break
            if time.perf_counter() - started > SERVE_DEADLINE_S:
                break
        if url is None:
            raise SystemExit(f"the server did not start within {SERVE_DEADLINE_S} s")
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=60):
                    break
            except OSError:
                if time.perf_counter() - started > SERVE_DEADLINE_S:
                    raise
                time.sleep(0.1)
        serving = time.perf_counter() - started
    finally:
        proc.stdout.close()
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    after = os.times()
    cpu = after.children_user + after.children_system - before.children_user - before.children_system
    return {"demo data loaded (printed)": (loaded or 0.0, 0.0), "serving (first answer of /)": (serving, cpu)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs (medians are printed; default 3)")
    parser.add_argument("--serve", action="store_true", help="time `gbfield serve --demo` to its first answer")
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)
    runs = []
    for n in range(args.runs):
        runs.append(serve_run() if args.serve else one_run())
        print(f"run {n + 1}: " + ", ".join(f"{k} {w:.1f}" for k, (w, _c) in runs[-1].items()), flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} (2 cores); medians of {args.runs} runs")
    print(f"{'phase':40} {'wall s':>8} {'cpu s':>8}")
    for phase in runs[0]:
        wall = statistics.median(r[phase][0] for r in runs)
        cpu = statistics.median(r[phase][1] for r in runs)
        print(f"{phase:40} {wall:8.1f} {cpu:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
