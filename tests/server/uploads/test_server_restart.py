"""The server process dies (SIGKILL) in the middle of an upload and comes back on the same
database and blob folder: the client continues from the server's offset and the stored
photo is exactly the declared bytes."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from tus_testkit import checksum_header, metadata_header, tus_headers, wait_for

from server.kernel.blobs.filesystem import FilesystemBlobStore
from server.photos.samples import make_noise_jpeg
from server.photos.storage import blob_key
from sync.client.uploads import MemoryUrlStore, PhotoUploader

PROC = Path(__file__).with_name("photo_server_proc.py")
PHOTO = make_noise_jpeg(3_000_000, seed=7)   # > 2 server reads of 1 MiB after the first chunk
SHA = hashlib.sha256(PHOTO).hexdigest()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(folder: Path, port: int) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, str(PROC), str(folder), str(port)], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise RuntimeError("photo server did not start")
    return proc, json.loads(line)


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def _staged_size(folder: Path, upload_id: str) -> int:
    part = folder / "blobs" / ".staging" / f"{upload_id}.part"
    return part.stat().st_size if part.exists() else -1


@pytest.mark.slow
def test_sigkill_mid_patch_then_restart_resumes_from_the_server_offset(tmp_path):
    port = _free_port()
    proc, info = _start(tmp_path, port)
    try:
        url, token = info["url"], info["token"]
        created = requests.post(f"{url}/api/v1/uploads", timeout=10, headers=tus_headers(
            token, **{"Upload-Length": str(len(PHOTO)), "Upload-Metadata": metadata_header(PHOTO)}))
        assert created.status_code == 201
        location = f"{url}{created.headers['Location']}"
        upload_id = location.rsplit("/", 1)[1]
        first = PHOTO[:200_000]
        r = requests.patch(location, data=first, timeout=10, headers=tus_headers(token, **{
            "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
            "Upload-Checksum": checksum_header(first)}))
        assert r.status_code == 204 and r.headers["Upload-Offset"] == "200000"
        # a second PATCH without a checksum sends part of its body; the server is killed mid-request
        rest = PHOTO[200_000:]
        head = (f"PATCH {created.headers['Location']} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                + "".join(f"{k}: {v}\r\n" for k, v in tus_headers(token, **{
                    "Upload-Offset": "200000", "Content-Length": str(len(rest)),
                    "Content-Type": "application/offset+octet-stream"}).items()) + "\r\n")
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(head.encode("latin-1") + rest[:2_300_000])
            assert wait_for(lambda: _staged_size(tmp_path, upload_id) >= 1_200_000, timeout=10)
            _kill(proc)
        kept = _staged_size(tmp_path, upload_id)
        assert 1_200_000 <= kept < len(PHOTO)
        assert Path(tmp_path / "blobs" / ".staging" / f"{upload_id}.part").read_bytes() == PHOTO[:kept]

        proc, info = _start(tmp_path, port)          # same port, database and blob folder
        urls = MemoryUrlStore()
        urls.set(SHA, location)
        result = PhotoUploader(url, token, chunk_size=512 * 1024, url_store=urls).upload(PHOTO)
        assert (result.status, result.resumed_from) == ("uploaded", kept)
        assert result.bytes_sent == len(PHOTO) - kept
        stored = FilesystemBlobStore(tmp_path / "blobs").path_for(blob_key("original", SHA)).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == SHA
        assert not list((tmp_path / "blobs" / ".staging").glob(f"{upload_id}.*"))
        check = requests.post(f"{url}/api/v1/photos/check", json={"hashes": [SHA]}, timeout=10,
                              headers={"Authorization": f"Bearer {token}"})
        assert check.json()["present"] == [SHA]
    finally:
        _kill(proc)
