"""A photo uploaded through tus lands in the S3 store (SeaweedFS) and is served from it."""
from __future__ import annotations

import hashlib
import uuid

import pytest

from server.app import loopback
from server.photos.samples import gps_exif, make_photo
from sync.client.retry import RetryPolicy
from sync.client.uploads import PhotoUploader

pytestmark = pytest.mark.s3


def test_upload_and_fetch_through_the_s3_store(tmp_path, seaweedfs):
    import requests

    bucket = "photos-" + uuid.uuid4().hex[:8]
    app = loopback.make_app(tmp_path, GBFIELD_BLOB_STORE="s3", GBFIELD_S3_BUCKET=bucket,
                            GBFIELD_S3_ENDPOINT_URL=seaweedfs.url, GBFIELD_S3_ACCESS_KEY=seaweedfs.access_key,
                            GBFIELD_S3_SECRET_KEY=seaweedfs.secret_key)
    with app.app_context():
        token = loopback.device_token("insp_chaoyang")[1]
    photo = make_photo(900, 600, exif=gps_exif())
    try:
        with loopback.serve(app) as url:
            result = PhotoUploader(url, token, chunk_size=16 * 1024,
                                   retry=RetryPolicy(max_attempts=3, base_delay=0.01)).upload(photo)
            auth = {"Authorization": f"Bearer {token}"}
            original = requests.get(f"{url}/api/v1/photos/{result.sha256}/original", headers=auth)
            thumb = requests.get(f"{url}/api/v1/photos/{result.sha256}/thumb", headers=auth)
        assert hashlib.sha256(original.content).hexdigest() == result.sha256
        assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/jpeg"
        with app.app_context():
            from server.photos.storage import blob_store
            keys = list(blob_store().list("photos/"))
        assert f"photos/original/{result.sha256}" in keys and f"photos/thumb/{result.sha256}" in keys
        assert not (tmp_path / "blobs" / "photos").exists()      # nothing went to the folder store
    finally:
        loopback.dispose(app)
