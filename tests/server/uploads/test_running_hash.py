"""Completion trusts the SHA-256 computed while the chunks arrived only when it covers the
whole file; otherwise (restart, another worker appended, a chunk was discarded) the file
is hashed again. Either way the declared id is checked and a bad photo leaves nothing."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from tus_testkit import checksum_header, metadata_header, tus_headers

from server.app import loopback
from server.evidence.models import EvidenceEvent
from server.kernel.extensions import db
from server.photos.models import Photo
from server.photos.samples import make_photo
from server.photos.storage import blob_key, blob_store
from server.uploads import service, staging

PHOTO = make_photo(800, 600, noise=True, quality=90)


@pytest.fixture
def photo_app(tmp_path):
    """The staging folder only: running hashes are the folder's (the database staging hashes
    what it reads at completion)."""
    app = loopback.make_app(tmp_path, TESTING=True, GBFIELD_BLOB_FSYNC="0", GBFIELD_UPLOAD_STAGING="folder")
    yield app
    loopback.dispose(app)
SHA = hashlib.sha256(PHOTO).hexdigest()


def create(client, token, data=PHOTO, sha=None):
    r = client.post("/api/v1/uploads", headers=tus_headers(
        token, **{"Upload-Length": str(len(data)), "Upload-Metadata": metadata_header(data, sha)}))
    assert r.status_code == 201
    return r.headers["Location"]


def patch(client, token, location, chunk, offset, algorithm="sha256"):
    extra = {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
    if algorithm:
        extra["Upload-Checksum"] = checksum_header(chunk, algorithm)
    return client.patch(location, data=chunk, headers=tus_headers(token, **extra))


def stored_bytes(app, sha=SHA):
    with app.app_context():
        store = blob_store()
        key = blob_key("original", sha)
        return store.get(key) if store.exists(key) else None


@pytest.mark.parametrize("algorithms", [("sha256", "sha256", "sha256"), ("sha1", None, "sha256"),
                                        (None, "sha1", None)])
def test_chunks_with_any_checksums_store_the_exact_bytes(photo_app, tokens, algorithms):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token)
    cuts = [0, len(PHOTO) // 3, 2 * len(PHOTO) // 3, len(PHOTO)]
    for n, algorithm in enumerate(algorithms):
        r = patch(client, token, location, PHOTO[cuts[n]:cuts[n + 1]], cuts[n], algorithm)
        assert r.status_code == 204, r.get_json()
    assert r.headers["Gbfield-Photo"] == SHA
    assert stored_bytes(photo_app) == PHOTO


def test_a_discarded_chunk_drops_the_running_hash_and_the_resent_one_still_verifies(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token)
    half = len(PHOTO) // 2
    assert patch(client, token, location, PHOTO[:half], 0).status_code == 204
    bad = bytearray(PHOTO[half:])
    bad[10] ^= 0xFF
    r = client.patch(location, data=bytes(bad), headers=tus_headers(token, **{
        "Upload-Offset": str(half), "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": checksum_header(PHOTO[half:])}))
    assert r.status_code == 460
    assert patch(client, token, location, PHOTO[half:], half).status_code == 204
    assert stored_bytes(photo_app) == PHOTO


def test_another_worker_appending_makes_completion_hash_the_file_again(photo_app, tokens):
    """A second Staging on the same folder stands for another gunicorn worker: this process's
    running hash no longer covers the file, so it must not be used."""
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token)
    upload_id = location.rsplit("/", 1)[1]
    half = len(PHOTO) // 2
    assert patch(client, token, location, PHOTO[:half], 0).status_code == 204
    with photo_app.app_context():
        mine = service.get_staging()
        other = staging.Staging(mine.root)
        info = other.load(upload_id)
        assert other.append(info, half, io.BytesIO(PHOTO[half:-100]), None, None) == len(PHOTO) - 100
        assert mine.whole_sha256(upload_id, len(PHOTO) - 100) is None
    r = patch(client, token, location, PHOTO[-100:], len(PHOTO) - 100)
    assert r.status_code == 204 and stored_bytes(photo_app) == PHOTO


def test_running_hash_is_the_hash_of_what_was_kept(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token)
    upload_id = location.rsplit("/", 1)[1]
    assert patch(client, token, location, PHOTO[:1000], 0, "sha1").status_code == 204
    assert patch(client, token, location, PHOTO[1000:5000], 1000, None).status_code == 204
    with photo_app.app_context():
        assert service.get_staging().whole_sha256(upload_id, 5000) == hashlib.sha256(PHOTO[:5000]).hexdigest()
        assert service.get_staging().whole_sha256(upload_id, 5000) is None      # taken once


def test_corrupt_image_completing_in_chunks_is_422_and_leaves_nothing(photo_app, tokens):
    corrupt = PHOTO[: len(PHOTO) * 2 // 3]          # a JPEG cut short: headers fine, stream truncated
    sha = hashlib.sha256(corrupt).hexdigest()
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token, data=corrupt)
    upload_id = location.rsplit("/", 1)[1]
    third = len(corrupt) // 3
    assert patch(client, token, location, corrupt[:third], 0).status_code == 204
    assert patch(client, token, location, corrupt[third:2 * third], third).status_code == 204
    r = patch(client, token, location, corrupt[2 * third:], 2 * third)
    assert (r.status_code, r.get_json()["error"]) == (422, "photo_corrupt")
    assert "Gbfield-Photo" not in r.headers
    assert stored_bytes(photo_app, sha) is None
    staging_dir = Path(photo_app.config["GBFIELD_BLOB_DIR"]) / ".staging"
    assert sorted(p.name for p in staging_dir.iterdir()) == []
    with photo_app.app_context():
        assert db.session.get(Photo, sha) is None
        assert db.session.execute(db.select(EvidenceEvent)).first() is None
        assert service.get_staging().whole_sha256(upload_id, len(corrupt)) is None
    assert client.head(location, headers=tus_headers(token)).status_code == 404
