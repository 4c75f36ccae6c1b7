"""Benchmark of the console's work list at scale: GET /console/inspections/ (and its filters)
as a signed-in district supervisor, on PostgreSQL holding N inspections × 5 findings.

Run (PostgreSQL with fsync on, on loopback):
    source scripts/pg.sh; PG_FSYNC=on pg_start
    .venv/bin/python bench/console.py --db "$PG_URL" [--inspections 200000] [--requests 40]
    pg_stop
    .venv/bin/python bench/console.py --db sqlite:////tmp/demo.db --demo    # `make run`'s demo instead

Loads the rows with COPY (three districts; the supervisor sees one), VACUUM ANALYZEs (as
autovacuum would after the load), then times each
list page over `--requests` requests (p50 / p95 / max, ms) beside a baseline measured in the
same run: the compliance page for the same session (sign-in check, template, one query on an
empty table). Prints EXPLAIN (ANALYZE, BUFFERS) of the SQL the first page runs. With
`--without-indexes` the indexes of migrations 8e2f4a6c1d37 and d4a7c2e9f1b6 are dropped first (to show what
they buy). The database is left loaded (re-running reuses it when the counts match).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text

from cli.demo_photos import demo_photos
from cli.server import upgrade_database
from server.app import create_app
from server.app.demo import DEMO_PASSWORD, load_demo, seed_jurisdictions, seed_users
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work

DISTRICTS = ("110105", "110108", "310115")
INDICATORS = ("GB 18401-2010/4.1/formaldehyde/A", "GB 18401-2010/4.1/ph/A", "GB 17761-2024/4.1/max-speed",
              "GB 31701-2015/4.1/fibre-content", "GB 18580-2025/4/formaldehyde-emission/e1")
PAGES = {"list": "/console/inspections/", "submitted": "/console/inspections/?status=submitted",
         "disagreement": "/console/inspections/?disagreement=1", "company": "/console/inspections/?q=%E6%81%92%E4%BF%A1",
         "page 40": "/console/inspections/?page=40"}
NEW_INDEXES = ("ix_inspections_updated_at_id", "ix_inspections_path_pattern", "ix_inspections_status_updated_at",
               "ix_inspections_status_path", "ix_inspections_disagreement_path",
               "ix_inspections_disagreement_updated_at")


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(app, inspections: int, seed: int = 1) -> float:
    """COPY `inspections` inspections × 5 findings (skipped when already there); returns seconds."""
    with app.app_context():
        have = db.session.execute(text("SELECT count(*) FROM inspections")).scalar()
        if have >= inspections:
            return 0.0
        db.session.execute(text("TRUNCATE findings, flags, reviews, inspections CASCADE"))
        users = dict(db.session.execute(text("SELECT jurisdiction_code, id FROM users WHERE role = 'inspector'")).all())
        paths = dict(db.session.execute(text("SELECT code, path FROM jurisdictions")).all())
        db.session.commit()
    rng = random.Random(seed)
    started = time.perf_counter()
    now = datetime.now(UTC)
    with app.app_context():
        conn = db.engine.raw_connection()
        try:
            cur = conn.cursor()
            insp_rows, find_rows = [], []
            for n in range(inspections):
                code = DISTRICTS[n % len(DISTRICTS)]
                ident = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                day = date.today() - timedelta(days=rng.randrange(730))
                moment = now - timedelta(days=(date.today() - day).days, seconds=rng.randrange(86400))
                status = rng.choice(("approved",) * 6 + ("submitted", "submitted", "returned", "rejected"))
                company = f"{rng.choice(('恒信', '华联', '佳和', '永辉', '宏达'))}示例商贸有限公司{n % 997}"
                disagree = rng.random() < 0.03
                insp_rows.append((ident, 1, status, code, paths[code], users[code], day, company,
                                  f"91{code}MA{n:08d}"[:18], disagree, '{"photos": []}', moment, moment))
                for k in range(5):
                    outcome = "fail" if rng.random() < 0.08 else "pass"
                    find_rows.append((f"{ident[:-4]}{k:04d}", 1, ident, INDICATORS[k], "12.3", "mg/kg", outcome,
                                      outcome, disagree and k == 0, '{}', users[code], moment))
                if len(insp_rows) >= 20_000:
                    _flush(cur, insp_rows, find_rows)
            _flush(cur, insp_rows, find_rows)
            conn.commit()
        finally:
            conn.close()
    return time.perf_counter() - started


def vacuum(app) -> None:
    """VACUUM ANALYZE the loaded tables, as autovacuum does after a bulk load: statistics, and
    the visibility map that lets the page's count be an index-only scan (without it every
    index entry visits the heap)."""
    with app.app_context():
        conn = db.engine.raw_connection()
        try:
            conn.driver_connection.autocommit = True
            cur = conn.driver_connection.cursor()
            for table in ("inspections", "findings"):
                cur.execute(f"VACUUM (ANALYZE) {table}")
        finally:
            conn.driver_connection.autocommit = False
            conn.close()


def _flush(cur, insp_rows: list, find_rows: list) -> None:
    _copy(cur, "inspections", ("id", "version", "status", "jurisdiction_code", "jurisdiction_path", "inspector_id",
                               "inspected_on", "company_name", "credit_code", "has_disagreement", "data",
                               "created_at", "updated_at"), insp_rows)
    _copy(cur, "findings", ("id", "revision", "inspection_id", "indicator_id", "measured", "unit", "device_outcome",
                            "server_outcome", "disagrees", "data", "author_id", "created_at"), find_rows)
    insp_rows.clear()
    find_rows.clear()


def timed(client, path: str, requests: int) -> dict:
    """Return {p50, p95, max} in ms of `requests` GETs of `path` (after two warm-up GETs)."""
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(requests):
        t = time.perf_counter()
        resp = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, (path, resp.status_code)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "max": times[-1]}


def explain(app, client, path: str) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of every SELECT the page runs on inspections/findings."""
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and ("inspections" in statement or "findings" in statement):
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", grab)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    with app.app_context():
        conn = db.engine.raw_connection()
        try:
            cur = conn.cursor()
            for statement, parameters in seen:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                print("\n--- " + " ".join(statement.split())[:160] + " …")
                for (line,) in cur.fetchall():
                    print("   " + line)
            conn.rollback()
        finally:
            conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="postgresql+psycopg://… (fsync on)")
    parser.add_argument("--inspections", type=int, default=200_000, help="× 5 findings each (default 200000)")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--without-indexes", action="store_true")
    parser.add_argument("--demo", action="store_true",
                        help="instead of the COPY load: `make run`'s demo (any database, e.g. sqlite:///…)")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.db, "GBFIELD_PASSWORD_PROFILE": "cheapest-for-tests",
                      "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    upgrade_database(app)
    with app.app_context(), unit_of_work():
        seed_jurisdictions()
        seed_users()
    if args.demo:
        started = time.perf_counter()
        with app.app_context():
            load_demo(with_inspections=False, year=True, photo_maker=demo_photos)   # idempotent: reused
        seconds = time.perf_counter() - started
    else:
        seconds = load(app, args.inspections)
        vacuum(app)
    with app.app_context():
        dialect = db.engine.dialect.name
        postgres = dialect == "postgresql"
        fsync = db.session.execute(text("SHOW fsync")).scalar() if postgres else "(SQLite)"
        counts = db.session.execute(text("SELECT (SELECT count(*) FROM inspections), (SELECT count(*) FROM findings)")).one()
        if args.without_indexes:
            for name in NEW_INDEXES:
                db.session.execute(text(f"DROP INDEX IF EXISTS {name}"))
            db.session.commit()
    print(f"{'PostgreSQL' if postgres else dialect} fsync={fsync}; {counts[0]:,} inspections, {counts[1]:,} findings"
          f"{f' (loaded in {seconds:.0f} s)' if seconds else ''}; work-list indexes: "
          f"{'dropped' if args.without_indexes else 'present'}")
    client = app.test_client()
    page = client.get("/console/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    resp = client.post("/console/login", data={"username": "sup_chaoyang", "password": DEMO_PASSWORD,
                                                "csrf_token": token})
    assert resp.status_code in (302, 303), resp.status_code
    base = timed(client, "/console/compliance/", args.requests)
    print(f"{'page':14} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(f"{'baseline':14} {base['p50']:8.1f} {base['p95']:8.1f} {base['max']:8.1f}   (the compliance page)")
    for name, path in PAGES.items():
        r = timed(client, path, args.requests)
        print(f"{name:14} {r['p50']:8.1f} {r['p95']:8.1f} {r['max']:8.1f}   ({r['p95'] - base['p95']:+.1f} ms over the baseline's p95)")
    if postgres:
        explain(app, client, PAGES["list"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
