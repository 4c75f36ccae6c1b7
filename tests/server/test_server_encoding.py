"""Content-Encoding both ways (server.kernel.encoding): compressed pushes are decoded with a
hard limit on the decoded size, pulls are compressed when the client accepts it."""
from __future__ import annotations

import gzip
import json

import pytest
import zstandard
from server_testkit import finding, inspection_item

from server.inspections.models import Inspection
from server.kernel.extensions import db

ENCODERS = {"gzip": lambda b: gzip.compress(b), "zstd": lambda b: zstandard.ZstdCompressor().compress(b)}


def push_raw(api, body: bytes, encoding: str | None, who="insp_chaoyang"):
    headers = {"Content-Type": "application/json"}
    if encoding:
        headers["Content-Encoding"] = encoding
    return api.call("POST", "/api/v1/sync/push", who, data=body, headers=headers)


def inspection_count(app) -> int:
    with app.app_context():
        return db.session.query(Inspection).count()


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
def test_a_compressed_push_is_applied(api, encoding):
    items = [inspection_item(findings=[finding()]) for _ in range(3)]
    body = json.dumps({"items": items}, ensure_ascii=False).encode()
    r = push_raw(api, ENCODERS[encoding](body), encoding)
    assert r.status_code == 200, r.json
    assert [x["status"] for x in r.json["results"]] == ["applied"] * 3
    assert r.headers["Accept-Encoding"] == "zstd, gzip"


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
def test_a_decompression_bomb_is_refused_with_413_and_nothing_stored(app, api, encoding):
    app.config["GBFIELD_MAX_DECODED_BODY_BYTES"] = 1_000_000
    items = [inspection_item(note="x" * 1900) for _ in range(600)]     # ≈ 1.3 MB of JSON
    bomb = ENCODERS[encoding](json.dumps({"items": items}).encode())
    assert len(bomb) < 60_000
    before = inspection_count(app)
    r = push_raw(api, bomb, encoding)
    assert r.status_code == 413, r.json
    assert r.json["error"] == "payload_too_large"
    assert "1000000" in r.json["message"]
    assert inspection_count(app) == before


def test_a_classic_bomb_costs_at_most_the_limit():
    """10 GB of zeros in 10 MB of gzip: refused after reading just over the limit."""
    import io

    from server.kernel.encoding import decode_body
    from server.kernel.errors import PayloadTooLarge
    comp = zstandard.ZstdCompressor(level=19).compress(b"\0" * 50_000_000)
    with pytest.raises(PayloadTooLarge):
        decode_body("zstd", io.BytesIO(comp), 1_000_000)


def test_an_unknown_encoding_is_415_naming_the_accepted_ones(api):
    r = push_raw(api, b"xx", "compress")
    assert r.status_code == 415
    assert r.json["error"] == "unsupported_media_type"
    assert "zstd, gzip" in r.json["message"]


def test_a_corrupt_body_is_400(api):
    r = push_raw(api, b"\x1f\x8bnot really gzip", "gzip")
    assert r.status_code == 400
    assert r.json["error"] == "bad_request"


@pytest.mark.parametrize("accept, expected", [("zstd", "zstd"), ("gzip", "gzip"),
                                              ("gzip, zstd", "zstd"), ("br;q=1.0, gzip;q=0.5", "br"),
                                              ("identity", None)])
def test_a_pull_is_compressed_as_the_client_accepts(api, accept, expected):
    plain = api.pull("insp_chaoyang", limit=200)
    r = api.call("GET", "/api/v1/sync/pull?since=0&limit=200", "insp_chaoyang",
                 headers={"Accept-Encoding": accept})
    assert r.status_code == 200
    assert r.headers.get("Content-Encoding") == expected
    assert "Accept-Encoding" in r.headers.get("Vary", "")
    if expected == "gzip":
        assert gzip.decompress(r.data) == plain.data
    if expected == "zstd":
        assert zstandard.ZstdDecompressor().decompressobj().decompress(r.data) == plain.data
    if expected:
        assert len(r.data) < len(plain.data) / 4


def test_without_its_own_setting_a_decoded_body_gets_the_plain_body_limit(app, api):
    app.config["GBFIELD_MAX_DECODED_BODY_BYTES"] = 0
    app.config["GBFIELD_MAX_BODY_BYTES"] = 500_000
    body = json.dumps({"items": [inspection_item(note="y" * 1900) for _ in range(300)]}).encode()
    r = push_raw(api, gzip.compress(body), "gzip")
    assert r.status_code == 413 and "500000" in r.json["message"]
