"""sync.client.uploads against the real server on loopback: ask first, never resend,
resume from the server's offset, give up cleanly on refusals."""
from __future__ import annotations

import hashlib

import pytest
import requests

from server.app import loopback
from server.photos.samples import make_noise_jpeg, make_photo
from sync.client.errors import CredentialsError, RequestRejected, RetryableError
from sync.client.retry import RetryPolicy
from sync.client.uploads import MemoryUrlStore, PhotoUploader, UploadResult

CHUNK = 64 * 1024


class CountingSession(requests.Session):
    """A requests session that records (method, path) of every request."""

    def __init__(self):
        super().__init__()
        self.calls: list[tuple[str, str]] = []

    def request(self, method, url, *args, **kwargs):
        self.calls.append((method, url.split("/api/v1", 1)[-1]))
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def server(tmp_path):
    app = loopback.make_app(tmp_path, GBFIELD_BLOB_FSYNC="0")
    with app.app_context():
        token = loopback.device_token("insp_chaoyang")[1]
    with loopback.serve(app) as url:
        yield url, token
    loopback.dispose(app)


def fast() -> RetryPolicy:
    return RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.02, max_total=10)


def uploader(server, **kw) -> PhotoUploader:
    url, token = server
    return PhotoUploader(url, kw.pop("token", token), chunk_size=CHUNK, retry=fast(), **kw)


def test_a_photo_is_sent_once_and_never_again(server):
    photo = make_noise_jpeg(200_000, seed=3)
    session = CountingSession()
    first = uploader(server, session=session).upload(photo)
    assert first.status == "uploaded" and first.bytes_sent == len(photo)
    assert [m for m, _ in session.calls].count("PATCH") == -(-len(photo) // CHUNK)
    session.calls.clear()
    again = uploader(server, session=session).upload(photo)
    assert again.status == "already_present" and again.bytes_sent == 0
    assert session.calls == [("POST", "/photos/check")]


def test_upload_many_checks_once_and_skips_what_the_server_has(server):
    photos = [make_photo(300, 200, seed=n, noise=True) for n in range(3)]
    uploader(server).upload(photos[1])
    session = CountingSession()
    results = uploader(server, session=session).upload_many(photos)
    assert [r.status for r in results] == ["uploaded", "already_present", "uploaded"]
    assert [c for c in session.calls if c[0] == "POST" and c[1] == "/photos/check"] == [("POST", "/photos/check")]
    assert sum(1 for m, p in session.calls if m == "POST" and p == "/uploads") == 2


def test_resume_uses_the_server_offset_not_the_clients(server):
    photo = make_noise_jpeg(300_000, seed=4)
    urls = MemoryUrlStore()
    first = uploader(server, url_store=urls)
    sha = hashlib.sha256(photo).hexdigest()
    url = first._create(photo, sha, None)
    first_result = UploadResult(sha, "uploaded")
    first._patch_until_done(url, photo[:3 * CHUNK], 0, first_result)     # then the app is killed
    assert first_result.bytes_sent == 3 * CHUNK
    result = uploader(server, url_store=urls).upload(photo)
    assert result.resumed_from == 3 * CHUNK and result.patch_offsets[0] == 3 * CHUNK
    assert result.bytes_sent == len(photo) - 3 * CHUNK


def test_a_forgotten_or_terminated_upload_starts_again(server):
    photo = make_photo(400, 300, seed=9)
    urls = MemoryUrlStore()
    client = uploader(server, url_store=urls)
    sha = hashlib.sha256(photo).hexdigest()
    client._create(photo, sha, None)
    assert client.terminate(sha) is True
    assert urls.get(sha) is None
    urls.set(sha, server[0] + "/api/v1/uploads/" + "0" * 32)   # a URL the server does not know
    result = client.upload(photo)
    assert result.status == "uploaded" and result.resumed_from is None


def test_a_refused_photo_raises_without_retrying(server):
    junk = "这不是照片\n".encode() * 100
    session = CountingSession()
    with pytest.raises(RequestRejected) as caught:
        uploader(server, session=session).upload(junk)
    assert caught.value.status == 415 and "不是图片" in str(caught.value)
    assert [m for m, _ in session.calls].count("PATCH") == 1


def test_a_bad_token_is_a_credentials_error(server):
    with pytest.raises(CredentialsError):
        uploader(server, token="wrong").upload(make_photo(100, 100))


def test_a_dead_server_gives_up_after_the_retry_budget(server):
    dead = PhotoUploader("http://127.0.0.1:9", "t", retry=fast(), timeout=(0.2, 0.2))
    with pytest.raises(RetryableError):
        dead.upload(make_photo(100, 100))


def test_a_wrong_declared_hash_is_refused_locally(server):
    with pytest.raises(ValueError):
        uploader(server).upload(make_photo(100, 100), sha256="0" * 64)
