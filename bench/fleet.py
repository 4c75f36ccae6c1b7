"""A province of tablets: the scaled deployment on loopback and N simulated tablets, each
doing a day's work, bounded in count and time.

    source scripts/pg.sh; PG_FSYNC=on pg_start
    .venv/bin/python bench/fleet.py --db "$PG_URL" [--tablets 200] [--workers 4] [--procs 4]
        [--indicators 20000] [--inspections 20] [--findings 5] [--photos 3] [--photo-kb 60]
        [--questions 2] [--pace 1.0] [--ramp 60] [--max-minutes 20]

Starts SeaweedFS, gunicorn (server/app/gunicorn_conf.py: gthread workers, keep-alive,
Prometheus multiprocess) and ONE `gbfield scheduler` on the given PostgreSQL; seeds the
synthetic catalog. Each tablet (threads in `--procs` client processes): enrols, pulls the
catalog (first sync), records `--inspections` × `--findings` with `--photos` photos each
and `--questions` questions, syncing every 5 inspections with pauses of `--pace` × 0.5–1.5 s
between inspections (the tablets start one by one over `--ramp` seconds; a tablet whose
first sync gives up syncs again until its catalog is in); then a supervisor reviews one
inspection per tablet and every tablet pulls its review outcome. Prints throughput, p50/p95/p99 per request kind, errors,
server CPU and memory, bytes on the wire (request and answer bodies as sent, from
/metrics), and lost / duplicated records and photos counted from the database afterwards.
Targets: 0 errors, 0 lost, 0 duplicated, push p99 < 1 s.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "tests" / "support"))

import requests
import sqlalchemy as sa
from device_kit import PASSWORD, H, login
from seaweed import start_seaweedfs, stop
from serve_app import seed

BIN = Path(sys.executable).parent
KINDS = (("/sync/push", "push"), ("/sync/pull", "pull"), ("/sync/digest", "digest"),
         ("/uploads", "upload"), ("/devices/enrol", "enrol"), ("/photos/check", "photo_check"))


def kind_of(method: str, url: str) -> str:
    """Return the request kind of a tablet's request (push, pull, upload, …)."""
    path = urlsplit(url).path
    for fragment, kind in KINDS:
        if fragment in path:
            return kind if kind != "upload" else f"upload_{method.lower()}"
    return path


# ---- the tablets (run in client processes) ------------------------------------------------

def tablet_day(n: int, url: str, code: str, work: Path, args: dict, deadline: float) -> dict:
    """One tablet's day; returns what it made and every request's (kind, seconds, status)."""
    from device import DeviceRecords, open_store
    from device.trust import CatalogTrust
    from server.photos.samples import make_noise_jpeg
    from sync.client import HttpTransport, RetryPolicy, SyncClient
    from sync.client.uploads import PhotoUploader

    rng = random.Random(n)
    timings: list[tuple[str, float, int]] = []
    time.sleep(args["ramp"] * n / max(1, args["tablets"]))   # tablets start over the ramp, not all at once

    def record(resp, *_a, **_kw):
        timings.append((kind_of(resp.request.method, resp.request.url), resp.elapsed.total_seconds(),
                        resp.status_code))
    transport = HttpTransport(url)
    transport.session.hooks["response"].append(record)
    answer = transport.enrol(code, f"fleet-{n}", "bench", password=PASSWORD)   # the officer confirms with their own password
    store = open_store(work / f"tablet-{n}.sqlite")
    store.state.save_credentials({"server_url": url, "device_id": answer["device_id"],
                                  "token": answer["token"], "user": answer["user"]})
    CatalogTrust(store.state).remember(answer.get("catalog_keys"))
    transport.token = answer["token"]
    retry = RetryPolicy(max_attempts=8, base_delay=0.5, max_delay=5, max_total=120)
    uploader = PhotoUploader(url, answer["token"], session=transport.session, retry=retry, url_store=store.photos)
    client = SyncClient(store, transport, retry=retry, uploader=uploader, check_digest=False)
    errors: list[str] = []

    def sync() -> None:
        report = client.sync()
        errors.extend(report.errors)

    indicators: list[str] = []
    while not indicators:                    # the first sync: the whole catalog (again until it is in)
        sync()
        indicators = [r[0] for r in store.db.execute(
            "SELECT id FROM catalog WHERE entity = 'indicator' ORDER BY id LIMIT 200")]
        if not indicators and time.monotonic() > deadline:
            errors.append("first sync: no catalog by the time limit")
            return {"n": n, "made": {}, "timings": timings, "errors": errors, "outbox_left": 0,
                    "device_id": answer["device_id"]}
    records = DeviceRecords(store)
    made = {"inspections": [], "findings": [], "photos": [], "questions": []}
    for k in range(args["inspections"]):
        if time.monotonic() > deadline:
            errors.append("stopped at the time limit")
            break
        iid = records.create_inspection("2025-06-01", draft=False, company_name=f"测试企业{n}-{k}", address="北京市朝阳区示例路1号")
        made["inspections"].append(iid)
        for f in range(args["findings"]):
            made["findings"].append(records.add_finding(iid, indicators[(n + k + f) % len(indicators)],
                                                        f"{rng.randint(1, 40)}.{f}", None))
        for p in range(args["photos"]):
            path = work / f"photo-{n}-{k}-{p}.jpg"
            path.write_bytes(make_noise_jpeg(args["photo_kb"] * 1024, seed=n * 100_000 + k * 10 + p))
            made["photos"].append(records.attach_photo(iid, path))
        if k < args["questions"]:
            made["questions"].append(records.ask_question(f"第{k}项指标的判定依据是什么？（平板{n}）",
                                                          inspection_id=iid))
        if k % 5 == 4:
            sync()
        time.sleep(args["pace"] * rng.uniform(0.5, 1.5))
    sync()
    left = len(store.outbox.items())
    transport.close()
    store.close()
    return {"n": n, "made": made, "timings": timings, "errors": errors, "outbox_left": left,
            "device_id": answer["device_id"]}


def tablet_reviews(n: int, url: str, work: Path) -> dict:
    """Pull the review outcomes into tablet `n`'s store; returns how many it holds."""
    from device import open_store
    from sync.client import HttpTransport, RetryPolicy, SyncClient

    timings: list[tuple[str, float, int]] = []
    store = open_store(work / f"tablet-{n}.sqlite")
    transport = HttpTransport(url, store.state.credentials()["token"])
    transport.session.hooks["response"].append(
        lambda resp, *_a, **_k: timings.append((kind_of(resp.request.method, resp.request.url),
                                                resp.elapsed.total_seconds(), resp.status_code)))
    report = SyncClient(store, transport, retry=RetryPolicy(max_attempts=8, base_delay=0.5, max_total=120),
                        check_digest=False, uploader=None).sync()
    reviews = store.db.execute("SELECT count(*) FROM records WHERE entity = 'review'").fetchone()[0] \
        if _has_table(store, "records") else None
    transport.close()
    store.close()
    return {"n": n, "timings": timings, "errors": report.errors, "reviews": reviews}


def _has_table(store, name: str) -> bool:
    return store.db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def run_tablets(fn, jobs: list[tuple], threads: int) -> list[dict]:
    """Run `fn(*job)` for every job on `threads` threads (one client process)."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(fn, *job) for job in jobs]
        out = []
        for future in futures:
            try:
                out.append(future.result())
            except Exception as exc:  # noqa: BLE001 — a crashed tablet is an error in the table
                out.append({"errors": [f"tablet crashed: {type(exc).__name__}: {exc}"], "timings": []})
        return out


# ---- the deployment -------------------------------------------------------------------------

class ProcessSampler:
    """Samples CPU seconds and resident memory of a process tree every second."""

    def __init__(self, pid: int):
        self.pid, self.cpu, self.peak_rss, self._stop = pid, 0.0, 0, threading.Event()
        self._seen: dict[int, float] = {}
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _tree(self) -> list[int]:
        pids, out = [self.pid], []
        while pids:
            pid = pids.pop()
            out.append(pid)
            try:
                pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
            except OSError:
                pass
        return out

    def _run(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while not self._stop.wait(1.0):
            rss = 0
            for pid in self._tree():
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    self._seen[pid] = (int(fields[11]) + int(fields[12])) / tick
                    rss += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
                except (OSError, IndexError, ValueError):
                    pass
            self.peak_rss = max(self.peak_rss, rss)
            self.cpu = sum(self._seen.values())

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=5)


def metric_total(url: str, name: str) -> dict[str, float]:
    """Return {labels: value} of one metric family from /metrics."""
    out = {}
    for line in requests.get(url + "/metrics", timeout=30).text.splitlines():
        if line.startswith(name + "{"):
            labels, value = line[len(name):].rsplit(" ", 1)
            out[labels] = float(value)
    return out


def start_deployment(args, work: Path) -> tuple[dict, list[subprocess.Popen], str]:
    """Start SeaweedFS, gunicorn and the scheduler; return (env, processes, url)."""
    weed, endpoint = start_seaweedfs(work / "seaweed")
    metrics_dir = work / "prom"
    metrics_dir.mkdir()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": args.db, "GBFIELD_BLOB_STORE": "s3", "GBFIELD_S3_BUCKET": "fleet",
           "GBFIELD_S3_ENDPOINT_URL": endpoint.url, "GBFIELD_S3_ACCESS_KEY": endpoint.access_key,
           "GBFIELD_S3_SECRET_KEY": endpoint.secret_key, "SECRET_KEY": "fleet-bench-secret",
           "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "GBFIELD_WEB_BIND": f"127.0.0.1:{port}",
           "GBFIELD_WEB_WORKERS": str(args.workers), "GBFIELD_WEB_THREADS": str(args.threads),
           "GBFIELD_LOG_FORMAT": "json"}
    log = open(work / "gunicorn.log", "wb")  # noqa: SIM115 — the child keeps it
    web = subprocess.Popen([str(BIN / "gunicorn"), "-c", "python:server.app.gunicorn_conf", "server:create_app()"],
                           env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    slog = open(work / "scheduler.log", "wb")  # noqa: SIM115
    scheduler = subprocess.Popen([str(BIN / "gbfield"), "scheduler"], env=env, stdout=slog,
                                 stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/api/v1/health", timeout=2, headers=H).status_code == 200:
                return env, [web, scheduler, weed], url
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError((work / "gunicorn.log").read_text(errors="replace")[-3000:])


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def enrolment_codes(url: str, count: int) -> list[str]:
    """Return `count` one-time enrolment codes for the demo inspectors (made by zhao)."""
    token = login(url, "zhao")
    users = ("li", "wang", "chen")
    codes = []
    with requests.Session() as session:
        for n in range(count):
            r = session.post(f"{url}/api/v1/devices/enrolments", json={"username": users[n % 3]},
                             headers={**H, "Authorization": f"Bearer {token}"}, timeout=30)
            r.raise_for_status()
            codes.append(r.json()["code"])
    return codes


def review_one_per_tablet(url: str, days: list[dict]) -> int:
    """Approve the first inspection of every tablet (as supervisor zhao); return how many."""
    token = login(url, "zhao")
    done = 0
    with requests.Session() as session:
        for day in days:
            made = day.get("made", {}).get("inspections") or []
            if made:
                r = session.post(f"{url}/api/v1/inspections/{made[0]}/reviews", json={"outcome": "approved",
                                 "comment": "符合要求"}, headers={**H, "Authorization": f"Bearer {token}"}, timeout=30)
                done += r.status_code in (200, 201)
    return done


def count_from_database(db_url: str, days: list[dict]) -> dict:
    """Lost and duplicated records and photos, counted from the database."""
    want = defaultdict(set)
    for day in days:
        for key, ids in day.get("made", {}).items():
            want[key].update(ids)
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        def ids(sql):
            return [r[0] for r in conn.execute(sa.text(sql))]
        have = {"inspections": ids("SELECT id FROM inspections"),
                "findings": ids("SELECT id FROM findings"),
                "photos": ids("SELECT sha256 FROM photos"),
                "questions": ids("SELECT id FROM questions")}
        dup_changes = conn.execute(sa.text(
            "SELECT count(*) FROM (SELECT entity, entity_id, version FROM changes "
            "GROUP BY entity, entity_id, version HAVING count(*) > 1) d")).scalar()
    engine.dispose()
    out = {}
    for key in ("inspections", "findings", "photos", "questions"):
        got = have[key]
        out[key] = {"made": len(want[key]), "lost": len(want[key] - set(got)),
                    "duplicated": len(got) - len(set(got))}
    out["duplicated_changes"] = dup_changes
    return out


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="PostgreSQL URL (an empty database)")
    parser.add_argument("--tablets", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--procs", type=int, default=4, help="client processes (tablets run as threads in them)")
    parser.add_argument("--indicators", type=int, default=20000)
    parser.add_argument("--inspections", type=int, default=20)
    parser.add_argument("--findings", type=int, default=5)
    parser.add_argument("--photos", type=int, default=3)
    parser.add_argument("--photo-kb", type=int, default=60)
    parser.add_argument("--questions", type=int, default=2)
    parser.add_argument("--pace", type=float, default=1.0, help="seconds of pause between inspections (× 0.5–1.5)")
    parser.add_argument("--ramp", type=float, default=60, help="seconds over which the tablets start")
    parser.add_argument("--max-minutes", type=float, default=20)
    parser.add_argument("--push-p99-target", type=float, default=1.0,
                        help="seconds (the suite's short run on a shared CI machine passes a looser one)")
    args = parser.parse_args()
    if args.tablets > 1000:
        parser.error("at most 1000 tablets")
    work = Path(tempfile.mkdtemp(prefix="gbfield-fleet-"))
    from server import create_app
    t0 = time.perf_counter()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.db})
    seed(app, f"synthetic:{args.indicators}")
    with app.app_context():
        from server.kernel.extensions import db
        db.engine.dispose()
    print(f"seeded {args.indicators} synthetic indicators in {time.perf_counter() - t0:.0f} s; work in {work}")
    _env, procs, url = start_deployment(args, work)
    sampler = ProcessSampler(procs[0].pid)
    try:
        codes = enrolment_codes(url, args.tablets)
        bytes_before = metric_total(url, "gbfield_body_bytes_total")
        deadline = time.monotonic() + args.max_minutes * 60
        params = {k: getattr(args, k) for k in ("inspections", "findings", "photos", "photo_kb", "questions", "pace",
                                                "ramp", "tablets")}
        shares = [[(n, url, codes[n], work, params, deadline) for n in range(p, args.tablets, args.procs)]
                  for p in range(args.procs)]
        threads = max(1, -(-args.tablets // args.procs))
        cpu0 = sampler.cpu
        t_start = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(args.procs) as pool:
            days = [d for part in pool.starmap(run_tablets, [(tablet_day, s, threads) for s in shares]) for d in part]
            day_seconds = time.perf_counter() - t_start
            reviewed = review_one_per_tablet(url, days)
            pulls = [[(n, url, work) for n in range(p, args.tablets, args.procs)] for p in range(args.procs)]
            outcomes = [d for part in pool.starmap(run_tablets, [(tablet_reviews, s, threads) for s in pulls])
                        for d in part]
        wall = time.perf_counter() - t_start
        time.sleep(1.5)
        cpu = sampler.cpu - cpu0
        bytes_after = metric_total(url, "gbfield_body_bytes_total")
    finally:
        sampler.stop()
        for proc in procs[:2]:
            proc.send_signal(signal.SIGTERM)
        for proc in procs[:2]:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        stop(procs[2])
    counts = count_from_database(args.db, days)
    by_kind = defaultdict(list)
    statuses = defaultdict(int)
    for d in days + outcomes:
        for kind, seconds, status in d.get("timings", []):
            by_kind[kind].append(seconds)
            if status >= 500:
                statuses[kind] += 1
    errors = [e for d in days + outcomes for e in d.get("errors", [])]
    kinds = Counter(e.split(":", 1)[0][:60] for e in errors)
    left = sum(d.get("outbox_left", 0) for d in days)
    got_reviews = sum(1 for d in outcomes if d.get("reviews"))
    made = sum(len(d.get("made", {}).get("inspections", [])) + len(d.get("made", {}).get("findings", []))
               for d in days)
    wire_in = sum(v for k, v in bytes_after.items() if 'direction="in"' in k) - \
        sum(v for k, v in bytes_before.items() if 'direction="in"' in k)
    wire_out = sum(v for k, v in bytes_after.items() if 'direction="out"' in k) - \
        sum(v for k, v in bytes_before.items() if 'direction="out"' in k)
    print(f"\nfleet: {args.tablets} tablets × ({args.inspections} inspections × {args.findings} findings, "
          f"{args.photos} photos each, {args.questions} questions), catalog {args.indicators} indicators, "
          f"gunicorn {args.workers} workers × {args.threads} threads, load average {os.getloadavg()[0]:.1f}")
    print(f"day: {day_seconds:.1f} s, then reviews pulled; wall {wall:.1f} s; "
          f"{made / day_seconds:.1f} records/s pushed; {sum(len(v) for v in by_kind.values()) / wall:.1f} requests/s")
    print(f"{'kind':<14}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'5xx':>6}")
    for kind in sorted(by_kind):
        values = by_kind[kind]
        print(f"{kind:<14}{len(values):>8}{percentile(values, .5) * 1000:>10.0f}{percentile(values, .95) * 1000:>10.0f}"
              f"{percentile(values, .99) * 1000:>10.0f}{statuses[kind]:>6}")
    print(f"errors: {len(errors)}   outbox items left: {left}   reviews pulled: {got_reviews}/{reviewed}")
    for kind, count in kinds.most_common(8):
        print(f"   {count:>5} × {kind}: {next(e for e in errors if e.startswith(kind))[:200]}")
    print(f"server CPU {cpu:.0f} s ({cpu / wall:.2f} cores), peak memory {sampler.peak_rss / 2**20:.0f} MiB")
    print(f"bytes on the wire (bodies as sent): in {wire_in / 1e6:.1f} MB, out {wire_out / 1e6:.1f} MB")
    print("database:", json.dumps(counts, ensure_ascii=False))
    push = by_kind.get("push", [])
    ok = (not errors and all(v["lost"] == 0 and v["duplicated"] == 0 for k, v in counts.items() if isinstance(v, dict))
          and counts["duplicated_changes"] == 0 and (not push or percentile(push, .99) < args.push_p99_target))
    print(f"targets (0 errors, 0 lost, 0 duplicated, push p99 < {args.push_p99_target:g} s):",
          "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
