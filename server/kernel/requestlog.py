"""Structured logs: one JSON line per log record, each carrying the request id.

Every request gets an id: the client's `X-Request-Id` when it is a sane token (≤ 64 of
`A-Za-z0-9._-`), else a new one; it is answered in `X-Request-Id` and is on every log line
written while the request runs (`request_id`). After each request one line `request`
says method, route, path, status, milliseconds, bytes in and out, and who asked.
`GBFIELD_LOG_FORMAT=json` (the default) writes them as JSON to stderr when nothing else
(gunicorn's own logger aside) configured logging; `text` leaves logging alone.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
access_log = logging.getLogger("server.request")


def request_id() -> str | None:
    """Return the current request's id (None outside a request)."""
    return g.get("gbfield_request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Put `request_id` on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, request_id and the extras."""

    _STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}

    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
               "level": record.levelname, "logger": record.name, "message": record.getMessage(),
               "request_id": getattr(record, "request_id", None)}
        out.update({k: v for k, v in vars(record).items() if k not in self._STANDARD})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure(fmt: str) -> None:
    """Send the server's logs to stderr as JSON lines (`fmt` "json") unless the root
    logger already has handlers (tests, an embedding application). Idempotent."""
    server_log = logging.getLogger("server")
    if fmt != "json" or logging.getLogger().handlers or any(
            isinstance(h.formatter, JsonFormatter) for h in server_log.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    server_log.addHandler(handler)
    server_log.setLevel(logging.INFO)
    server_log.propagate = False


def _begin() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.gbfield_request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
    g.gbfield_request_t0 = time.perf_counter()


def _end(response):
    rid = g.get("gbfield_request_id")
    if rid is None:
        return response
    response.headers[REQUEST_ID_HEADER] = rid
    principal = g.get("principal")
    access_log.info("request", extra={
        "request_id": rid, "method": request.method,
        "route": request.url_rule.rule if request.url_rule is not None else None,
        "path": request.path, "status": response.status_code,
        "ms": round((time.perf_counter() - g.gbfield_request_t0) * 1000, 1),
        "bytes_in": request.environ.get("gbfield.body_bytes_as_sent", request.content_length or 0),
        "bytes_out": response.calculate_content_length(),
        "encoding": response.headers.get("Content-Encoding"),
        "user": getattr(principal, "username", None), "device": getattr(principal, "device_id", None)})
    return response


def init_app(app: Flask) -> None:
    """Give every request an id and log it (see above)."""
    configure(str(app.config.get("GBFIELD_LOG_FORMAT", "json")))
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request_funcs.setdefault(None, []).insert(0, _end)
