"""The one contract every BlobStore passes (memory, filesystem, S3 on SeaweedFS)."""
from __future__ import annotations

import hashlib
import io
import os

import pytest

from server.kernel.blobs import BlobNotFound, InvalidBlobKey

PAYLOAD = bytes(range(256)) * 20 + b"tail"


def test_put_then_get_returns_the_same_bytes(blob_store):
    info = blob_store.put("originals/abcdef", PAYLOAD)
    assert info.size == len(PAYLOAD)
    assert info.sha256 == hashlib.sha256(PAYLOAD).hexdigest()
    assert blob_store.get("originals/abcdef") == PAYLOAD


def test_put_accepts_a_file_object_bigger_than_one_chunk(blob_store):
    data = os.urandom(3 * 1024 * 1024 + 17)
    info = blob_store.put("big/blob", io.BytesIO(data))
    assert info.size == len(data)
    assert hashlib.sha256(blob_store.get("big/blob")).digest() == hashlib.sha256(data).digest()


def test_put_replaces_the_previous_blob(blob_store):
    blob_store.put("k/one", b"first version")
    blob_store.put("k/one", b"second")
    assert blob_store.get("k/one") == b"second"
    assert blob_store.stat("k/one").size == 6


def test_empty_blob_round_trips(blob_store):
    blob_store.put("k/empty", b"")
    assert blob_store.exists("k/empty")
    assert blob_store.get("k/empty") == b""
    assert blob_store.stat("k/empty").size == 0


@pytest.mark.parametrize("start, end", [(0, 1), (0, None), (10, 20), (5000, None),
                                         (len(PAYLOAD) - 1, None), (100, 100), (0, len(PAYLOAD) + 50),
                                         (len(PAYLOAD) + 5, None)])
def test_open_range_behaves_like_slicing(blob_store, start, end):
    blob_store.put("r/blob", PAYLOAD)
    assert blob_store.open_range("r/blob", start, end) == PAYLOAD[start:end]


def test_open_range_rejects_an_inverted_range(blob_store):
    blob_store.put("r/blob", PAYLOAD)
    with pytest.raises(ValueError):
        blob_store.open_range("r/blob", 10, 5)


def test_iter_chunks_streams_the_whole_blob(blob_store):
    blob_store.put("r/blob", PAYLOAD)
    chunks = list(blob_store.iter_chunks("r/blob", chunk_size=1000))
    assert b"".join(chunks) == PAYLOAD
    assert len(chunks) == -(-len(PAYLOAD) // 1000)


@pytest.mark.parametrize("operation", ["get", "stat", "open_range", "iter_chunks"])
def test_missing_blob_raises_blob_not_found(blob_store, operation):
    with pytest.raises(BlobNotFound) as caught:
        result = getattr(blob_store, operation)("no/such")
        list(result) if operation == "iter_chunks" else None
    assert caught.value.key == "no/such"


def test_exists_and_delete(blob_store):
    assert not blob_store.exists("d/x")
    assert blob_store.delete("d/x") is False
    blob_store.put("d/x", b"1")
    assert blob_store.exists("d/x")
    assert blob_store.delete("d/x") is True
    assert not blob_store.exists("d/x")
    with pytest.raises(BlobNotFound):
        blob_store.get("d/x")


def test_list_is_sorted_and_filters_by_prefix(blob_store):
    keys = ["thumbs/bb22", "originals/ff00", "originals/aa11", "originals/ab", "x"]
    for key in keys:
        blob_store.put(key, key.encode())
    assert list(blob_store.list()) == sorted(keys)
    assert list(blob_store.list("originals/")) == ["originals/aa11", "originals/ab", "originals/ff00"]
    assert list(blob_store.list("nothing/")) == []


@pytest.mark.parametrize("key", ["", "/abs", "a//b", "../escape", "a/../b", "a/./b", "sp ace",
                                 "中文", ".hidden", "a/.tmp-x", "trailing/"])
def test_unsafe_keys_are_refused(blob_store, key):
    with pytest.raises(InvalidBlobKey):
        blob_store.put(key, b"x")
    with pytest.raises(InvalidBlobKey):
        blob_store.exists(key)
