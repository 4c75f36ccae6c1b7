"""Uploads survive any server: two server processes that share nothing but PostgreSQL and
SeaweedFS (partial uploads staged in the database, photos in S3). An upload started on one
is finished on the other, one of them is killed in the middle of a PATCH, and the chunks
of another upload alternate between the two; every photo arrives intact, once."""
from __future__ import annotations

import base64
import hashlib
import socket
import time
from urllib.parse import urlsplit

import boto3
import pytest
import requests
import sqlalchemy as sa
from device_kit import enrol_device
from seaweed import start_seaweedfs, stop
from server_process import ServerProcess

from server.photos.samples import make_noise_jpeg

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.s3]
BUCKET = "any-server"


@pytest.fixture
def s3(tmp_path):
    proc, endpoint = start_seaweedfs(tmp_path / "seaweed")
    yield endpoint
    stop(proc)


@pytest.fixture
def servers(pg_url, s3, tmp_path):
    env = {"GBFIELD_UPLOAD_STAGING": "database", "GBFIELD_BLOB_STORE": "s3", "GBFIELD_S3_BUCKET": BUCKET,
           "GBFIELD_S3_ENDPOINT_URL": s3.url, "GBFIELD_S3_ACCESS_KEY": s3.access_key,
           "GBFIELD_S3_SECRET_KEY": s3.secret_key, "SECRET_KEY": "shared-secret"}
    started = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        started.append(ServerProcess(pg_url, tmp_path / name, catalog="none", env=env).start(timeout=120))
    yield started
    for server in started:
        server.stop()


def tus(token: str, **extra) -> dict:
    return {"Tus-Resumable": "1.0.0", "Authorization": f"Bearer {token}", "X-Gbfield-Protocol": "1", **extra}


def create(url: str, token: str, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in
                    {"sha256": sha, "filename": "p.jpg"}.items())
    r = requests.post(url + "/api/v1/uploads", headers=tus(token, **{"Upload-Length": str(len(data)),
                                                                      "Upload-Metadata": meta}), timeout=30)
    assert r.status_code == 201, r.text
    return urlsplit(r.headers["Location"]).path


def patch(url: str, path: str, token: str, data: bytes, offset: int, end: int) -> requests.Response:
    return requests.patch(url + path, data=data[offset:end], timeout=60, headers=tus(
        token, **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}))


def offset_on(url: str, path: str, token: str) -> int:
    r = requests.head(url + path, headers=tus(token), timeout=30)
    assert r.status_code == 200, r.status_code
    return int(r.headers["Upload-Offset"])


def stored_photos(pg_url: str, s3) -> dict[str, str]:
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        shas = [r[0] for r in conn.execute(sa.text("SELECT sha256 FROM photos"))]
        staged = [tuple(r) for r in conn.execute(sa.text("SELECT id, \"offset\", info FROM staged_uploads"))]
    engine.dispose()
    client = boto3.client("s3", endpoint_url=s3.url, aws_access_key_id=s3.access_key,
                          aws_secret_access_key=s3.secret_key, region_name="us-east-1")
    out = {}
    for sha in shas:
        keys = [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
                if o["Key"].endswith(sha) and "original" in o["Key"]]
        assert len(keys) == 1, keys
        out[sha] = hashlib.sha256(client.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()).hexdigest()
    assert staged == [], staged
    return out


def test_an_upload_started_on_one_server_is_finished_on_the_other_after_a_kill(servers, pg_url, s3, tmp_path):
    a, b = servers
    token = enrol_device(a.url, "li", tmp_path / "tablet.sqlite").state.credentials()["token"]
    first, second = make_noise_jpeg(400_000, seed=1), make_noise_jpeg(300_000, seed=2)

    path = create(a.url, token, first)
    assert patch(a.url, path, token, first, 0, 150_000).status_code == 204
    # A dies in the middle of the next PATCH: half of its body sent, then SIGKILL
    parts = urlsplit(a.url)
    head = (f"PATCH {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in tus(token, **{
                "Upload-Offset": "150000", "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(len(first) - 150_000)}).items()) + "\r\n")
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1") + first[150_000:250_000])
        time.sleep(0.5)
        a.kill()
    assert offset_on(b.url, path, token) == 150_000          # B sees what A committed, nothing more
    r = patch(b.url, path, token, first, 150_000, len(first))
    assert r.status_code == 204 and int(r.headers["Upload-Offset"]) == len(first)

    a.start(timeout=120)                                      # back, on the same port
    path = create(b.url, token, second)
    for k, (start, end) in enumerate([(0, 80_000), (80_000, 160_000), (160_000, 240_000), (240_000, len(second))]):
        server = (a, b)[k % 2]
        assert offset_on(server.url, path, token) == start
        assert patch(server.url, path, token, second, start, end).status_code == 204

    photos = stored_photos(pg_url, s3)
    assert photos == {hashlib.sha256(first).hexdigest(): hashlib.sha256(first).hexdigest(),
                      hashlib.sha256(second).hexdigest(): hashlib.sha256(second).hexdigest()}
