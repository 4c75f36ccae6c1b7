"""Edge limits and security headers, applied to every request before any view runs.

- **Body size**: a request body larger than `GBFIELD_MAX_BODY_BYTES` (default 2 MiB) answers
  413 `payload_too_large` before it is read; the routes that carry files (tus uploads, photo
  bytes, registry CSV) have `GBFIELD_MAX_FILE_BODY_BYTES` (default: the photo limit + 1 MiB).
- **JSON**: a JSON body nested deeper than `GBFIELD_JSON_MAX_DEPTH` (default 32) or that the
  parser cannot hold answers 400 `validation_failed` naming where (never a RecursionError).
- **Headers**: every answer gets `X-Content-Type-Options: nosniff` and `Referrer-Policy:
  no-referrer`; every HTML answer a Content-Security-Policy (`frame-ancestors 'none'`, local
  sources only, no inline script or style but those carrying the request's nonce:
  `<style nonce="{{ csp_nonce() }}">`; no `style="…"` attributes, no `on…=` handlers) and
  `X-Frame-Options: DENY`.

docs/security.md lists the limits and their settings.
"""
from __future__ import annotations

import json
import secrets
from typing import Any

from flask import Flask, Response, g, has_request_context, request

from server.kernel.errors import PayloadTooLarge, ValidationFailed

#: path prefixes whose bodies are files (photos, CSV), allowed the larger limit
FILE_BODY_PREFIXES = ("/api/v1/uploads", "/api/v1/products/import")

CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'nonce-{nonce}'; "
       "script-src 'self' 'nonce-{nonce}'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


def csp_nonce() -> str:
    """Return this request's CSP nonce (made on first use; "" outside a request): the one
    inline `<script>` / `<style>` an HTML answer may carry must name it. Raises nothing."""
    if not has_request_context():
        return ""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return nonce


def _deeper_than(value: Any, limit: int) -> bool:
    """Return True when `value` nests deeper than `limit` containers (no paths built: the
    pass every body takes). Iterative."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        children = current.values() if isinstance(current, dict) else current
        for child in children:
            if isinstance(child, (dict, list)):
                if depth >= limit:
                    return True
                stack.append((child, depth + 1))
    return False


def json_depth_error(value: Any, limit: int, path: str = "body") -> str | None:
    """Return the path ("body.items.0.data…") of the first place `value` nests deeper than
    `limit` containers, or None. Iterative: any depth is safe to check."""
    if not isinstance(value, (dict, list)) or (limit >= 1 and not _deeper_than(value, limit)):
        return None
    stack = [(value, path, 1)]
    while stack:
        current, where, depth = stack.pop()
        if isinstance(current, dict):
            children = ((f"{where}.{k}", v) for k, v in current.items())
        elif isinstance(current, list):
            children = ((f"{where}.{n}", v) for n, v in enumerate(current))
        else:
            continue
        if depth > limit:
            return where
        stack.extend((child, name, depth + 1) for name, child in children
                     if isinstance(child, (dict, list)))
    return None


def check_json_body(limit: int) -> None:
    """Parse the request's JSON body once and refuse one nested deeper than `limit`.

    Raises ValidationFailed (400, `json_depth`) for too deep a body or one the parser
    cannot hold; leaves malformed JSON to the views (400 `bad_request`)."""
    raw = request.get_data(cache=True)
    if not raw:
        return
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValidationFailed("json_depth", field="body", limit=limit,
                               details={"body": [f"nested deeper than {limit}"]}) from None
    except ValueError:
        return   # malformed: the view's parser answers 400 bad_request
    where = json_depth_error(value, limit)
    if where is not None:
        raise ValidationFailed("json_depth", field=where, limit=limit,
                               details={where: [f"nested deeper than {limit}"]})


def init_app(app: Flask) -> None:
    """Install the body-size and JSON-depth checks and the security headers on `app`."""
    config = app.config
    config.setdefault("GBFIELD_MAX_BODY_BYTES", 2 * 1024 * 1024)
    config.setdefault("GBFIELD_MAX_FILE_BODY_BYTES", config.get("GBFIELD_PHOTO_MAX_BYTES", 25 << 20) + (1 << 20))
    config.setdefault("GBFIELD_JSON_MAX_DEPTH", 32)
    config["MAX_CONTENT_LENGTH"] = max(config["GBFIELD_MAX_BODY_BYTES"], config["GBFIELD_MAX_FILE_BODY_BYTES"])
    app.jinja_env.globals["csp_nonce"] = csp_nonce      # every template: <style nonce="{{ csp_nonce() }}">

    @app.before_request
    def _limits():
        files = request.path.startswith(FILE_BODY_PREFIXES)
        limit = config["GBFIELD_MAX_FILE_BODY_BYTES"] if files else config["GBFIELD_MAX_BODY_BYTES"]
        request.max_content_length = limit
        if request.content_length is not None and request.content_length > limit:
            raise PayloadTooLarge("body", size=request.content_length, limit=limit)
        if request.is_json:
            check_json_body(config["GBFIELD_JSON_MAX_DEPTH"])

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if response.mimetype == "text/html":
            headers.setdefault("Content-Security-Policy", CSP.format(nonce=csp_nonce()))
            headers.setdefault("X-Frame-Options", "DENY")
        return response
