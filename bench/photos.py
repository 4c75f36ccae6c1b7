"""Photo upload benchmark: tus (our client) against plain PUTs of the same bytes, same run.

    .venv/bin/python bench/photos.py [--photos 50] [--runs 3] [--chunk-mb 4] [--link-mbit 100]

Makes N synthetic noise JPEGs of 3–4 MB (they do not compress), starts a real server as a
subprocess on loopback (SQLite + folder blobs in a temp dir, fsync on, as deployed), then
per run, on fresh servers:
  (i)   plain PUT: each photo's bytes in one PUT to a trivial endpoint that writes them to a
        file (fsync): the issue's baseline, the floor any upload protocol pays;
  (ii)  checked PUT: each photo in one PUT to an endpoint doing what a tus completion does
        (token, sha256 while receiving, Pillow decode, move into the blob store with fsync,
        photos row + evidence event in one commit): the evidence checks without tus;
  (iii) tus: each photo through sync.client.uploads (one check for the batch, create,
        chunked PATCH with a sha256 per chunk; the server verifies and stores as in (ii));
  (c)   resume: a third of the photos are cut after half their bytes (the app is killed),
        then a new uploader continues from the server's offset (HEAD): overhead against (iii).
Prints MB/s per run, the ratios tus/(i) (target >= 0.5) and tus/(ii) (protocol overhead
alone), and their medians.

On loopback the "network" costs nothing, so (i) measures the receive path only while (ii)
and (iii) pay the server's Pillow decode of each photo (required: a corrupt file must get
its 4xx before it is acknowledged), which costs several times what receiving the bytes
does. (d) repeats (i) and (iii) for ``--link-photos`` photos through a proxy limited to
``--link-mbit`` (a tablet on Wi-Fi), where the link, not the CPU, is the bottleneck.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests

from server.photos.samples import make_noise_jpeg
from sync.client.uploads import MemoryUrlStore, PhotoUploader, UploadResult

MB = 1024 * 1024


def serve(folder: str) -> None:
    """Subprocess mode: a loopback photo server plus a trivial PUT endpoint; prints
    {"url", "token"} on one line, serves until killed."""
    from flask import request

    from server.app import loopback

    app = loopback.make_app(folder)
    sink = Path(folder) / "put"
    sink.mkdir()

    def plain_put(name: str):
        with open(sink / name, "wb") as handle:
            while chunk := request.stream.read(256 * 1024):
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        return "", 204

    def checked_put(sha256: str):
        return _checked_put(sha256, Path(folder) / "checked")

    app.add_url_rule("/bench/put/<name>", "bench_put", plain_put, methods=["PUT"])
    app.add_url_rule("/bench/checked/<sha256>", "bench_checked", checked_put, methods=["PUT"])
    with app.app_context():
        token = loopback.device_token("insp_chaoyang", label="bench")[1]
    with loopback.serve(app) as url:
        print(json.dumps({"url": url, "token": token}), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


def _checked_put(sha256: str, scratch: Path):
    """(ii): receive one photo in one PUT and store it exactly as a tus completion does."""
    from flask import request

    from server.kernel.auth import current_principal
    from server.kernel.extensions import db
    from server.photos import service as photos
    from server.photos.errors import PhotoError

    principal = current_principal()
    scratch.mkdir(exist_ok=True)
    part = scratch / f"{sha256}.part"
    running = hashlib.sha256()
    with open(part, "wb") as handle:
        while chunk := request.stream.read(1024 * 1024):
            handle.write(chunk)
            running.update(chunk)
    try:
        photos.store_photo(part.read_bytes(), sha256, principal, source_path=str(part),
                           known_sha256=running.hexdigest())
        db.session.commit()
    except PhotoError:
        db.session.rollback()
        raise
    finally:
        part.unlink(missing_ok=True)
    return "", 204


class Server:
    """The server subprocess for one run."""

    def __enter__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="gbfield-bench-photos-")
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", self.folder.name],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("bench server did not start")
        info = json.loads(line)
        self.url, self.token = info["url"], info["token"]
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.folder.cleanup()


def plain_put(server: Server, photos: list[bytes]) -> float:
    """Seconds to PUT every photo once."""
    session = requests.Session()
    started = time.perf_counter()
    for n, photo in enumerate(photos):
        response = session.put(f"{server.url}/bench/put/p{n}", data=photo,
                               headers={"Content-Type": "application/octet-stream"})
        response.raise_for_status()
    return time.perf_counter() - started


def checked_put(server: Server, photos: list[bytes]) -> float:
    """Seconds to PUT every photo once to the endpoint that verifies and stores like tus."""
    session = requests.Session()
    headers = {"Content-Type": "application/octet-stream", "Authorization": f"Bearer {server.token}"}
    started = time.perf_counter()
    for photo in photos:
        response = session.put(f"{server.url}/bench/checked/{hashlib.sha256(photo).hexdigest()}", data=photo,
                               headers=headers)
        response.raise_for_status()
    return time.perf_counter() - started


def tus(server: Server, photos: list[bytes], chunk: int) -> float:
    """Seconds to upload every photo through tus (one check for the batch, as the device does)."""
    uploader = PhotoUploader(server.url, server.token, chunk_size=chunk)
    started = time.perf_counter()
    results = uploader.upload_many(photos)
    assert all(r.status == "uploaded" for r in results), results
    return time.perf_counter() - started


class ThrottledLink:
    """A loopback TCP proxy passing client→server bytes at ``mbit`` Mbit/s (a slow uplink)."""

    def __init__(self, upstream_url: str, mbit: float) -> None:
        self.upstream = urlsplit(upstream_url)
        self.rate = mbit * 1_000_000 / 8
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection((self.upstream.hostname, self.upstream.port))
            threading.Thread(target=self._pipe, args=(client, server, self.rate), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, None), daemon=True).start()

    @staticmethod
    def _pipe(source, target, rate) -> None:
        started, passed = time.perf_counter(), 0
        try:
            while chunk := source.recv(64 * 1024):
                target.sendall(chunk)
                passed += len(chunk)
                if rate:
                    ahead = passed / rate - (time.perf_counter() - started)
                    if ahead > 0:
                        time.sleep(ahead)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def close(self) -> None:
        self.listener.close()


def resumed(server: Server, photos: list[bytes], chunk: int) -> tuple[float, int]:
    """Seconds to upload photos cut after half their bytes and resumed; extra requests."""
    started = time.perf_counter()
    requests_before_cut = 0
    for photo in photos:
        sha = hashlib.sha256(photo).hexdigest()
        urls = MemoryUrlStore()
        first = PhotoUploader(server.url, server.token, chunk_size=chunk, url_store=urls)
        url = first._create(photo, sha, None)
        half = len(photo) // 2
        first._patch_until_done(url, photo[:half], 0, UploadResult(sha, "uploaded"))   # then the app dies
        again = PhotoUploader(server.url, server.token, chunk_size=chunk, url_store=urls).upload(photo)
        assert again.resumed_from == half, again
        requests_before_cut += 1
    return time.perf_counter() - started, requests_before_cut


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chunk-mb", type=float, default=4.0)
    parser.add_argument("--link-mbit", type=float, default=100.0, help="throttled link speed for (d); 0 = skip")
    parser.add_argument("--link-photos", type=int, default=8, help="photos sent over the throttled link")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    chunk = int(args.chunk_mb * MB)
    t0 = time.perf_counter()
    photos = [make_noise_jpeg(3 * MB + (n * 37_000) % MB, seed=1000 + n) for n in range(args.photos)]
    total = sum(map(len, photos))
    sizes = sorted(len(p) for p in photos)
    print(f"{len(photos)} noise JPEGs, {sizes[0] / MB:.2f}–{sizes[-1] / MB:.2f} MB, {total / MB:.0f} MB in all "
          f"(made in {time.perf_counter() - t0:.1f} s); tus chunk {args.chunk_mb:g} MB")
    cut = photos[: max(1, len(photos) // 3)]
    rows = []
    for run in range(1, args.runs + 1):
        with Server() as server:
            put_s = plain_put(server, photos)
            tus_s = tus(server, photos, chunk)
        with Server() as server:
            checked_s = checked_put(server, photos)
        with Server() as server:
            base_s = tus(server, cut, chunk)
        with Server() as server:
            res_s, _ = resumed(server, cut, chunk)
        put_mbs, checked_mbs, tus_mbs = total / MB / put_s, total / MB / checked_s, total / MB / tus_s
        row = {"put": put_mbs, "checked": checked_mbs, "tus": tus_mbs, "ratio": tus_mbs / put_mbs,
               "ratio_checked": tus_mbs / checked_mbs, "resume_overhead": res_s / base_s - 1}
        line = (f"run {run}: loopback (i) plain PUT {put_mbs:6.1f} MB/s | (ii) checked PUT {checked_mbs:5.1f} MB/s | "
                f"(iii) tus {tus_mbs:5.1f} MB/s | tus/(i) {row['ratio']:.2f} | tus/(ii) {row['ratio_checked']:.2f}"
                f"\n       cut-and-resumed {len(cut)} photos: {res_s:.2f} s vs {base_s:.2f} s uncut "
                f"(overhead {row['resume_overhead']:+.0%})")
        if args.link_mbit:
            linked = photos[: args.link_photos]
            linked_total = sum(map(len, linked))
            with Server() as server:
                link = ThrottledLink(server.url, args.link_mbit)
                server.url = link.url
                link_put = linked_total / MB / plain_put(server, linked)
                link_tus = linked_total / MB / tus(server, linked, chunk)
                link.close()
            row.update(link_put=link_put, link_tus=link_tus, link_ratio=link_tus / link_put)
            line += (f"\n       {args.link_mbit:g} Mbit/s link: plain PUT {link_put:5.2f} MB/s | tus {link_tus:5.2f} MB/s "
                     f"| ratio {row['link_ratio']:.2f}")
        rows.append(row)
        print(line, flush=True)
    median = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
    verdict = "meets" if median["ratio"] >= 0.5 else "MISSES"
    print(f"median of {len(rows)}: loopback (i) plain PUT {median['put']:.1f} MB/s, (ii) checked PUT "
          f"{median['checked']:.1f} MB/s, (iii) tus {median['tus']:.1f} MB/s; tus/(i) {median['ratio']:.2f} "
          f"({verdict} the 0.5 target), tus/(ii) {median['ratio_checked']:.2f} (protocol overhead alone); "
          f"resume overhead {median['resume_overhead']:+.0%} "
          f"(0 bytes resent: resumes at the server's offset; +1 HEAD and +1 check per resumed photo)")
    if args.link_mbit:
        verdict = "meets" if median["link_ratio"] >= 0.5 else "MISSES"
        print(f"median of {len(rows)}: {args.link_mbit:g} Mbit/s link plain PUT {median['link_put']:.2f} MB/s, "
              f"tus {median['link_tus']:.2f} MB/s, ratio {median['link_ratio']:.2f} ({verdict} the 0.5 target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
