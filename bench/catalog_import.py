"""The server's catalog import: the real catalog plus N synthetic indicators into an empty
SQLite database, beside a baseline measured in the same run.

Run: .venv/bin/python bench/catalog_import.py [--indicators 20000] [--runs 3]

- import:   server.catalog.service.import_catalog (change rows, clauses, the rule set) inside
            one unit of work, as `gbfield catalog import` does
- baseline: the same indicator rows written as JSON text into one SQLite table with
            executemany (no change log, no rule set): the floor for "put N rows on disk"
The figure that matters is the ratio; the target is a first import of 20,000 indicators in
well under a minute on a loaded 2-core machine (it replaced a timed test: speed is measured
here, not asserted in the suite).
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import assets
from assets.synthetic import generate
from rules.catalog import Catalog
from server import create_app
from server.catalog.importer import catalog_rows
from server.catalog.service import import_catalog
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work


def full_catalog(indicators: int) -> Catalog:
    """Return the real catalog plus `indicators` synthetic indicators."""
    real = json.loads(assets.canonical_json(assets.load_catalog()))
    return Catalog.from_dicts(real + generate(indicators=indicators))


def run_import(catalog: Catalog, folder: Path) -> tuple[float, int]:
    """Import into a fresh SQLite database; return (seconds, indicators added)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'import.db'}",
                      "GBFIELD_PUBLIC_URL": "http://gbfield.test"})
    with app.app_context():
        db.create_all()
        start = time.perf_counter()
        with unit_of_work():
            summary = import_catalog(catalog, source="bench")
        elapsed = time.perf_counter() - start
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return elapsed, summary["indicator"]["added"]


def run_baseline(catalog: Catalog, folder: Path) -> float:
    """Write the indicator rows as JSON text with one executemany; return seconds."""
    rows = catalog_rows(catalog)["indicator"]
    start = time.perf_counter()
    connection = sqlite3.connect(folder / "baseline.db")
    connection.execute("CREATE TABLE indicator (id TEXT PRIMARY KEY, data TEXT NOT NULL)")
    connection.executemany("INSERT INTO indicator VALUES (?, ?)",
                           ((str(row["id"]), json.dumps(row, default=str, ensure_ascii=False))
                            for row in rows))
    connection.commit()
    connection.close()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalog = full_catalog(args.indicators)
    imports, baselines, added = [], [], 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="gbfield-bench-import-") as folder:
            baselines.append(run_baseline(catalog, Path(folder)))
            seconds, added = run_import(catalog, Path(folder))
            imports.append(seconds)
    base, new = statistics.median(baselines), statistics.median(imports)
    print(f"catalog import, {added} indicators added; medians of {args.runs} runs")
    print(f"  baseline: rows as JSON, one executemany   {base * 1000:9.1f} ms   1.00×")
    print(f"  import_catalog in one unit of work        {new * 1000:9.1f} ms   {new / base:6.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
