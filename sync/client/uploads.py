"""Resumable photo uploads from the device: tus 1.0.0 against /api/v1/uploads.

A photo's id is the SHA-256 of its bytes. Before sending, the uploader asks the server
which photos it already has (``POST /photos/check``) and never sends those. An upload's
URL is remembered (``url_store``, e.g. the device's photo store) so that an upload cut
by the network — or by the app being killed — continues from the offset the server
reports (``HEAD``), never from the client's guess. Each chunk carries
``Upload-Checksum: sha256 <base64>``; a damaged chunk (460) is simply sent again.
Failures back off (sync.client.retry) and the count restarts whenever bytes get through,
so a link that drops every few seconds still finishes, while a dead one gives up. When a
chunk never gets through, the chunk size halves (down to 32 KiB): a checksummed chunk is
all-or-nothing, so it must fit between two drops.
"""
from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin

import requests

from sync.client.errors import RetryableError
from sync.client.retry import RetryPolicy
from sync.client.transport import classify
from sync.protocol import API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION

TUS_VERSION = "1.0.0"
DEFAULT_CHUNK = 2 * 1024 * 1024


def _read(source: bytes | str | os.PathLike) -> bytes:
    return bytes(source) if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()


class UploadUrlStore(Protocol):
    """Where upload URLs survive between attempts (and app restarts)."""

    def get(self, sha256: str) -> str | None: ...

    def set(self, sha256: str, url: str) -> None: ...

    def delete(self, sha256: str) -> None: ...


class MemoryUrlStore:
    """An UploadUrlStore in a dict (lost when the process ends)."""

    def __init__(self) -> None:
        self.urls: dict[str, str] = {}

    def get(self, sha256: str) -> str | None:
        return self.urls.get(sha256)

    def set(self, sha256: str, url: str) -> None:
        self.urls[sha256] = url

    def delete(self, sha256: str) -> None:
        self.urls.pop(sha256, None)


@dataclass
class UploadResult:
    """What happened to one photo."""

    sha256: str
    status: str                       # "uploaded" | "already_present"
    bytes_sent: int = 0
    resumed_from: int | None = None   # the server's offset when an earlier upload was continued
    failures: int = 0                 # retryable failures survived
    patch_offsets: list[int] = field(default_factory=list)


class PhotoUploader:
    """Uploads photos to one server with one token (thread-compatible, not thread-safe)."""

    def __init__(self, server_url: str, token: str, *, chunk_size: int = DEFAULT_CHUNK, checksum: bool = True,
                 retry: RetryPolicy | None = None, url_store: UploadUrlStore | None = None,
                 session=None, timeout: tuple[float, float] = (5.0, 60.0)) -> None:
        self.base = server_url.rstrip("/")
        self.token = token
        self.chunk_size = chunk_size
        self.min_chunk_size = min(chunk_size, 32 * 1024)
        self._chunk = chunk_size
        self.checksum = checksum
        self.retry = retry or RetryPolicy(max_attempts=8, base_delay=0.5, max_delay=15.0, max_total=600.0)
        self.urls = url_store or MemoryUrlStore()
        self.session = session or requests.Session()
        self.timeout = timeout
        self._requests = requests

    # -- HTTP ---------------------------------------------------------------------------
    def _headers(self, **extra: str) -> dict[str, str]:
        return {"Tus-Resumable": TUS_VERSION, PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                "Authorization": f"Bearer {self.token}", **extra}

    def _request(self, method: str, url: str, **kwargs):
        try:
            return self.session.request(method, url, timeout=self.timeout, **kwargs)
        except self._requests.RequestException as exc:
            raise RetryableError(f"网络错误 / network error: {type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _raise_for(response) -> None:
        if not 200 <= response.status_code < 300:
            classify(response.status_code, response.content)

    # -- API ----------------------------------------------------------------------------
    def check(self, hashes: Iterable[str]) -> set[str]:
        """Return the hashes the server already has. Raises TransportError (RetryableError
        for network trouble and 5xx)."""
        hashes = sorted(set(hashes))
        if not hashes:
            return set()
        response = self._request("POST", f"{self.base}{API_PREFIX}/photos/check", json={"hashes": hashes},
                                 headers=self._headers())
        return set(classify(response.status_code, response.content).get("present", ()))

    def upload(self, source: bytes | str | os.PathLike, sha256: str | None = None, *,
               filename: str | None = None, skip_check: bool = False) -> UploadResult:
        """Send one photo unless the server has it; return what happened.

        Raises ValueError if ``sha256`` is given and wrong; RequestRejected (the server
        refused the photo: 4xx such as a corrupt image), CredentialsError (401), or the
        last RetryableError when the network stays down past the retry policy."""
        data = _read(source)
        actual = hashlib.sha256(data).hexdigest()
        if sha256 is not None and sha256 != actual:
            raise ValueError(f"photo bytes hash to {actual}, not {sha256}")
        result = UploadResult(actual, "uploaded")
        self._chunk = self.chunk_size
        if not skip_check and actual in self._with_retry(lambda: self.check([actual]), result):
            self.urls.delete(actual)
            result.status = "already_present"
            return result
        self._send(data, actual, filename, result)
        return result

    def upload_many(self, sources: Iterable[bytes | str | os.PathLike]) -> list[UploadResult]:
        """Upload several photos after one check; return one UploadResult each, in order."""
        blobs = [_read(s) for s in sources]
        hashes = [hashlib.sha256(b).hexdigest() for b in blobs]
        probe = UploadResult("", "")
        present = self._with_retry(lambda: self.check(hashes), probe) if hashes else set()
        results = []
        for blob, digest in zip(blobs, hashes):
            if digest in present:
                results.append(UploadResult(digest, "already_present"))
            else:
                results.append(self.upload(blob, digest, skip_check=True))
        return results

    def terminate(self, sha256: str) -> bool:
        """Abandon an unfinished upload (tus termination); return True if there was one."""
        url = self.urls.get(sha256)
        if not url:
            return False
        self.urls.delete(sha256)
        response = self._request("DELETE", url, headers=self._headers())
        return response.status_code == 204

    # -- internals ----------------------------------------------------------------------
    def _with_retry(self, action, result: UploadResult):
        failures = 0
        started = self.retry.clock()
        while True:
            try:
                return action()
            except RetryableError:
                failures += 1
                result.failures += 1
                wait = self.retry.delay(failures)
                if failures >= self.retry.max_attempts or self.retry.clock() - started + wait > self.retry.max_total:
                    raise
                self.retry.sleep(wait)

    def _create(self, data: bytes, sha256: str, filename: str | None) -> str:
        meta = {"sha256": sha256, "filename": filename or f"{sha256[:16]}.jpg"}
        encoded = ",".join(f"{k} {base64.b64encode(v.encode('utf-8')).decode('ascii')}" for k, v in meta.items())
        response = self._request("POST", f"{self.base}{API_PREFIX}/uploads", headers=self._headers(**{
            "Upload-Length": str(len(data)), "Upload-Metadata": encoded}))
        self._raise_for(response)
        url = urljoin(self.base + "/", response.headers["Location"])
        self.urls.set(sha256, url)
        return url

    def _server_offset(self, url: str) -> int | None:
        """Return the server's offset, or None when the upload is gone (404/410)."""
        response = self._request("HEAD", url, headers=self._headers())
        if response.status_code in (404, 410):
            return None
        self._raise_for(response)
        return int(response.headers["Upload-Offset"])

    def _send(self, data: bytes, sha256: str, filename: str | None, result: UploadResult) -> None:
        url = self.urls.get(sha256)
        offset: int | None = None
        failures, started = 0, self.retry.clock()
        while True:
            sent_before = result.bytes_sent
            try:
                if url is not None and offset is None:
                    offset = self._server_offset(url)
                    if offset is None:           # finished meanwhile, expired or terminated
                        self.urls.delete(sha256)
                        url = None
                        if sha256 in self.check([sha256]):
                            return
                    elif result.resumed_from is None:
                        result.resumed_from = offset
                if url is None:
                    url, offset = self._create(data, sha256, filename), 0
                if self._patch_until_done(url, data, offset, result):
                    self.urls.delete(sha256)
                    return
                problem: Exception = RetryableError("409/460: offset or chunk checksum refused")
            except RetryableError as exc:
                problem = exc
            offset = None                        # ask the server where it stands
            if result.bytes_sent > sent_before:
                failures = 0                     # progress: a flaky link is not a dead one
            elif isinstance(problem, RetryableError):
                # no chunk got through: the link drops sooner than a chunk takes; send smaller ones
                self._chunk = max(self.min_chunk_size, self._chunk // 2)
            failures += 1
            result.failures += 1
            wait = self.retry.delay(failures)
            if failures >= self.retry.max_attempts or self.retry.clock() - started + wait > self.retry.max_total:
                raise problem

            self.retry.sleep(wait)

    def _patch_until_done(self, url: str, data: bytes, offset: int, result: UploadResult) -> bool:
        """PATCH chunks from ``offset``; return True when done, False to re-read the offset."""
        while offset < len(data):
            chunk = data[offset:offset + self._chunk]
            headers = self._headers(**{"Upload-Offset": str(offset),
                                       "Content-Type": "application/offset+octet-stream"})
            if self.checksum:
                headers["Upload-Checksum"] = "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()
            result.patch_offsets.append(offset)
            response = self._request("PATCH", url, data=chunk, headers=headers)
            if response.status_code in (409, 460):
                return False
            self._raise_for(response)
            new_offset = int(response.headers["Upload-Offset"])
            result.bytes_sent += max(0, new_offset - offset)
            offset = new_offset
        return True

