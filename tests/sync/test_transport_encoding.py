"""The device transport compresses what it sends (gzip until the server names zstd), falls
back to plain for a server that refuses an encoding, and takes compressed answers."""
from __future__ import annotations

import threading

import pytest
from server_testkit import dispose_app, inspection_item, make_app
from werkzeug.serving import make_server

from sync.client import HttpTransport, WsgiTransport
from sync.client.transport import choose_encoding


@pytest.fixture
def app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'server.db'}")
    yield app
    dispose_app(app)


@pytest.fixture
def served(app):
    """The app on a real loopback socket; every request's encodings are recorded."""
    seen = []

    def recording(environ, start_response):
        seen.append((environ.get("HTTP_CONTENT_ENCODING"), environ.get("HTTP_ACCEPT_ENCODING")))
        return app.wsgi_app(environ, start_response)
    httpd = make_server("127.0.0.1", 0, recording, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", seen
    httpd.shutdown()


def device_token(app):
    from server_testkit import Api
    return Api(app).device("insp_chaoyang")


def test_pushes_go_gzip_first_then_zstd_once_the_server_names_it(app, served):
    url, seen = served
    transport = HttpTransport(url, device_token(app))
    for _ in range(2):
        answer = transport.push([inspection_item(note="现场" * 400) for _ in range(2)])
        assert [r["status"] for r in answer["results"]] == ["applied", "applied"]
    pushes = [enc for enc, _ in seen if enc]
    assert pushes == ["gzip", "zstd"]
    assert transport.bytes_sent < 2 * 2 * 2400     # 800 Chinese characters × 3 bytes each, twice
    assert "zstd" in seen[-1][1]                     # answers asked for compressed


def test_a_pull_arrives_compressed_and_decoded(app, served):
    url, _ = served
    transport = HttpTransport(url, device_token(app))
    resp = transport.session.get(url + "/api/v1/sync/pull?since=0&limit=500",
                                 headers={**transport.headers()})
    assert resp.headers["Content-Encoding"] == "zstd"
    page = transport.pull(0, 500)
    assert len(page["changes"]) == len(resp.json()["changes"]) > 100


def test_small_bodies_go_plain(app):
    transport = WsgiTransport(app, device_token(app))
    transport.digest({"indicator": "0" * 64})
    assert transport.request_encoding == "zstd"       # learnt from the answer
    assert transport.bytes_sent < 200


def test_a_server_refusing_the_encoding_gets_it_plain(app):
    """An older server answering 415 to an encoded body: the same request again, plain."""
    refused = []

    def refusing(environ, start_response):
        if environ.get("HTTP_CONTENT_ENCODING"):
            refused.append(environ["HTTP_CONTENT_ENCODING"])
            start_response("415 Unsupported Media Type", [("Content-Type", "application/json")])
            return [(b'{"status": 415, "error": "unsupported_media_type", '
                    b'"message": "Content-Encoding not accepted", "details": {}}')]
        return app.wsgi_app(environ, start_response)
    transport = WsgiTransport(refusing, device_token(app))
    answer = transport.push([inspection_item(note="x" * 2000)])
    assert answer["results"][0]["status"] == "applied"
    assert refused == ["gzip"] and transport.request_encoding is None
    transport.push([inspection_item(note="y" * 2000)])
    assert refused == ["gzip"]


@pytest.mark.parametrize("header, current, expected", [
    ("zstd, gzip", "gzip", "zstd"), ("gzip", "gzip", "gzip"), (None, "gzip", "gzip"),
    ("zstd, gzip", None, None), ("br", "gzip", None)])
def test_choose_encoding(header, current, expected):
    assert choose_encoding(header, current) == expected
