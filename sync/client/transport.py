"""How the engine talks to the server: an interface, HTTP with `requests`, and WSGI for tests.

Bodies of 1 KiB or more are sent compressed (gzip, or zstd once the server's
`Accept-Encoding` answer header names it and `zstandard` is installed); a server that
answers 415 to an encoded body gets it again plain, and plain from then on. Answers are
asked for compressed (`requests` sends `Accept-Encoding` and decodes). One
`requests.Session` per transport keeps its connections alive between requests.

Answers are classified in one place (`classify`):
network error, timeout, 5xx, 429 → RetryableError; 410 → ResyncRequired;
401 → CredentialsError; 426 → ClientTooOld; other 4xx → RequestRejected.
"""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import requests

try:
    import zstandard
except ImportError:  # a tablet build without it sends gzip
    zstandard = None

from device.jsontext import JSONDecodeError, dumpb, loads
from sync.client.errors import (
    ClientTooOld,
    CredentialsError,
    RequestRejected,
    ResyncRequired,
    RetryableError,
    TransportError,
)
from sync.protocol import (
    API_PREFIX,
    DATA_TEXT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    ErrorBody,
    ErrorCode,
    ProtocolError,
)
from sync.protocol.catalog_signing import SIGNED_FIELD, signed_block

JSON = dict[str, Any]
#: bodies shorter than this go plain (compression would not pay for its header)
COMPRESS_MIN_BYTES = 1024


def encode_body(body: bytes, encoding: str) -> bytes:
    """Return `body` compressed with `encoding` ("gzip" or "zstd"); raises ValueError for others."""
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=6, mtime=0)
    if encoding == "zstd" and zstandard is not None:
        return zstandard.ZstdCompressor(level=3).compress(body)
    raise ValueError(f"cannot encode {encoding!r}")


def choose_encoding(accepted_header: str | None, current: str | None) -> str | None:
    """Return the request encoding to use after a server answered `Accept-Encoding:
    accepted_header` (None: keep `current`)."""
    if not accepted_header or current is None:
        return current
    offered = {part.split(";")[0].strip().lower() for part in accepted_header.split(",")}
    if "zstd" in offered and zstandard is not None:
        return "zstd"
    return "gzip" if "gzip" in offered else None


class Transport(Protocol):
    """What the engine needs from a server connection (every method raises TransportError)."""

    def pull(self, since: int, limit: int, entities: Iterable[str] | None = None,
             horizon: int | None = None) -> JSON: ...

    def push(self, items: list[JSON]) -> JSON: ...

    def digest(self, digests: Mapping[str, str]) -> JSON: ...

    def enrol(self, code: str, device_label: str, platform: str) -> JSON: ...


def classify(status: int, body: bytes) -> JSON:
    """Return the decoded JSON body of a 2xx answer; raise the TransportError the status means."""
    if 200 <= status < 300:
        try:
            return loads(body) if body else {}
        except JSONDecodeError as exc:
            # a body cut short by the network reads as invalid JSON: worth another try
            raise RetryableError(f"unreadable answer ({len(body)} bytes)", status=status) from exc
    try:
        err = ErrorBody.from_json(json.loads(body), status=status)
    except (ValueError, ProtocolError):
        err = ErrorBody(status, ErrorCode.INTERNAL_ERROR if status >= 500 else ErrorCode.BAD_REQUEST,
                        body[:200].decode("utf-8", "replace"))
    text = f"{err.status} {err.error}: {err.message}".strip()
    kw = {"code": err.error, "status": status, "details": err.details}
    if status >= 500 or status in (408, 429):
        raise RetryableError(text, **kw)
    if status == 410:
        entities = err.details.get("entities") or []
        raise ResyncRequired(text, tuple(entities) if isinstance(entities, list) else (),
                             details=err.details)
    if status == 401:
        raise CredentialsError(text, **kw)
    if status == 426:
        raise ClientTooOld("请更新应用 / update the app: " + text, **kw)
    raise RequestRejected(text, **kw)


class _BaseTransport:
    """Shared request building; subclasses implement `_send(method, path, body, params, headers)`."""

    def __init__(self, token: str | None = None, *, compress: bool = True):
        self.token = token
        self.requests_sent = 0
        #: how request bodies are encoded (None = plain); see choose_encoding
        self.request_encoding: str | None = "gzip" if compress else None
        self.bytes_sent = 0

    def headers(self) -> dict[str, str]:
        """Return the headers of every request (protocol version, bearer token)."""
        h = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Accept": "application/json"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def _send(self, method: str, path: str, body: bytes | None, params: Mapping[str, Any] | None,
              headers: Mapping[str, str]) -> tuple[int, bytes, Mapping[str, str]]:
        """Send one request; return (status, decoded body, answer headers)."""
        raise NotImplementedError

    def _call(self, method: str, path: str, payload: Any = None,
              params: Mapping[str, Any] | None = None, signed: bool = False) -> JSON:
        """Send one request; return the decoded answer (with `signed`, the answer's
        signature block under SIGNED_FIELD, see sync.protocol.catalog_signing). Raises
        TransportError as `classify` says."""
        body = None if payload is None else dumpb(payload)
        while True:
            headers = self.headers()
            encoding = self.request_encoding if body is not None and len(body) >= COMPRESS_MIN_BYTES else None
            sent = body
            if body is not None:
                headers["Content-Type"] = "application/json"
            if encoding:
                sent = encode_body(body, encoding)
                headers["Content-Encoding"] = encoding
            self.requests_sent += 1
            self.bytes_sent += len(sent or b"")
            status, raw, answer_headers = self._send(method, API_PREFIX + path, sent, params, headers)
            if encoding and status == 415:
                self.request_encoding = None      # a server that does not decode it: plain from now on
                continue
            self.request_encoding = choose_encoding(answer_headers.get("Accept-Encoding"), self.request_encoding)
            answer = classify(status, raw)
            if signed and isinstance(answer, dict):
                answer[SIGNED_FIELD] = signed_block(raw, answer_headers)
            return answer

    def pull(self, since: int, limit: int, entities: Iterable[str] | None = None,
             horizon: int | None = None) -> JSON:
        """Return one pull page (raw JSON) of changes after `since` (`horizon`: the one the
        previous page reported, see sync.protocol.pull_is_stale). Upserts' `data` arrive as
        JSON text (`data=text`), which the store keeps as is. The page carries its
        signature block (SIGNED_FIELD) for the engine to check before applying it."""
        params: dict[str, Any] = {"since": since, "limit": limit, "data": DATA_TEXT}
        if horizon is not None:
            params["horizon"] = horizon
        if entities:
            params["entities"] = ",".join(entities)
        return self._call("GET", "/sync/pull", params=params, signed=True)

    def push(self, items: list[JSON]) -> JSON:
        """Return the push answer (raw JSON) for `items`."""
        return self._call("POST", "/sync/push", {"items": items})

    def digest(self, digests: Mapping[str, str]) -> JSON:
        """Return the digest answer `{mismatched: [...]}`."""
        return self._call("POST", "/sync/digest", {"digests": dict(digests)})

    def enrol(self, code: str, device_label: str, platform: str, password: str | None = None) -> JSON:
        """Return `{device_id, token, server_url, user}` for a one-time enrolment code,
        confirmed with the password of the officer the tablet is for."""
        body = {"code": code, "device_label": device_label, "platform": platform}
        if password:
            body["password"] = password
        return self._call("POST", "/devices/enrol", body)


class HttpTransport(_BaseTransport):
    """The real transport: `requests.Session` with connect/read timeouts."""

    def __init__(self, server_url: str, token: str | None = None, *,
                 timeout: tuple[float, float] = (5.0, 60.0), session: Any = None, compress: bool = True):
        super().__init__(token, compress=compress)
        self.server_url = server_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def _send(self, method, path, body, params, headers):
        try:
            resp = self.session.request(method, self.server_url + path, data=body, params=params,
                                        headers=headers, timeout=self.timeout)
            return resp.status_code, resp.content, resp.headers
        except requests.RequestException as exc:
            raise RetryableError(f"网络错误 / network error: {type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        """Close the HTTP session's pooled connections."""
        self.session.close()


class WsgiTransport(_BaseTransport):
    """In-process transport calling a WSGI app (e.g. the Flask server) — for tests and benches.

    It exercises the real server code without sockets; faults can be injected by wrapping it.
    """

    def __init__(self, wsgi_app: Any, token: str | None = None, *, compress: bool = True):
        super().__init__(token, compress=compress)
        from werkzeug.test import Client  # noqa: PLC0415 — werkzeug comes with the server: tests and benches only, the tablet has no use for it

        self.client = Client(wsgi_app)

    def _send(self, method, path, body, params, headers):
        try:
            resp = self.client.open(path, method=method, data=body, query_string=params,
                                    headers=headers, content_type="application/json")
        except TransportError:
            raise
        except Exception as exc:  # the app crashed: what a 500 would be over HTTP
            raise RetryableError(f"server raised {type(exc).__name__}: {exc}") from exc
        return resp.status_code, resp.get_data(), resp.headers
