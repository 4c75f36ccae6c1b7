"""HTTP for tus 1.0.0 under /api/v1/uploads (plain Flask: tus is headers, not JSON).

OPTIONS needs no token (discovery); every other method needs a user or device token and
``Tus-Resumable: 1.0.0``. Errors carry the one error body and tus status codes
(409 offset, 410 expired, 412 version, 415 content type, 460 checksum).
"""
from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime

from flask import Response, request, url_for
from flask_smorest import Blueprint

from server.kernel.access import allow
from server.kernel.auth import current_principal
from server.photos.service import settings
from server.uploads import errors, service
from server.uploads.staging import CHECKSUM_ALGORITHMS

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,termination,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"

blp = Blueprint("uploads", __name__, url_prefix="/api/v1/uploads",
                description="Resumable photo uploads (tus 1.0.0: core, creation, checksum, termination, expiration)")


def _http_date(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), usegmt=True)


@blp.after_request
def _tus_headers(response: Response) -> Response:
    response.headers["Tus-Resumable"] = TUS_VERSION
    response.headers.setdefault("Cache-Control", "no-store")
    if response.status_code == 412:
        response.headers["Tus-Version"] = TUS_VERSION
    return response


@blp.before_request
def _check_tus_version() -> None:
    if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise errors.UnsupportedTusVersion(None, version=TUS_VERSION)


@blp.route("", methods=["OPTIONS"], provide_automatic_options=False)
@blp.route("/<upload_id>", methods=["OPTIONS"], provide_automatic_options=False)
@blp.alt_response(204, description="Tus-Version, Tus-Extension, Tus-Max-Size headers; no body", success=True)
def discover(upload_id: str | None = None):
    """tus discovery: versions, extensions, the size limit, checksum algorithms."""
    response = Response(status=204)
    response.headers.update({
        "Tus-Version": TUS_VERSION, "Tus-Extension": TUS_EXTENSIONS,
        "Tus-Max-Size": str(settings().limits.max_bytes),
        "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS)})
    return response


@blp.post("")
@allow("photo.upload")
@blp.alt_response(201, description="created: Location, Upload-Expires, Upload-Offset headers; no body",
                  success=True)
def create():
    """tus creation: 201 with Location, Upload-Expires."""
    state = service.create_upload(current_principal(), request.headers.get("Upload-Length"),
                                  request.headers.get("Upload-Metadata"))
    response = Response(status=201)
    response.headers["Location"] = url_for("uploads.patch", upload_id=state.id, _external=False)
    response.headers["Upload-Expires"] = _http_date(state.expires_at)
    response.headers["Upload-Offset"] = "0"
    return response


@blp.route("/<upload_id>", methods=["HEAD"])
@blp.alt_response(200, description="Upload-Offset, Upload-Length, Upload-Expires headers; no body", success=True)
def head(upload_id: str):
    """tus core: the offset (and length, expiry) of an upload."""
    state = service.upload_state(current_principal(), upload_id)
    response = Response(status=200)
    response.headers.update({"Upload-Offset": str(state.offset), "Upload-Length": str(state.length),
                             "Upload-Expires": _http_date(state.expires_at)})
    return response


@blp.route("/<upload_id>", methods=["PATCH"])
@blp.alt_response(204, description="chunk stored: the new Upload-Offset header; no body", success=True)
def patch(upload_id: str):
    """tus core + checksum: append a chunk; 204 with the new Upload-Offset."""
    principal = current_principal()
    if (request.mimetype or "") != OFFSET_CONTENT_TYPE:
        raise errors.WrongContentType("tus", content_type=OFFSET_CONTENT_TYPE)
    state = service.append_chunk(principal, upload_id, request.headers.get("Upload-Offset"), request.stream,
                                 request.content_length, request.headers.get("Upload-Checksum"))
    response = Response(status=204)
    response.headers["Upload-Offset"] = str(state.offset)
    response.headers["Upload-Expires"] = _http_date(state.expires_at)
    if state.complete:
        response.headers["Gbfield-Photo"] = state.photo_sha256
    return response


@blp.route("/<upload_id>", methods=["DELETE"])
@blp.alt_response(204, description="the partial upload is gone; no body", success=True)
def delete(upload_id: str):
    """tus termination: 204, the partial upload is gone."""
    service.terminate(current_principal(), upload_id)
    return Response(status=204)
