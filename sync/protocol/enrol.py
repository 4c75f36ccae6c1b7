"""The enrolment QR payload `gbfield-enrol:v1?server=<url>&code=<code>`."""
from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

from sync.protocol.constants import ENROL_SCHEME
from sync.protocol.errors import ProtocolError


def make_enrol_payload(server_url: str, code: str) -> str:
    """Return the QR payload `gbfield-enrol:v1?server=<url>&code=<code>`."""
    return f"{ENROL_SCHEME}?server={quote(server_url, safe=':/')}&code={quote(code, safe='')}"


def parse_enrol_payload(payload: str) -> tuple[str, str]:
    """Return (server_url, code) from a QR enrolment payload.

    Raises ProtocolError when the text is not a `gbfield-enrol:v1` payload or lacks a part.
    """
    text = (payload or "").strip()
    if not text.startswith(ENROL_SCHEME + "?"):
        raise ProtocolError(f"不是登记二维码内容 / not an enrolment payload: {text[:60]!r}")
    query = parse_qs(text[len(ENROL_SCHEME) + 1:], keep_blank_values=True)
    server = (query.get("server") or [""])[0]
    code = (query.get("code") or [""])[0]
    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ProtocolError("登记二维码缺少服务器地址 / enrolment payload lacks a server URL")
    if not code:
        raise ProtocolError("登记二维码缺少登记码 / enrolment payload lacks a code")
    return server.rstrip("/"), code
