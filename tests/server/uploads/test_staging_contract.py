"""The ONE contract of upload staging (server.uploads.staging.Staging), run by each way it is
used: one process on its folder, and two workers sharing one folder (every call goes to the
other worker: what gunicorn does with two PATCHes of one upload). Offsets, all-or-nothing
chunks, the running hash (the file's hash or None, never a wrong one), unknown uploads,
deletion and the expiry purge."""
from __future__ import annotations

import hashlib
import io
import itertools
from datetime import UTC, datetime, timedelta

import pytest

from server.uploads.staging import (
    ChunkChecksumMismatch,
    ChunkTooLong,
    ClientGone,
    OffsetMismatch,
    Staging,
    UnknownUpload,
    UploadInfo,
)

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
DATA = bytes(range(256)) * 40          # 10 240 bytes
TOMORROW = NOW + timedelta(days=1)


class TwoWorkers:
    """Two Staging objects over one folder; each call goes to the next one."""

    def __init__(self, root):
        self.root = root
        self._workers = itertools.cycle([Staging(root), Staging(root)])

    def __getattr__(self, name):
        return getattr(next(self._workers), name)


@pytest.fixture(params=["one process", "two workers"])
def staging(request, tmp_path):
    return Staging(tmp_path / "staging") if request.param == "one process" else TwoWorkers(tmp_path / "staging")


def new_upload(staging, length: int | None = None, expires: datetime = TOMORROW) -> UploadInfo:
    length = len(DATA) if length is None else length
    return staging.create(UploadInfo(id="", length=length, sha256=hashlib.sha256(DATA[:length]).hexdigest(),
                                     metadata={"filename": "现场.jpg"}, user_id=7, created_at=NOW.isoformat(),
                                     expires_at=expires.isoformat(), extra={"device_id": "d1"}))


def checksum(algorithm: str, chunk: bytes) -> tuple[str, bytes]:
    return algorithm, hashlib.new(algorithm, chunk).digest()


class Dropping(io.RawIOBase):
    """A request body whose connection drops after `keep` bytes."""

    def __init__(self, data: bytes, keep: int):
        self._data, self._keep, self._at = data, keep, 0

    def read(self, size=-1):
        if self._at >= self._keep:
            raise ConnectionResetError("client went away")
        chunk = self._data[self._at:min(self._keep, self._at + (size if size and size > 0 else len(self._data)))]
        self._at += len(chunk)
        return chunk


def test_a_new_upload_is_empty_and_keeps_its_facts(staging):
    info = new_upload(staging)
    assert len(info.id) == 32 and int(info.id, 16) >= 0
    assert staging.offset(info.id) == 0
    loaded = staging.load(info.id)
    assert loaded == info and loaded.metadata == {"filename": "现场.jpg"} and loaded.extra == {"device_id": "d1"}
    assert loaded.expires() == NOW + timedelta(days=1)
    assert new_upload(staging).id != info.id


@pytest.mark.parametrize("sizes", [[len(DATA)], [1, 4095, 6144], [5000, 5000, 240]])
def test_chunks_appended_in_order_make_the_whole_file(staging, sizes):
    info = new_upload(staging)
    offset = 0
    for size in sizes:
        offset = staging.append(info, offset, io.BytesIO(DATA[offset:offset + size]), size, None)
        assert staging.offset(info.id) == offset
    assert offset == len(DATA) and staging.read_all(info.id) == DATA


def test_the_running_hash_is_the_files_hash_or_none(staging):
    info = new_upload(staging)
    offset = staging.append(info, 0, io.BytesIO(DATA[:3000]), 3000, None)
    staging.append(info, offset, io.BytesIO(DATA[3000:]), None, None)
    assert staging.whole_sha256(info.id, len(DATA)) in (None, hashlib.sha256(DATA).hexdigest())
    assert staging.whole_sha256(info.id, len(DATA) - 1) is None


def test_a_chunk_at_the_wrong_offset_is_refused_naming_the_stored_one(staging):
    info = new_upload(staging)
    staging.append(info, 0, io.BytesIO(DATA[:100]), 100, None)
    for wrong in (0, 99, 101):
        with pytest.raises(OffsetMismatch) as refused:
            staging.append(info, wrong, io.BytesIO(DATA[wrong:wrong + 10]), 10, None)
        assert refused.value.expected == 100
    assert staging.read_all(info.id) == DATA[:100]


@pytest.mark.parametrize("declared", [True, False], ids=["declared size", "undeclared size"])
def test_a_chunk_past_the_length_is_discarded_whole(staging, declared):
    info = new_upload(staging, length=1000)
    staging.append(info, 0, io.BytesIO(DATA[:400]), 400, None)
    with pytest.raises(ChunkTooLong):
        staging.append(info, 400, io.BytesIO(DATA[400:1001]), 601 if declared else None, None)
    assert staging.offset(info.id) == 400 and staging.read_all(info.id) == DATA[:400]


@pytest.mark.parametrize("algorithm", ["sha256", "sha1"])
def test_a_chunk_with_its_checksum_is_kept_and_a_wrong_one_discarded(staging, algorithm):
    info = new_upload(staging)
    first = DATA[:4096]
    assert staging.append(info, 0, io.BytesIO(first), len(first), checksum(algorithm, first)) == 4096
    second = DATA[4096:8192]
    with pytest.raises(ChunkChecksumMismatch):
        staging.append(info, 4096, io.BytesIO(second), len(second), checksum(algorithm, b"other bytes"))
    assert staging.offset(info.id) == 4096
    assert staging.append(info, 4096, io.BytesIO(second), len(second), checksum(algorithm, second)) == 8192
    assert staging.read_all(info.id) == DATA[:8192]


def test_a_dropped_connection_keeps_what_arrived_without_a_checksum(staging):
    info = new_upload(staging)
    staging.append(info, 0, io.BytesIO(DATA[:1000]), 1000, None)
    with pytest.raises(ClientGone) as gone:
        staging.append(info, 1000, Dropping(DATA[1000:], keep=700), len(DATA) - 1000, None)
    assert gone.value.offset == 1700 == staging.offset(info.id)
    assert staging.read_all(info.id) == DATA[:1700]


def test_a_dropped_connection_with_a_checksum_keeps_nothing_of_the_chunk(staging):
    info = new_upload(staging)
    staging.append(info, 0, io.BytesIO(DATA[:1000]), 1000, None)
    chunk = DATA[1000:5000]
    with pytest.raises(ClientGone) as gone:
        staging.append(info, 1000, Dropping(chunk, keep=700), len(chunk), checksum("sha256", chunk))
    assert gone.value.offset == 1000 == staging.offset(info.id)
    assert staging.append(info, 1000, io.BytesIO(chunk), len(chunk), checksum("sha256", chunk)) == 5000


def test_a_body_shorter_than_declared_counts_as_a_dropped_connection(staging):
    info = new_upload(staging)
    with pytest.raises(ClientGone) as gone:
        staging.append(info, 0, io.BytesIO(DATA[:300]), 500, None)
    assert gone.value.offset == 300 == staging.offset(info.id)


@pytest.mark.parametrize("upload_id", ["", "not-an-id", "../" + "0" * 29, "0" * 32])
@pytest.mark.parametrize("operation", ["load", "offset", "read_all", "append"])
def test_unknown_or_malformed_uploads_raise_unknown_upload(staging, upload_id, operation):
    calls = {"load": lambda: staging.load(upload_id), "offset": lambda: staging.offset(upload_id),
             "read_all": lambda: staging.read_all(upload_id),
             "append": lambda: staging.append(UploadInfo(upload_id, 10, "", {}, 1, "", ""), 0,
                                              io.BytesIO(b"x"), 1, None)}
    with pytest.raises(UnknownUpload):
        calls[operation]()


def test_saved_facts_are_read_back(staging):
    info = new_upload(staging)
    info.expires_at = (NOW + timedelta(days=3)).isoformat()
    info.extra["note"] = "延期"
    staging.save(info)
    assert staging.load(info.id).expires() == NOW + timedelta(days=3)
    assert staging.load(info.id).extra == {"device_id": "d1", "note": "延期"}


def test_delete_removes_an_upload_once(staging):
    info = new_upload(staging)
    staging.append(info, 0, io.BytesIO(DATA[:10]), 10, None)
    assert staging.delete(info.id) is True
    assert staging.delete(info.id) is False
    for operation in (staging.load, staging.offset, staging.read_all):
        with pytest.raises(UnknownUpload):
            operation(info.id)
    assert sorted(p.name for p in staging.root.iterdir()) == []


def test_purge_deletes_only_the_expired_uploads(staging):
    expired = new_upload(staging, expires=NOW - timedelta(seconds=1))
    due_now = new_upload(staging, expires=NOW)
    alive = new_upload(staging, expires=NOW + timedelta(seconds=1))
    assert staging.purge_expired(NOW) == 2
    assert staging.load(alive.id) == alive
    for gone in (expired, due_now):
        with pytest.raises(UnknownUpload):
            staging.load(gone.id)
    assert staging.purge_expired(NOW) == 0
