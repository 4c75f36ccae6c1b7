"""The ONE place that turns any error into the protocol's error body.

Every error the API answers has the body `{status, error, message, details}`
(docs/protocol.md). `register_error_handlers` maps the server's `DomainError`s
(server.kernel.errors), webargs/marshmallow validation errors (answered **400
validation_failed**, not flask-smorest's 422), werkzeug HTTP exceptions (404, 405, ...),
`sync.protocol.ProtocolError` (worded from its first FieldError), and unexpected exceptions
(500, logged, generic message) to that body; a person's browser outside the API gets the
site's error page instead (`wants_html`, HTML_ERROR_PAGE).
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import flask_smorest
import marshmallow as ma
from apispec import BasePlugin
from flask import current_app, has_request_context, jsonify, request
from werkzeug.exceptions import HTTPException

from assets.messages import text
from server.kernel.errors import DomainError, RateLimited
from server.kernel.i18n import request_language
from sync.protocol import ERROR_STATUS, ErrorCode, ProtocolError

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str, details: Mapping[str, Any] | None = None):
    """Return a Flask response carrying the one error body."""
    resp = jsonify({"status": status, "error": code, "message": message,
                    "details": dict(details or {})})
    resp.status_code = status
    return resp


_HTTP_CODES = {400: ErrorCode.BAD_REQUEST, 401: ErrorCode.UNAUTHORIZED, 403: ErrorCode.FORBIDDEN,
               404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED,
               409: ErrorCode.CONFLICT, 410: ErrorCode.RESYNC_REQUIRED,
               413: ErrorCode.PAYLOAD_TOO_LARGE, 415: ErrorCode.BAD_REQUEST,
               422: ErrorCode.VALIDATION_FAILED, 426: ErrorCode.CLIENT_TOO_OLD,
               429: ErrorCode.RATE_LIMITED, 503: ErrorCode.UNAVAILABLE}

#: HTTP statuses whose werkzeug answers get a message of the catalogue (error.http.<status>)
_HTTP_MESSAGES = (400, 404, 405, 413, 415)


class ErrorSchema(ma.Schema):
    """The one error body (documentation only)."""

    status = ma.fields.Integer()
    error = ma.fields.String(metadata={"description": "stable machine code (sync.protocol.ErrorCode)"})
    message = ma.fields.String(metadata={"description": "for a person, in the request's language "
                                                        "(Accept-Language; zh-CN by default)"})
    details = ma.fields.Dict()


class ValidationStatusPlugin(BasePlugin):
    """apispec plugin: document argument validation errors as the 400 the app answers
    (flask-smorest documents webargs' 422, which `handle_http_exception` turns into 400)."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        """Move every operation's 422 response to 400 (BAD_REQUEST, the error body)."""
        for operation in (operations or {}).values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if responses:
                for key in (422, "422"):
                    if key in responses:
                        responses.pop(key)
                        responses.setdefault("400", "BAD_REQUEST")


class GbfieldApi(flask_smorest.Api):
    """flask-smorest Api whose HTTP error handler answers the protocol's error body."""

    ERROR_SCHEMA = ErrorSchema

    def _init_spec(self, *, extra_plugins=None, **kwargs):
        """Add ValidationStatusPlugin to flask-smorest's spec plugins."""
        super()._init_spec(extra_plugins=[*(extra_plugins or ()), ValidationStatusPlugin()], **kwargs)

    def handle_http_exception(self, error: HTTPException):
        """Return the error body for a werkzeug HTTPException (incl. webargs 422 → 400),
        or the site's error page for a browser outside the API (same status, message and
        Allow / Retry-After headers)."""
        resp = self._error_body(error)
        render = current_app.extensions.get(HTML_ERROR_PAGE)
        if render is None or not wants_html():
            return resp
        body = resp.get_json(silent=True) or {}
        page = render(resp.status_code, body.get("error", ErrorCode.BAD_REQUEST), body.get("message", ""))
        for key in ("Allow", "Retry-After"):
            if key in resp.headers:
                page.headers[key] = resp.headers[key]
        return page

    def _error_body(self, error: HTTPException):
        """Return the JSON error body of a werkzeug HTTPException."""
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        details = data.get("errors") or data.get("messages") or {}
        language = request_language()
        if status == 422:  # webargs/marshmallow validation: our protocol says 400
            details = _flatten_webargs(details)
            first = next(iter(details.items()), ("body", ["invalid"]))
            return error_response(400, ErrorCode.VALIDATION_FAILED,
                                  text("error.validation_failed.request", language, field=first[0],
                                       problem=first[1][0]), details)
        if status == 400 and not data.get("message"):
            message = text("error.bad_request.json", language)
        elif data.get("message"):
            message = data["message"]
        elif status in _HTTP_MESSAGES:
            message = text(f"error.http.{status}", language)
        else:
            message = error.description or error.name
        code = _HTTP_CODES.get(status, ErrorCode.INTERNAL_ERROR if status >= 500 else ErrorCode.BAD_REQUEST)
        resp = error_response(status, code, message, details)
        for key, value in (data.get("headers") or {}).items():
            resp.headers[key] = value
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            resp.headers["Allow"] = ", ".join(error.valid_methods)
        return resp


def _flatten_webargs(messages: Mapping[str, Any]) -> dict[str, list[str]]:
    """Turn webargs' {location: {field: [msg]}} into {"field.path": [msg]}."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            flat[prefix or "body"] = list(value)
        else:
            flat[prefix or "body"] = [str(value)]

    for location, fields in (messages or {}).items():
        walk("" if location in ("json", "query", "form", "files") else location, fields)
    return flat


#: app.extensions key of the page renderer for browsers: `render(status, code, message)`
#: returning a response (installed by the public site feature; JSON when absent)
HTML_ERROR_PAGE = "gbfield_html_error_page"
#: paths that always answer the JSON error body (machines)
MACHINE_PREFIXES = ("/api/", "/.well-known/")


def wants_html() -> bool:
    """Return True when this request is a person's browser asking for a page: a path outside
    the API and an Accept header preferring text/html to JSON (browsers send text/html; curl,
    the tablet and tests send */* or application/json and get the JSON body). Raises nothing."""
    if not has_request_context() or request.path.startswith(MACHINE_PREFIXES) or request.path == "/api":
        return False
    accept = request.accept_mimetypes
    return "text/html" in request.headers.get("Accept", "") and accept["text/html"] > accept["application/json"]


def _answer(status: int, code: str, message: str, details: Mapping[str, Any] | None = None):
    """Return the error as a page for a browser (when the site installed one), else the body."""
    render = current_app.extensions.get(HTML_ERROR_PAGE) if has_request_context() else None
    if render is not None and wants_html():
        return render(status, code, message)
    return error_response(status, code, message, details)


def register_error_handlers(app) -> None:
    """Install handlers so every error leaves the app as the one error body (or, for a
    browser outside the API, as the site's error page with the same status and message)."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        resp = _answer(exc.status, exc.code, exc.message, exc.details)
        if isinstance(exc, RateLimited):
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.errorhandler(ProtocolError)
    def _protocol(exc: ProtocolError):
        status = ERROR_STATUS.get(exc.code, 400)
        message = exc.errors[0].message(request_language()) if exc.errors else exc.message
        return _answer(status, exc.code, message, exc.details)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return app.extensions["gbfield_api"].handle_http_exception(exc)
        log.exception("unexpected error")
        return _answer(500, ErrorCode.INTERNAL_ERROR, text("error.internal_error", request_language()))
