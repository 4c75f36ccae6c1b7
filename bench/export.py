"""Export benchmark: the console's findings export (CSV and XLSX) of N inspections × F
findings, beside a baseline in the same run — the same query's rows read from the cursor
and thrown away — with the resident memory printed as the rows go out.

    source scripts/pg.sh; pg_start            # PG_FSYNC=on for figures you quote
    .venv/bin/python bench/export.py --db "$PG_URL" [--inspections 100000] [--findings 5]
                                     [--runs 3] [--formats csv,xlsx] [--sizes 0.25,0.5,1]
    pg_stop

Rows are loaded with COPY (PostgreSQL) or executemany (SQLite, when --db is omitted: a
temp file, for a quick look). Each size exports the inspections of the first part of the
year (a date filter, as a supervisor would), so the row counts differ while everything
else stays the same; memory is read from /proc/self/statm every 50,000 rows.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa

from assets.messages import words
from server import create_app
from server.inspections import export
from server.inspections.listing import InspectionFilters, latest_findings, where_clauses
from server.inspections.models import Inspection
from server.kernel.auth import Principal
from server.kernel.console import tables
from server.kernel.extensions import db

INDICATOR = "GB 18401-2010/5.1/formaldehyde/A"
YEAR_START = date(2025, 1, 1)
SAMPLE_EVERY = 50_000
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Resident memory of this process now, in MiB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE / 2**20


def build(url: str, inspections: int, findings: int, reuse: bool = False) -> tuple:
    """Return (app, admin principal) with the schema, users, catalog and the rows loaded
    (with `reuse`, rows a previous run left with the same counts are kept)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "GBFIELD_PASSWORD_PROFILE": "cheapest-for-tests",
                      "SECRET_KEY": "bench"})
    with app.app_context():
        if reuse and _loaded(inspections, findings):
            admin = db.session.execute(sa.text("SELECT id FROM users WHERE username = 'admin'")).scalar()
            print(f"reusing {inspections:,} inspections × {findings} findings", flush=True)
            return app, Principal(admin, "admin", "admin", "110000", "/110000/", None, "bench")
        db.drop_all()
        db.create_all()
        from server.app import demo
        demo.seed_jurisdictions()
        demo.seed_users("bench-password-1")
        import assets
        from server.catalog.importer import import_catalog
        import_catalog(assets.load_catalog(), source="bench", effective_from=date(2000, 1, 1))
        db.session.commit()
        inspector = db.session.execute(sa.text("SELECT id FROM users WHERE username = 'insp_chaoyang'")).scalar()
        t0 = time.perf_counter()
        _load(inspector, inspections, findings)
        print(f"loaded {inspections:,} inspections × {findings} findings in {time.perf_counter() - t0:.1f} s",
              flush=True)
        admin = db.session.execute(sa.text("SELECT id FROM users WHERE username = 'admin'")).scalar()
    return app, Principal(admin, "admin", "admin", "110000", "/110000/", None, "bench")


def _loaded(inspections: int, findings: int) -> bool:
    try:
        counts = db.session.execute(sa.text(
            "SELECT (SELECT count(*) FROM inspections), (SELECT count(*) FROM findings)")).one()
    except sa.exc.DBAPIError:
        db.session.rollback()
        return False
    return tuple(counts) == (inspections, inspections * findings)


def _rows(inspector: int, inspections: int, findings: int):
    now = datetime(2025, 12, 31, tzinfo=UTC)
    for i in range(inspections):
        ident = str(uuid.UUID(int=i + 1))
        day = YEAR_START + timedelta(days=i * 365 // inspections)
        company = f"北京示例{i % 997}号商贸有限公司" if i % 50 else f"=HYPERLINK(\"x\")测试{i}"
        data = {"company_name": company, "address": f"北京市朝阳区示例路{i % 300}号", "product_name": "婴儿连体衣"}
        inspection = (ident, 2, "submitted", "110105", "/110000/110100/110105/", inspector, day, company,
                      "91110105MA01ABCD00", i % 7 == 0, json.dumps(data, ensure_ascii=False), now, now)
        rows = [(str(uuid.UUID(int=(i + 1) * 16 + k)), 1, ident, INDICATOR, str(10 + (i + k) % 15), "mg/kg",
                 "pass", "bench", "fail" if (i + k) % 9 == 0 else "pass", "bench", False,
                 json.dumps({"outcome": "pass", "limit_text": "≤20"}), "{}", inspector, now) for k in range(findings)]
        yield inspection, rows


INSPECTION_COLS = ("id", "version", "status", "jurisdiction_code", "jurisdiction_path", "inspector_id",
                   "inspected_on", "company_name", "credit_code", "has_disagreement", "data", "created_at",
                   "updated_at")
FINDING_COLS = ("id", "revision", "inspection_id", "indicator_id", "measured", "unit", "device_outcome",
                "device_ruleset_version", "server_outcome", "server_ruleset_version", "disagrees",
                "server_verdict", "data", "author_id", "created_at")


def _load(inspector: int, inspections: int, findings: int) -> None:
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY inspections ({', '.join(INSPECTION_COLS)}) FROM STDIN") as ins:
            for inspection, _ in _rows(inspector, inspections, 0):
                ins.write_row(inspection)
        with raw.cursor() as cur, cur.copy(f"COPY findings ({', '.join(FINDING_COLS)}) FROM STDIN") as fin:
            for _, rows in _rows(inspector, inspections, findings):
                for row in rows:
                    fin.write_row(row)
        db.session.commit()
        db.session.execute(sa.text("ANALYZE inspections"))
        db.session.execute(sa.text("ANALYZE findings"))
        db.session.commit()
        return
    ins_sql = sa.text(f"INSERT INTO inspections ({', '.join(INSPECTION_COLS)}) "
                      f"VALUES ({', '.join(':' + c for c in INSPECTION_COLS)})")
    fin_sql = sa.text(f"INSERT INTO findings ({', '.join(FINDING_COLS)}) "
                      f"VALUES ({', '.join(':' + c for c in FINDING_COLS)})")
    batch_i, batch_f = [], []
    for inspection, rows in _rows(inspector, inspections, findings):
        batch_i.append(dict(zip(INSPECTION_COLS, inspection)))
        batch_f += [dict(zip(FINDING_COLS, r)) for r in rows]
        if len(batch_i) >= 5000:
            db.session.execute(ins_sql, batch_i)
            db.session.execute(fin_sql, batch_f)
            batch_i, batch_f = [], []
    if batch_i:
        db.session.execute(ins_sql, batch_i)
        db.session.execute(fin_sql, batch_f)
    db.session.commit()


def baseline(principal: Principal, filters: InspectionFilters) -> tuple[float, int]:
    """Seconds to read the findings export's rows (same joins, same filter) and drop them."""
    latest, is_latest = latest_findings()
    query = (sa.select(Inspection.inspected_on, Inspection.company_name, Inspection.credit_code,
                       Inspection.jurisdiction_code, Inspection.inspector_id, Inspection.status,
                       latest.indicator_id, latest.measured, latest.unit, latest.device_outcome,
                       latest.server_outcome, latest.revision, Inspection.id, latest.id,
                       latest.server_verdict["limit_text"].as_string())
             .join(latest, latest.inspection_id == Inspection.id)
             .where(is_latest, *where_clauses(principal, filters))
             .order_by(Inspection.updated_at.desc(), Inspection.id, latest.id))
    t0, c0 = time.perf_counter(), time.process_time()
    count = sum(1 for _ in db.session.execute(query.execution_options(yield_per=export.BATCH)))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    db.session.rollback()
    return seconds, count, cpu


def run_export(principal: Principal, filters: InspectionFilters, fmt: str, samples: list) -> tuple:
    """Seconds, rows, bytes and CPU seconds of one findings export; appends (rows so far,
    RSS MiB) to samples."""
    zh = words("console", "zh")

    def counted():
        for n, row in enumerate(export.rows(principal, "findings", filters, zh), 1):
            if n % SAMPLE_EVERY == 0:
                samples.append((n, rss_mb()))
            yield row
    counter = {"rows": 0}

    def rows():
        for row in counted():
            counter["rows"] += 1
            yield row
    t0, c0 = time.perf_counter(), time.process_time()
    if fmt == "csv":
        size = sum(len(piece) for piece in tables.csv_chunks(export.header("findings", zh), rows()))
    else:
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            tables.write_xlsx(path, "findings", export.header("findings", zh), rows())
            size = os.path.getsize(path)
        finally:
            os.unlink(path)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    db.session.rollback()
    return seconds, counter["rows"], size, cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None, help="DATABASE_URL (default: SQLite in a temp dir)")
    parser.add_argument("--inspections", type=int, default=100_000)
    parser.add_argument("--findings", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--reuse", action="store_true", help="keep rows a previous run loaded")
    parser.add_argument("--sizes", default="0.25,0.5,1", help="parts of the year exported (date filter)")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app, admin = build(url, args.inspections, args.findings, args.reuse)
    print(f"database: {sa.make_url(url).get_backend_name()}; RSS after loading {rss_mb():.0f} MiB")
    with app.app_context():
        for part in (float(x) for x in args.sizes.split(",")):
            until = YEAR_START + timedelta(days=max(0, round(365 * part) - 1))
            filters = InspectionFilters(date_to=until)
            base = [baseline(admin, filters) for _ in range(args.runs)]
            base_s = statistics.median(b[0] for b in base)
            base_cpu = statistics.median(b[2] for b in base)
            print(f"\n-- inspections to {until} ({base[0][1]:,} finding rows); load average {os.getloadavg()[0]:.1f}")
            print(f"baseline: read the rows        {base_s:7.2f} s   1.00×   (this process's CPU {base_cpu:.1f} s)")
            for fmt in args.formats.split(","):
                results, samples = [], []
                for _ in range(args.runs):
                    samples.clear()
                    results.append(run_export(admin, filters, fmt, samples))
                seconds = statistics.median(r[0] for r in results)
                cpu = statistics.median(r[3] for r in results)
                rows, size = results[0][1], results[0][2]
                print(f"export {fmt:4}: {rows:,} rows    {seconds:7.2f} s  {seconds / base_s:5.2f}×  "
                      f"{size / 2**20:6.1f} MiB file  ({rows / seconds:,.0f} rows/s; CPU {cpu:.1f} s)")
                if samples:
                    print("    RSS MiB at rows: " + ", ".join(f"{n // 1000}k={mb:.0f}" for n, mb in samples))
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
