"""The engine's photo step over the device's photo store, with a scripted uploader (the
store itself: tests/device/stores/test_photo_store.py; attaching: tests/device)."""
import hashlib

import pytest
from signed_pages import signed

from sync.client import RetryPolicy, SyncClient
from sync.client.errors import CredentialsError, RequestRejected, RetryableError
from sync.client.uploads import UploadResult


class ScriptedUploader:
    """`check` answers `present`; `upload` raises what `faults[sha]` holds, else succeeds."""

    def __init__(self, present=(), faults=None):
        self.present = set(present)
        self.faults = dict(faults or {})
        self.sent = []

    def check(self, hashes):
        return self.present & set(hashes)

    def upload(self, path, sha256, *, skip_check=False):
        fault = self.faults.get(sha256)
        if fault is not None:
            raise fault
        with open(path, "rb") as handle:
            data = handle.read()
        assert hashlib.sha256(data).hexdigest() == sha256
        self.sent.append(sha256)
        self.present.add(sha256)
        return UploadResult(sha256, "uploaded", bytes_sent=len(data))


@pytest.fixture
def photos(tmp_path):
    out = []
    for k in range(3):
        p = tmp_path / f"p{k}.jpg"
        p.write_bytes(f"jpeg bytes {k}".encode() * 100)
        out.append((p, hashlib.sha256(p.read_bytes()).hexdigest()))
    return out


def _client(store, uploader):
    return SyncClient(store, _NoServer(), uploader=uploader, check_digest=False,
                      retry=RetryPolicy(max_attempts=1))


class _NoServer:
    """A transport with nothing to pull; pushes answer every item applied."""

    def pull(self, since, limit, entities=None, horizon=None):
        return signed({"cursor": since, "has_more": False, "remaining": 0, "changes": []})

    def push(self, items):
        return {"results": [{"mutation_id": i["mutation_id"], "status": "applied", "id": i["id"],
                             "version": 1} for i in items]}

    def digest(self, digests):
        return {"mismatched": []}


def test_photo_step_skips_what_the_server_has_and_keeps_failures(store, records, photos):
    iid = records.create_inspection("2024-05-20")
    for path, _ in photos:
        records.attach_photo(iid, path)
    have, refused, lost = (sha for _, sha in photos)
    uploader = ScriptedUploader(present=[have], faults={refused: RequestRejected("422 photo_corrupt")})
    photos[2][0].unlink()
    report = _client(store, uploader).sync()
    assert (report.photos_uploaded, report.photos_skipped, report.photos_failed) == (0, 1, 2)
    assert report.applied == 1 and not report.ok  # the record went anyway; the failures show
    states = {r["sha256"]: r["state"] for r in store.photos.rows()}
    assert states == {have: "uploaded", refused: "rejected", lost: "pending"}
    assert uploader.sent == []


def test_network_failure_stops_the_photo_step_and_the_next_sync_finishes(store, records, photos):
    iid = records.create_inspection("2024-05-20")
    for path, _ in photos:
        records.attach_photo(iid, path)
    first = photos[0][1]
    uploader = ScriptedUploader(faults={first: RetryableError("network down")})
    report = _client(store, uploader).sync()
    assert report.photos_failed == 1 and report.photos_uploaded == 0 and uploader.sent == []
    assert store.photos.counts()["pending"] == 3
    del uploader.faults[first]
    report = _client(store, uploader).sync()
    assert report.ok and report.photos_uploaded == 3
    assert store.photos.counts() == {"pending": 0, "uploaded": 3, "rejected": 0}


def test_credentials_refused_during_the_photo_step_stop_the_run(store, records, photos):
    iid = records.create_inspection("2024-05-20")
    records.attach_photo(iid, photos[0][0])
    uploader = ScriptedUploader(faults={photos[0][1]: CredentialsError("401 device_revoked")})
    report = _client(store, uploader).sync()
    assert not report.ok and report.pushed == 0 and "设备凭证无效" in report.errors[0]
    assert store.photos.counts()["pending"] == 1
