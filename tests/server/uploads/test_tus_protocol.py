"""tus 1.0.0 over the Flask test client: discovery, creation, offsets, checksums,
termination, expiration, authentication, and what completion stores."""
from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from tus_testkit import checksum_header, metadata_header, tus_headers

from server.evidence.models import EvidenceEvent
from server.kernel import clock
from server.kernel.extensions import db
from server.photos.models import Photo
from server.photos.samples import gps_exif, make_photo
from server.photos.storage import blob_key, blob_store

PHOTO = make_photo(640, 480, exif=gps_exif())
SHA = hashlib.sha256(PHOTO).hexdigest()


def create(client, token, data=PHOTO, sha=None, length=None, **headers):
    return client.post("/api/v1/uploads", headers=tus_headers(
        token, **{"Upload-Length": str(len(data) if length is None else length),
                  "Upload-Metadata": metadata_header(data, sha), **headers}))


def patch(client, token, location, chunk, offset, checksum=True, **headers):
    extra = {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream", **headers}
    if checksum:
        extra["Upload-Checksum"] = checksum_header(chunk)
    return client.patch(location, data=chunk, headers=tus_headers(token, **extra))


def stored(app, sha=SHA):
    with app.app_context():
        return db.session.get(Photo, sha), blob_store().exists(blob_key("original", sha))


def staging_files(app):
    """The staged uploads' files (`<id>.part`, `<id>.json`), or their rows as those names."""
    if app.config.get("GBFIELD_UPLOAD_STAGING") == "database":
        from server.uploads.models import StagedUpload
        with app.app_context():
            ids = db.session.execute(db.select(StagedUpload.id)).scalars().all()
        return sorted(f"{i}.{kind}" for i in ids for kind in ("json", "part"))
    return sorted(p.name for p in (Path(app.config["GBFIELD_BLOB_DIR"]) / ".staging").glob("*"))


def test_options_announces_the_extensions(photo_app):
    r = photo_app.test_client().options("/api/v1/uploads")
    assert r.status_code == 204
    assert r.headers["Tus-Version"] == "1.0.0"
    assert set(r.headers["Tus-Extension"].split(",")) == {"creation", "checksum", "termination", "expiration"}
    assert "sha256" in r.headers["Tus-Checksum-Algorithm"].split(",")
    assert int(r.headers["Tus-Max-Size"]) == 25 * 1024 * 1024


def test_upload_in_three_chunks_stores_the_photo_and_an_evidence_event(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    r = create(client, token)
    assert r.status_code == 201 and r.headers["Tus-Resumable"] == "1.0.0" and "Upload-Expires" in r.headers
    location = r.headers["Location"]
    offset, step = 0, len(PHOTO) // 3 + 1
    while offset < len(PHOTO):
        r = patch(client, token, location, PHOTO[offset:offset + step], offset)
        assert r.status_code == 204, r.get_json()
        offset = int(r.headers["Upload-Offset"])
        assert client.head(location, headers=tus_headers(token)).headers.get("Upload-Offset",
                                                                             str(offset)) == str(offset)
    assert r.headers["Gbfield-Photo"] == SHA
    photo, has_blob = stored(photo_app)
    assert has_blob and photo.size == len(PHOTO) and photo.exif["gps_lat"].startswith("39.908")
    with photo_app.app_context():
        event = db.session.execute(db.select(EvidenceEvent)).scalar_one()
        assert (event.kind, event.photo_sha256, event.actor.split("@")[0]) == ("uploaded", SHA, "insp_chaoyang")
    assert staging_files(photo_app) == []
    assert client.head(location, headers=tus_headers(token)).status_code == 404


def test_head_reports_offset_length_and_no_store(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token).headers["Location"]
    patch(client, token, location, PHOTO[:1000], 0)
    r = client.head(location, headers=tus_headers(token))
    assert (r.status_code, r.headers["Upload-Offset"], r.headers["Upload-Length"]) == (200, "1000", str(len(PHOTO)))
    assert r.headers["Cache-Control"] == "no-store"


def test_wrong_offset_is_409_and_changes_nothing(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token).headers["Location"]
    patch(client, token, location, PHOTO[:100], 0)
    r = patch(client, token, location, PHOTO[50:150], 50)
    assert r.status_code == 409 and r.get_json()["details"]["offset"] == 100
    assert client.head(location, headers=tus_headers(token)).headers["Upload-Offset"] == "100"


def test_chunk_checksum_mismatch_is_460_and_nothing_is_kept(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token).headers["Location"]
    r = patch(client, token, location, PHOTO, 0, checksum=False,
              **{"Upload-Checksum": checksum_header(PHOTO[:-1] + b"x")})
    assert r.status_code == 460 and r.get_json()["error"] == "checksum_mismatch"
    assert client.head(location, headers=tus_headers(token)).headers["Upload-Offset"] == "0"
    assert stored(photo_app) == (None, False)


@pytest.mark.parametrize("header, status", [("md5 AAAA", 400), ("sha256 not-base64!", 400), ("sha256 AAAA", 400)])
def test_unusable_checksum_headers_are_400(photo_app, tokens, header, status):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token).headers["Location"]
    r = patch(client, token, location, PHOTO[:10], 0, checksum=False, **{"Upload-Checksum": header})
    assert r.status_code == status


def test_declared_sha256_that_does_not_match_is_422_and_nothing_is_stored(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    wrong = hashlib.sha256(b"another photo").hexdigest()
    location = create(client, token, sha=wrong).headers["Location"]
    r = patch(client, token, location, PHOTO, 0)
    assert r.status_code == 422 and r.get_json()["error"] == "photo_hash_mismatch"
    assert "SHA-256" in r.get_json()["message"]
    assert stored(photo_app, wrong) == (None, False) and stored(photo_app) == (None, False)
    assert staging_files(photo_app) == []


@pytest.mark.parametrize("data, status, code", [
    ("这不是照片，是一段文字。\n".encode() * 40, 415, "unsupported_media_type"),
    (make_photo(640, 480)[:4000], 422, "photo_corrupt"),
    (make_photo(64, 64, fmt="GIF"), 415, "unsupported_media_type"),
])
def test_bad_images_are_rejected_at_completion_and_leave_nothing(photo_app, tokens, data, status, code):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token, data=data).headers["Location"]
    r = patch(client, token, location, data, 0)
    assert (r.status_code, r.get_json()["error"]) == (status, code)
    sha = hashlib.sha256(data).hexdigest()
    assert stored(photo_app, sha) == (None, False)
    assert staging_files(photo_app) == []
    with photo_app.app_context():
        assert db.session.execute(db.select(EvidenceEvent)).first() is None


def test_decompression_bomb_is_rejected(photo_app, tokens):
    from test_bomb_samples import png_claiming
    data = png_claiming(30_000, 30_000)
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token, data=data).headers["Location"]
    r = patch(client, token, location, data, 0)
    assert r.status_code == 422 and r.get_json()["error"] == "photo_too_many_pixels"
    assert "像素过多" in r.get_json()["message"]


def test_oversize_upload_is_refused_at_creation(photo_app, tokens):
    r = create(photo_app.test_client(), tokens["insp_chaoyang"], length=25 * 1024 * 1024 + 1)
    assert r.status_code == 413 and "过大" in r.get_json()["message"]


def test_chunk_past_the_declared_length_is_refused(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token, length=100).headers["Location"]
    r = patch(client, token, location, PHOTO[:101], 0)
    assert r.status_code == 400
    assert client.head(location, headers=tus_headers(token)).headers["Upload-Offset"] == "0"


@pytest.mark.parametrize("headers, status", [
    ({"Upload-Length": "10"}, 400),                                  # no sha256 metadata
    ({"Upload-Length": "x", "Upload-Metadata": metadata_header(PHOTO)}, 400),
    ({"Upload-Length": "0", "Upload-Metadata": metadata_header(b"")}, 400),
    ({"Upload-Length": "10", "Upload-Metadata": "sha256 !!!"}, 400),
])
def test_bad_creation_requests(photo_app, tokens, headers, status):
    r = photo_app.test_client().post("/api/v1/uploads", headers=tus_headers(tokens["insp_chaoyang"], **headers))
    assert r.status_code == status and r.get_json()["status"] == status


def test_wrong_tus_version_and_content_type(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    r = client.post("/api/v1/uploads", headers={"Tus-Resumable": "0.2.2", "Authorization": f"Bearer {token}"})
    assert r.status_code == 412 and r.headers["Tus-Version"] == "1.0.0"
    location = create(client, token).headers["Location"]
    r = patch(client, token, location, PHOTO[:10], 0, **{"Content-Type": "application/json"})
    assert r.status_code == 415


def test_termination_removes_the_upload(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token).headers["Location"]
    patch(client, token, location, PHOTO[:500], 0)
    assert client.delete(location, headers=tus_headers(token)).status_code == 204
    assert client.head(location, headers=tus_headers(token)).status_code == 404
    assert patch(client, token, location, PHOTO[500:], 500).status_code == 404
    assert staging_files(photo_app) == []


def test_expired_upload_answers_410_and_is_cleaned(photo_app, tokens, monkeypatch):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token).headers["Location"]
    patch(client, token, location, PHOTO[:500], 0)
    later = clock.now() + timedelta(hours=25)
    monkeypatch.setattr(clock, "now", lambda: later)
    r = patch(client, token, location, PHOTO[500:], 500)
    assert r.status_code == 410 and r.get_json()["error"] == "upload_expired"
    assert staging_files(photo_app) == []
    assert client.head(location, headers=tus_headers(token)).status_code == 404


def test_purge_removes_only_expired_uploads(photo_app, tokens, monkeypatch):
    from server.uploads import service
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    create(client, token)
    later = clock.now() + timedelta(hours=25)
    monkeypatch.setattr(clock, "now", lambda: later)
    create(client, token)
    with photo_app.app_context():
        assert service.purge_expired() == 1
    assert len(staging_files(photo_app)) == 2   # the fresh upload's .part and .json


@pytest.mark.parametrize("auth", [None, "Bearer nonsense"])
def test_unauthenticated_requests_are_401(photo_app, auth):
    headers = tus_headers(None, **{"Upload-Length": "10", "Upload-Metadata": metadata_header(PHOTO)})
    if auth:
        headers["Authorization"] = auth
    r = photo_app.test_client().post("/api/v1/uploads", headers=headers)
    assert r.status_code == 401 and r.headers["Tus-Resumable"] == "1.0.0"


def test_revoked_device_is_401_mid_upload(photo_app, tokens):
    from server.accounts.models import Device, Token
    from server.kernel.auth import hash_token
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    location = create(client, token).headers["Location"]
    with photo_app.app_context():
        device = db.session.get(Device, db.session.get(Token, hash_token(token)).device_id)
        device.revoked_at = clock.now()
        db.session.commit()
    r = patch(client, token, location, PHOTO, 0)
    assert r.status_code == 401 and r.get_json()["error"] == "device_revoked"
    assert stored(photo_app) == (None, False)


def test_another_user_cannot_see_or_continue_an_upload(photo_app, tokens):
    client = photo_app.test_client()
    location = create(client, tokens["insp_chaoyang"]).headers["Location"]
    assert client.head(location, headers=tus_headers(tokens["insp_pudong"])).status_code == 404
    assert patch(client, tokens["insp_pudong"], location, PHOTO, 0).status_code == 404


def test_uploading_a_photo_the_server_has_is_idempotent(photo_app, tokens):
    client, token = photo_app.test_client(), tokens["insp_chaoyang"]
    for _ in range(2):
        location = create(client, token).headers["Location"]
        assert patch(client, token, location, PHOTO, 0).status_code == 204
    with photo_app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(EvidenceEvent)).scalar() == 1
