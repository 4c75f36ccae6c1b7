"""Sync benchmarks, each beside a baseline measured in the same run (medians of N runs).

    .venv/bin/python bench/sync.py [--runs 3] [--indicators 20000] [--db URL] [--only a,b,c]
                                   [--page N] [--profile]

(a) first sync of the synthetic catalog into an empty device  vs  a raw SQLite copy of the
    same rows (read from the server DB, executemany into a fresh file);
(b) push of 1,000 inspections × 5 findings  vs  one plain POST of the same bytes to an
    echo endpoint (target < 1 s); with the server process's CPU seconds (/proc), the figure
    a loaded machine changes least;
(c) incremental pull of 100 changes;
(d) push of 10,000 records (inspections, batches of 500)  vs  the floor on the same bytes:
    the same POSTs to an endpoint that parses the JSON and writes each body's items with
    ONE bulk insert (COPY on PostgreSQL, executemany on SQLite) into a scratch table of
    the same database (target: within 5x on PostgreSQL with fsync on).
A real server runs as a subprocess on loopback (SQLite in a temp dir unless --db).
--profile runs one more first sync under cProfile and prints the client's top 25 functions
by cumulative time (the server's work shows up as time waiting on the socket).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "integration"))  # its helper modules, imported by basename

import requests
import sqlalchemy as sa
from device_kit import client_for, enrol_device, fill_outbox
from server_process import ServerProcess

from sync.client import SyncReport
from sync.protocol import MAX_PULL_LIMIT


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) the process `pid` has used so far (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raw_copy(db_url: str, target: Path) -> float:
    """Seconds to read the catalog change rows from the server DB and write them raw."""
    t0 = time.perf_counter()
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT entity, entity_id, version, data FROM changes WHERE scope_path IS NULL ORDER BY seq")).all()
    engine.dispose()
    out = sqlite3.connect(target)
    out.execute("CREATE TABLE catalog (entity TEXT, id TEXT, version INTEGER, data TEXT, PRIMARY KEY (entity, id))")
    with out:
        out.executemany("INSERT OR REPLACE INTO catalog VALUES (?, ?, ?, ?)",
                        [(e, i, v, d if isinstance(d, str) else json.dumps(d, ensure_ascii=False))
                         for e, i, v, d in rows])
    out.close()
    return time.perf_counter() - t0


def echo_server():
    """Start a trivial WSGI echo endpoint in a thread; return (url, server)."""
    from werkzeug.serving import make_server

    def app(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"received": len(body)}).encode()]
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}/echo", httpd


def floor_server(db_url: str):
    """Start the floor endpoint (parse + one bulk insert per body) in a thread; return (url, server)."""
    from werkzeug.serving import make_server

    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1)
                              if db_url.startswith("postgresql://") else db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS bench_floor"))
        conn.execute(sa.text("CREATE TABLE bench_floor (mutation_id VARCHAR(36) PRIMARY KEY, "
                             "entity VARCHAR(30), id VARCHAR(36), base_version INTEGER, data TEXT)"))

    def app(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        items = json.loads(body)["items"]
        rows = [(i["mutation_id"], i["entity"], i["id"], i["base_version"],
                 json.dumps(i["data"], ensure_ascii=False, separators=(",", ":"))) for i in items]
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                raw = conn.connection.driver_connection
                with raw.cursor() as cur, cur.copy("COPY bench_floor FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                conn.exec_driver_sql("INSERT INTO bench_floor VALUES (?, ?, ?, ?, ?)", rows)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"stored": len(rows)}).encode()]
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}/floor", httpd


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=20000)
    parser.add_argument("--db", default=None, help="server DATABASE_URL (default: SQLite in a temp dir)")
    parser.add_argument("--only", default="a,b,c,d", help="which measurements (comma-separated)")
    parser.add_argument("--page", type=int, default=MAX_PULL_LIMIT, help="pull page size for (a)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile one extra first sync (client side), top 25 by cumulative time")
    args = parser.parse_args()
    only = set(args.only.split(","))
    work = Path(tempfile.mkdtemp(prefix="gbfield-bench-"))
    db_url = args.db or f"sqlite:///{work / 'server.db'}"
    t0 = time.perf_counter()
    server = ServerProcess(db_url, work, catalog=f"synthetic:{args.indicators}").start(timeout=600)
    print(f"server up with {args.indicators} synthetic indicators in {time.perf_counter() - t0:.1f} s ({db_url})")
    try:
        a, a_base, b, b_base, c, b_cpu, d_cpu = [], [], [], [], [], [], []
        a_rows, body = 0, b""
        for run in range(args.runs if "a" in only else 0):
            store = enrol_device(server.url, "li", work / f"first{run}.sqlite")
            client = client_for(store, pull_limit=args.page)
            t = time.perf_counter()
            report = client.sync()
            a.append(time.perf_counter() - t)
            assert report.ok, report.errors
            a_rows = report.pulled
            a_base.append(raw_copy(db_url, work / f"raw{run}.sqlite"))
        if args.profile:
            store = enrol_device(server.url, "li", work / "profiled.sqlite")
            client = client_for(store, pull_limit=args.page)
            profiler = cProfile.Profile()
            report = profiler.runcall(client.sync)
            assert report.ok, report.errors
            print(f"profile of one first sync ({report.pulled} changes, {report.seconds:.3f} s), "
                  "client side, top 25 by cumulative time:")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)

        echo_url, echo = echo_server()
        session = requests.Session()
        for run in range(args.runs if "b" in only else 0):
            store = enrol_device(server.url, "wang", work / f"push{run}.sqlite")
            client = client_for(store, push_batch=500, check_digest=False)
            assert client.sync().ok
            fill_outbox(store, inspections=1000, findings=5)
            items = store.outbox.sendable(100_000)
            body = json.dumps({"items": items}, ensure_ascii=False).encode("utf-8")
            t = time.perf_counter()
            session.post(echo_url, data=body, headers={"Content-Type": "application/json"}).raise_for_status()
            b_base.append(time.perf_counter() - t)
            report = SyncReport()
            t, cpu = time.perf_counter(), cpu_seconds(server.proc.pid)
            client.push(report)
            b.append(time.perf_counter() - t)
            b_cpu.append(cpu_seconds(server.proc.pid) - cpu)
            assert report.applied == 6000 and not store.outbox.items(), report
        echo.shutdown()

        if "c" in only:
            reader = enrol_device(server.url, "chen", work / "reader.sqlite")
            reader_client = client_for(reader, check_digest=False)
            writer = enrol_device(server.url, "chen", work / "writer.sqlite")
            writer_client = client_for(writer, check_digest=False)
            assert reader_client.sync().ok and writer_client.sync().ok
        for run in range(args.runs if "c" in only else 0):
            fill_outbox(writer, inspections=100, findings=0)
            assert writer_client.sync().applied == 100
            report = SyncReport()
            t = time.perf_counter()
            reader_client.pull(report)
            c.append(time.perf_counter() - t)
            assert report.pulled == 100, report

        d, d_floor = [], []
        if "d" in only:
            floor_url, floor = floor_server(db_url)
        for run in range(args.runs if "d" in only else 0):
            store = enrol_device(server.url, "wang", work / f"big{run}.sqlite")
            client = client_for(store, push_batch=500, check_digest=False)
            assert client.sync().ok
            fill_outbox(store, inspections=10_000, findings=0)
            bodies = [json.dumps({"items": store.outbox.sendable(100_000)[k:k + 500]}, ensure_ascii=False).encode()
                      for k in range(0, 10_000, 500)]
            t = time.perf_counter()
            for chunk in bodies:
                session.post(floor_url, data=chunk, headers={"Content-Type": "application/json"}).raise_for_status()
            d_floor.append(time.perf_counter() - t)
            with sa.create_engine(db_url).begin() as conn:
                conn.execute(sa.text("DELETE FROM bench_floor"))
            report = SyncReport()
            t, cpu = time.perf_counter(), cpu_seconds(server.proc.pid)
            client.push(report)
            d.append(time.perf_counter() - t)
            d_cpu.append(cpu_seconds(server.proc.pid) - cpu)
            assert report.applied == 10_000 and not store.outbox.items(), report
        if "d" in only:
            floor.shutdown()

        def med(values):
            return statistics.median(values) if values else float("nan")
        print(f"(a) first sync, {a_rows} changes: {med(a):.3f} s   raw SQLite copy {med(a_base):.3f} s   "
              f"ratio {med(a) / med(a_base):.2f}x   (target < 2 s and ≤ 3x)")
        print(f"(b) push 1000 inspections x 5 findings: {med(b):.3f} s   plain POST of the same "
              f"{len(body) / 1e6:.1f} MB {med(b_base):.3f} s   ratio {med(b) / med(b_base):.1f}x   server CPU {med(b_cpu):.2f} s   "
              f"(target < 1 s)")
        print(f"(c) incremental pull of 100 changes: {med(c):.4f} s   (target < 0.05 s)")
        print(f"(d) push of 10,000 records: {med(d):.3f} s   floor (POST + parse + one bulk insert per body) "
              f"{med(d_floor):.3f} s   ratio {med(d) / med(d_floor):.1f}x   server CPU {med(d_cpu):.2f} s   "
              f"(target ≤ 5x on PostgreSQL)")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        print("runs:", json.dumps({"a": a, "a_raw": a_base, "b": b, "b_post": b_base, "c": c, "d": d,
                                   "d_floor": d_floor, "b_server_cpu": b_cpu, "d_server_cpu": d_cpu}))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
