"""PhotoStore contract: the upload queue by SHA-256 (never deleted) and the tus URL store."""
import hashlib

import pytest

from device import DeviceError, file_sha256, open_store

A, B = "a" * 64, "b" * 64


def test_a_queued_photo_is_pending_with_its_record(store):
    store.photos.add(A, "/photos/a.jpg", "inspection", "i1")
    assert store.photos.rows() == [{"sha256": A, "path": "/photos/a.jpg", "entity": "inspection",
                                    "record_id": "i1", "state": "pending", "attempts": 0,
                                    "last_error": None, "upload_url": None}]
    assert store.photos.counts() == {"pending": 1, "uploaded": 0, "rejected": 0}


def test_adding_a_known_photo_takes_the_new_path_unless_uploaded(store):
    store.photos.add(A, "/old/a.jpg", "inspection", "i1")
    store.photos.add(A, "/new/a.jpg", "finding", "f1")
    assert [(r["path"], r["record_id"]) for r in store.photos.rows()] == [("/new/a.jpg", "i1")]
    store.photos.mark_uploaded(A)
    store.photos.add(A, "/newer/a.jpg")
    assert store.photos.rows()[0]["path"] == "/new/a.jpg"


def test_failures_count_and_rejected_photos_can_be_retried(store):
    store.photos.add(A, "/a.jpg")
    store.photos.set(A, "http://127.0.0.1/api/v1/uploads/1")
    store.photos.note_failure(A, "网络中断")
    assert store.photos.rows("pending")[0]["attempts"] == 1
    store.photos.note_failure(A, "照片已损坏 / corrupt", rejected=True)
    [row] = store.photos.rows("rejected")
    assert (row["attempts"], row["last_error"]) == (2, "照片已损坏 / corrupt")
    store.photos.retry(A)
    [row] = store.photos.rows("pending")
    assert row["upload_url"] is None and row["last_error"] == "照片已损坏 / corrupt"


def test_retry_leaves_a_photo_that_was_not_rejected(store):
    store.photos.add(A, "/a.jpg")
    store.photos.mark_uploaded(A)
    store.photos.retry(A)
    assert store.photos.counts() == {"pending": 0, "uploaded": 1, "rejected": 0}


def test_uploaded_clears_the_error_and_url(store):
    store.photos.add(A, "/a.jpg")
    store.photos.set(A, "http://127.0.0.1/u/1")
    store.photos.note_failure(A, "cut")
    store.photos.mark_uploaded(A)
    [row] = store.photos.rows("uploaded")
    assert (row["last_error"], row["upload_url"]) == (None, None)


def test_the_url_store_queues_an_unknown_photo_and_forgets_urls(store):
    assert store.photos.get(B) is None
    store.photos.set(B, "http://127.0.0.1/u/2")
    assert store.photos.get(B) == "http://127.0.0.1/u/2" and store.photos.rows()[0]["path"] == ""
    store.photos.delete(B)
    assert store.photos.get(B) is None and store.photos.counts()["pending"] == 1


def test_rows_come_oldest_first(store):
    for sha in (B, A):
        store.photos.add(sha, f"/{sha[0]}.jpg")
    assert [r["sha256"] for r in store.photos.rows()] == [B, A]


def test_upload_urls_survive_a_restart(tmp_path):
    store = open_store(tmp_path / "d.sqlite")
    store.photos.set(A, "http://server/api/v1/uploads/abc")
    store.close()
    again = open_store(tmp_path / "d.sqlite")
    assert again.photos.get(A) == "http://server/api/v1/uploads/abc"
    again.photos.delete(A)
    assert again.photos.get(A) is None
    again.close()


def test_file_sha256(tmp_path):
    path = tmp_path / "p.jpg"
    path.write_bytes(b"jpeg" * 1000)
    assert file_sha256(path) == hashlib.sha256(b"jpeg" * 1000).hexdigest()
    with pytest.raises(DeviceError) as info:
        file_sha256(tmp_path / "missing.jpg")
    assert info.value.code == "validation_failed"
