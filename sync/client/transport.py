"""How the engine talks to the server: an interface, HTTP with `requests`, and WSGI for tests.

Answers are classified in one place (`classify`):
network error, timeout, 5xx, 429 → RetryableError; 410 → ResyncRequired;
401 → CredentialsError; 426 → ClientTooOld; other 4xx → RequestRejected.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import orjson
import requests

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

JSON = dict[str, Any]


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
            return orjson.loads(body) if body else {}
        except orjson.JSONDecodeError as exc:
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
    """Shared request building; subclasses implement `_send(method, path, body, params)`."""

    def __init__(self, token: str | None = None):
        self.token = token
        self.requests_sent = 0

    def headers(self) -> dict[str, str]:
        """Return the headers of every request (protocol version, bearer token)."""
        h = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Accept": "application/json"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def _send(self, method: str, path: str, body: bytes | None,
              params: Mapping[str, Any] | None) -> tuple[int, bytes]:
        raise NotImplementedError

    def _call(self, method: str, path: str, payload: Any = None,
              params: Mapping[str, Any] | None = None) -> JSON:
        body = None if payload is None else orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)
        self.requests_sent += 1
        status, raw = self._send(method, API_PREFIX + path, body, params)
        return classify(status, raw)

    def pull(self, since: int, limit: int, entities: Iterable[str] | None = None,
             horizon: int | None = None) -> JSON:
        """Return one pull page (raw JSON) of changes after `since` (`horizon`: the one the
        previous page reported, see sync.protocol.pull_is_stale). Upserts' `data` arrive as
        JSON text (`data=text`), which the store keeps as is."""
        params: dict[str, Any] = {"since": since, "limit": limit, "data": DATA_TEXT}
        if horizon is not None:
            params["horizon"] = horizon
        if entities:
            params["entities"] = ",".join(entities)
        return self._call("GET", "/sync/pull", params=params)

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
                 timeout: tuple[float, float] = (5.0, 60.0), session: Any = None):
        super().__init__(token)
        self.server_url = server_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def _send(self, method, path, body, params):
        headers = self.headers()
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            resp = self.session.request(method, self.server_url + path, data=body, params=params,
                                        headers=headers, timeout=self.timeout)
            return resp.status_code, resp.content
        except requests.RequestException as exc:
            raise RetryableError(f"网络错误 / network error: {type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        """Close the HTTP session's pooled connections."""
        self.session.close()


class WsgiTransport(_BaseTransport):
    """In-process transport calling a WSGI app (e.g. the Flask server) — for tests and benches.

    It exercises the real server code without sockets; faults can be injected by wrapping it.
    """

    def __init__(self, wsgi_app: Any, token: str | None = None):
        super().__init__(token)
        from werkzeug.test import Client  # noqa: PLC0415 — werkzeug comes with the server: tests and benches only, the tablet has no use for it

        self.client = Client(wsgi_app)

    def _send(self, method, path, body, params):
        headers = self.headers()
        try:
            resp = self.client.open(path, method=method, data=body, query_string=params,
                                    headers=headers, content_type="application/json")
        except TransportError:
            raise
        except Exception as exc:  # the app crashed: what a 500 would be over HTTP
            raise RetryableError(f"server raised {type(exc).__name__}: {exc}") from exc
        return resp.status_code, resp.get_data()
