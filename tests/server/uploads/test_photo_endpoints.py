"""The photo endpoints: check, metadata, original / thumb / screen / public, access by
jurisdiction, and photo arrival for inspections."""
from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from tus_testkit import checksum_header, metadata_header, tus_headers

from server.accounts.models import User
from server.inspections.models import Finding, Inspection
from server.kernel import clock
from server.kernel.extensions import db
from server.photos import service
from server.photos.samples import gps_exif, make_photo

PHOTO = make_photo(2000, 1000, exif=gps_exif(orientation=6))
SHA = hashlib.sha256(PHOTO).hexdigest()
OTHER = hashlib.sha256(b"never uploaded").hexdigest()


def upload(client, token, data=PHOTO):
    location = client.post("/api/v1/uploads", headers=tus_headers(
        token, **{"Upload-Length": str(len(data)), "Upload-Metadata": metadata_header(data)})).headers["Location"]
    r = client.patch(location, data=data, headers=tus_headers(token, **{
        "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": checksum_header(data)}))
    assert r.status_code == 204, r.get_json()


def get(client, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers)


@pytest.fixture
def uploaded(photo_app, tokens):
    client = photo_app.test_client()
    upload(client, tokens["insp_chaoyang"])
    return client


def test_check_says_which_photos_the_server_has(uploaded, tokens):
    r = uploaded.post("/api/v1/photos/check", json={"hashes": [SHA, OTHER.upper()]},
                      headers={"Authorization": f"Bearer {tokens['sup_chaoyang']}"})
    assert r.status_code == 200 and r.get_json() == {"present": [SHA], "missing": [OTHER]}


@pytest.mark.parametrize("who, answer", [("insp_pudong", 200), ("expert", 403)])
def test_finding9_check_answers_only_for_photos_the_caller_may_read(uploaded, tokens, who, answer):
    r = uploaded.post("/api/v1/photos/check", json={"hashes": [SHA, OTHER]},
                      headers={"Authorization": f"Bearer {tokens[who]}"})
    assert r.status_code == answer
    if answer == 200:       # another district's photo looks exactly like one that never arrived
        assert r.get_json() == {"present": [], "missing": sorted([SHA, OTHER])}


@pytest.mark.parametrize("body", [{"hashes": ["xyz"]}, {"hashes": "abc"}, {}])
def test_check_refuses_bad_bodies(uploaded, tokens, body):
    r = uploaded.post("/api/v1/photos/check", json=body, headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert r.status_code == 400 and r.get_json()["error"] == "validation_failed"


def test_check_needs_a_token(uploaded):
    assert uploaded.post("/api/v1/photos/check", json={"hashes": [SHA]}).status_code == 401


@pytest.mark.parametrize("who, status", [("insp_chaoyang", 200), ("sup_chaoyang", 200), ("admin", 200),
                                         ("insp_pudong", 404), ("expert", 403)])
@pytest.mark.parametrize("kind", ["original", "thumb", "screen", ""])
def test_originals_and_derivatives_only_inside_the_jurisdiction(uploaded, tokens, who, status, kind):
    r = get(uploaded, f"/api/v1/photos/{SHA}/{kind}".rstrip("/"), tokens[who])
    assert r.status_code == status      # finding 1: an expert reads no evidence photo, nor its metadata (403: the role)
    if status == 200 and kind == "original":
        assert hashlib.sha256(r.data).hexdigest() == SHA and r.headers["Cache-Control"].startswith("private")


def test_originals_need_a_token(uploaded):
    assert get(uploaded, f"/api/v1/photos/{SHA}/original").status_code == 401


def test_derivatives_are_upright_and_sized(uploaded, tokens):
    sizes = {kind: Image.open(io.BytesIO(get(uploaded, f"/api/v1/photos/{SHA}/{kind}", tokens["admin"]).data)).size
             for kind in ("thumb", "screen")}
    assert sizes == {"thumb": (128, 256), "screen": (800, 1600)}


def publish(client, token, sha=SHA, method="POST"):
    return client.open(f"/api/v1/photos/{sha}/publish", method=method, headers={"Authorization": f"Bearer {token}"})


def test_finding12_no_public_copy_until_a_supervisor_publishes_it_and_withdrawal_works(uploaded, tokens):
    assert get(uploaded, f"/api/v1/photos/{SHA}/public").status_code == 404
    assert publish(uploaded, tokens["insp_chaoyang"]).status_code == 403        # an inspector cannot
    assert publish(uploaded, tokens["insp_pudong"]).status_code == 403          # nor any inspector
    assert publish(uploaded, tokens["expert"]).status_code == 403
    r = publish(uploaded, tokens["sup_chaoyang"])
    assert r.status_code == 200 and r.get_json()["published"] is True
    public = get(uploaded, f"/api/v1/photos/{SHA}/public")
    assert public.status_code == 200 and public.headers["Cache-Control"] == "public, max-age=300"
    r = publish(uploaded, tokens["sup_chaoyang"], method="DELETE")
    assert r.status_code == 200 and r.get_json()["published"] is False
    assert get(uploaded, f"/api/v1/photos/{SHA}/public").status_code == 404


def test_public_copy_has_no_exif_but_the_metadata_keeps_position_and_time(uploaded, tokens):
    assert publish(uploaded, tokens["sup_chaoyang"]).status_code == 200
    public = get(uploaded, f"/api/v1/photos/{SHA}/public")
    assert public.status_code == 200 and public.headers["Cache-Control"].startswith("public")
    image = Image.open(io.BytesIO(public.data))
    assert image.size == (1000, 2000) and not image.getexif() and "xmp" not in image.info
    assert b"GPS" not in public.data
    meta = get(uploaded, f"/api/v1/photos/{SHA}", tokens["insp_chaoyang"]).get_json()
    assert meta["exif"]["gps_lat"].startswith("39.908") and meta["exif"]["taken_at"] == "2025-06-01T10:30:00"
    assert get(uploaded, f"/api/v1/photos/{SHA}", tokens["insp_pudong"]).status_code == 404


def test_etag_revalidation(uploaded, tokens):
    publish(uploaded, tokens["sup_chaoyang"])
    first = get(uploaded, f"/api/v1/photos/{SHA}/public")
    again = uploaded.get(f"/api/v1/photos/{SHA}/public", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_unknown_photo_is_404(uploaded, tokens):
    assert get(uploaded, f"/api/v1/photos/{OTHER}/public").status_code == 404
    assert get(uploaded, "/api/v1/photos/not-a-hash/public").status_code == 404


def test_eager_derivatives_are_made_at_upload(tmp_path, tokens):
    from server.app import loopback
    from server.photos.storage import blob_key, blob_store
    app = loopback.make_app(tmp_path, GBFIELD_PHOTO_DERIVATIVES="eager", GBFIELD_BLOB_FSYNC="0")
    with app.app_context():
        token = loopback.device_token("insp_chaoyang")[1]
    upload(app.test_client(), token)
    with app.app_context():
        assert all(blob_store().exists(blob_key(kind, SHA)) for kind in ("thumb", "screen"))
        assert not blob_store().exists(blob_key("public", SHA))    # no public copy unless published
    loopback.dispose(app)


def _inspection_with_photos(photos_by_revision):
    user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
    now = clock.now()
    db.session.add(Inspection(id="insp-1", status="submitted", jurisdiction_code="110105",
                              jurisdiction_path="/110000/110100/110105/", inspector_id=user.id,
                              inspected_on=now.date(), data={}, created_at=now, updated_at=now))
    db.session.flush()
    for revision, photos in enumerate(photos_by_revision, start=1):
        db.session.add(Finding(id="f-1", revision=revision, inspection_id="insp-1", indicator_id="x",
                               measured="1", data={"photos": photos}, author_id=user.id, created_at=now))
    db.session.commit()


def test_inspection_is_complete_only_when_every_referenced_photo_arrived(photo_app, tokens):
    client = photo_app.test_client()
    with photo_app.app_context():
        _inspection_with_photos([[OTHER], [SHA]])      # revision 2 replaced the photo list
    auth = {"Authorization": f"Bearer {tokens['sup_chaoyang']}"}
    before = client.get("/api/v1/inspections/insp-1/photo-status", headers=auth).get_json()
    assert before == {"referenced": [SHA], "missing": [SHA], "complete": False}
    upload(client, tokens["insp_chaoyang"])
    after = client.get("/api/v1/inspections/insp-1/photo-status", headers=auth).get_json()
    assert after == {"referenced": [SHA], "missing": [], "complete": True}
    other = client.get("/api/v1/inspections/insp-1/photo-status",
                       headers={"Authorization": f"Bearer {tokens['insp_pudong']}"})
    assert other.status_code == 404


def test_photos_missing_and_attached_events(photo_app, tokens):
    from server.evidence import service as evidence
    upload(photo_app.test_client(), tokens["insp_chaoyang"])
    with photo_app.app_context():
        assert service.photos_missing([SHA, OTHER]) == {OTHER}
        assert service.photos_missing([]) == set()
        service.record_attached([SHA, OTHER, SHA], record_type="finding", record_id="f-1", actor="insp_chaoyang")
        db.session.commit()
        kinds = [(e.kind, e.photo_sha256) for e in evidence.events_for_photo(SHA)]
        assert kinds == [("uploaded", SHA), ("attached", SHA)]
        assert evidence.verify().ok and evidence.verify().count == 3
