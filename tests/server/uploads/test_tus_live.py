"""tus over real HTTP on loopback: the official client (tuspy) and ours, interrupted
uploads resuming from the server's offset, and a link that keeps dropping."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import pytest
import requests
from cutting_proxy import CuttingProxy
from tus_testkit import metadata_header, partial_patch, tus_headers, wait_for
from tusclient import client as tus_client
from tusclient.exceptions import TusCommunicationError

from server.kernel.extensions import db
from server.photos.models import Photo
from server.photos.samples import make_noise_jpeg, make_photo
from server.photos.storage import blob_key, blob_store
from sync.client.retry import RetryPolicy
from sync.client.uploads import MemoryUrlStore, PhotoUploader

CHUNK = 64 * 1024
PHOTO = make_noise_jpeg(300_000, seed=7)
SHA = hashlib.sha256(PHOTO).hexdigest()


def stored_sha(app, sha=SHA) -> str | None:
    with app.app_context():
        if db.session.get(Photo, sha) is None:
            return None
        return hashlib.sha256(blob_store().get(blob_key("original", sha))).hexdigest()


def no_wait() -> RetryPolicy:
    return RetryPolicy(max_attempts=6, base_delay=0.01, max_delay=0.05, max_total=30)


def test_official_tuspy_client_uploads_a_photo(photo_app, tokens, live_url, tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(PHOTO)
    client = tus_client.TusClient(f"{live_url}/api/v1/uploads",
                                  headers={"Authorization": f"Bearer {tokens['insp_chaoyang']}"})
    uploader = client.uploader(str(path), chunk_size=CHUNK, metadata={"sha256": SHA, "filename": "p.jpg"},
                               upload_checksum=True)   # tuspy's checksum is sha1; the server accepts it
    uploader.upload()
    assert uploader.offset == len(PHOTO)
    assert stored_sha(photo_app) == SHA


def test_tuspy_resumes_an_interrupted_upload_from_the_server_offset(photo_app, tokens, live_url, tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(PHOTO)
    client = tus_client.TusClient(f"{live_url}/api/v1/uploads",
                                  headers={"Authorization": f"Bearer {tokens['insp_chaoyang']}"})
    first = client.uploader(str(path), chunk_size=CHUNK, metadata={"sha256": SHA})
    first.upload(stop_at=3 * CHUNK)                                  # the app is killed here
    assert stored_sha(photo_app) is None
    second = client.uploader(str(path), chunk_size=CHUNK, url=first.url, metadata={"sha256": SHA})
    assert second.offset == 3 * CHUNK                                 # asked the server (HEAD)
    second.upload()
    assert stored_sha(photo_app) == SHA


def test_tuspy_sees_a_link_drop_and_a_new_uploader_finishes(photo_app, tokens, live_url, tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(PHOTO)
    upstream = urlsplit(live_url).port
    auth = {"Authorization": f"Bearer {tokens['insp_chaoyang']}"}
    # a link that drops every 40 kB the tablet sends (tuspy opens a connection per request)
    with CuttingProxy(upstream, cut_probability=1.0, min_bytes=40_000, max_bytes=40_000,
                      direction="request") as proxy:
        client = tus_client.TusClient(f"http://127.0.0.1:{proxy.port}/api/v1/uploads", headers=auth)
        uploader = client.uploader(str(path), chunk_size=CHUNK, metadata={"sha256": SHA})
        url = None
        for _ in range(40):
            try:
                if url:
                    uploader = client.uploader(str(path), chunk_size=CHUNK, url=url, metadata={"sha256": SHA})
                uploader.upload()
                break
            except (TusCommunicationError, requests.RequestException):
                url = uploader.url or url
        assert proxy.cuts >= 2
    assert stored_sha(photo_app) == SHA


@pytest.mark.parametrize("checksum", [False, True], ids=["no-checksum", "checksum"])
@pytest.mark.parametrize("cut", [0, 1, CHUNK - 1, CHUNK, len(PHOTO) // 2, len(PHOTO) - 1])
def test_upload_cut_at_any_byte_resumes_from_the_server_offset(photo_app, tokens, live_url, cut, checksum):
    token = tokens["insp_chaoyang"]
    r = requests.post(f"{live_url}/api/v1/uploads", headers=tus_headers(
        token, **{"Upload-Length": str(len(PHOTO)), "Upload-Metadata": metadata_header(PHOTO)}))
    url = f"{live_url}{r.headers['Location']}"
    partial_patch(url, token, PHOTO, 0, cut, checksum=checksum)
    kept = 0 if checksum else cut        # an unverifiable partial chunk is discarded
    head = lambda: requests.head(url, headers=tus_headers(token)).headers.get("Upload-Offset")
    assert wait_for(lambda: head() == str(kept)), head()
    urls = MemoryUrlStore()
    urls.set(SHA, url)
    uploader = PhotoUploader(live_url, token, chunk_size=CHUNK, url_store=urls, retry=no_wait())
    result = uploader.upload(PHOTO)
    assert result.resumed_from == kept and result.patch_offsets[0] == kept
    assert result.bytes_sent == len(PHOTO) - kept
    assert stored_sha(photo_app) == SHA
    assert urls.get(SHA) is None


def test_our_client_survives_a_link_that_keeps_dropping(photo_app, tokens, live_url):
    photo = make_noise_jpeg(1_000_000, seed=11)
    with CuttingProxy(urlsplit(live_url).port, cut_probability=1.0, min_bytes=150_000, max_bytes=150_000,
                      direction="request") as proxy:
        uploader = PhotoUploader(f"http://127.0.0.1:{proxy.port}", tokens["insp_chaoyang"],
                                 chunk_size=512 * 1024, retry=no_wait())
        result = uploader.upload(photo)
        # 512 KiB and 256 KiB chunks are cut; 128 KiB ones fit between two drops
        assert proxy.cuts >= 2 and result.failures >= 2
        assert 128 * 1024 in {b - a for a, b in zip(result.patch_offsets, result.patch_offsets[1:])}
    assert result.status == "uploaded"
    assert stored_sha(photo_app, result.sha256) == result.sha256


def test_the_public_copy_over_http_has_no_gps_but_metadata_keeps_it(photo_app, tokens, live_url):
    from server.photos.samples import gps_exif
    photo = make_photo(800, 600, exif=gps_exif(lat=31.2304, lon=121.4737))
    sha = PhotoUploader(live_url, tokens["insp_chaoyang"], retry=no_wait()).upload(photo).sha256
    assert requests.get(f"{live_url}/api/v1/photos/{sha}/public").status_code == 404   # private until published
    published = requests.post(f"{live_url}/api/v1/photos/{sha}/publish",
                              headers={"Authorization": f"Bearer {tokens['sup_chaoyang']}"})
    assert published.status_code == 200, published.text
    public = requests.get(f"{live_url}/api/v1/photos/{sha}/public")
    assert public.status_code == 200 and public.headers["Content-Type"] == "image/jpeg"
    assert b"Exif" not in public.content[:2000] and b"GPS" not in public.content
    meta = requests.get(f"{live_url}/api/v1/photos/{sha}", headers={"Authorization": f"Bearer {tokens['insp_chaoyang']}"})
    assert meta.json()["exif"]["gps_lat"].startswith("31.230")
