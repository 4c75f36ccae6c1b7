"""What signing a pull page costs: the server's signature and the tablet's check, beside
building the same page (the baseline), on the full real catalog pulled from 0.

Run: .venv/bin/python bench/signing.py [--runs 7]
Prints the median of each step over the runs (ms) and the page size.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "server"))

from server_testkit import Api, dispose_app, make_app

from server.kernel.auth import current_principal
from server.kernel.signing import signer
from server.syncing import pull
from sync.protocol import DATA_TEXT, MAX_PULL_LIMIT, check_pull_page
from sync.protocol.catalog_signing import parse_keys, signed_block, verify_page


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{folder}/bench.db")
        api = Api(app)
        token = api.device("insp_chaoyang")
        with app.test_request_context(headers={"Authorization": f"Bearer {token}", "X-Gbfield-Protocol": "1"}):
            app.preprocess_request()
            who = current_principal()
            body = pull.pull_json(who, 0, MAX_PULL_LIMIT, (), None, DATA_TEXT)
            page_ms = median_ms(lambda: pull.pull_json(who, 0, MAX_PULL_LIMIT, (), None, DATA_TEXT), args.runs)
            sign = signer()
            headers = sign.headers(body)
            sign_ms = median_ms(lambda: sign.headers(body), args.runs)
        import orjson

        trusted = parse_keys(headers["X-Gbfield-Catalog-Keys"])
        parse_ms = median_ms(lambda: check_pull_page(orjson.loads(body)), args.runs)
        verify_ms = median_ms(lambda: verify_page(signed_block(body, headers), trusted), args.runs)
        dispose_app(app)
    rows = len(orjson.loads(body)["changes"])
    print(f"page: {rows} changes, {len(body) / 1024:.0f} KiB (the whole catalog, since=0, data=text)")
    print(f"server  build the page (baseline)   {page_ms:8.2f} ms")
    print(f"server  sign it (SHA-256 + Ed25519) {sign_ms:8.2f} ms   ({sign_ms / page_ms:.1%} of building it)")
    print(f"tablet  parse + check (baseline)    {parse_ms:8.2f} ms")
    print(f"tablet  verify the signature        {verify_ms:8.2f} ms   ({verify_ms / parse_ms:.1%} of parsing it)")


if __name__ == "__main__":
    main()
