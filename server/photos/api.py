"""HTTP for photos under /api/v1/photos: the "which do you have" check, metadata and the
original / thumb / screen / public versions (an inspection's photo status is the
inspections feature's).

The original, thumb and screen need a caller whose jurisdiction subtree holds the photo
(others get 404); the public copy (EXIF stripped) needs nobody.
"""
from __future__ import annotations

import marshmallow as ma
from flask import Response, jsonify, request
from flask_smorest import Blueprint

from server.kernel.auth import current_principal
from server.kernel.errors import ValidationFailed
from server.photos import service
from server.photos.storage import blob_key, blob_store

blp = Blueprint("photos", __name__, url_prefix="/api/v1",
                description="Evidence photos: which the server has, metadata, original and derived versions")


# Documentation of the JSON answers (the views build them with jsonify) and of the bytes.
class PhotoCheckSchema(ma.Schema):
    present = ma.fields.List(ma.fields.String())
    missing = ma.fields.List(ma.fields.String())


class PhotoSchema(ma.Schema):
    sha256 = ma.fields.String()
    size = ma.fields.Integer()
    mime = ma.fields.String()
    width = ma.fields.Integer(allow_none=True)
    height = ma.fields.Integer(allow_none=True)
    exif = ma.fields.Dict(allow_none=True)
    original_sha256 = ma.fields.String(allow_none=True)
    arrived_at = ma.fields.String()
    derivatives_ready = ma.fields.Boolean()


BYTES = {"type": "string", "format": "binary"}


def _image(content_type: str):
    """Document a 200 answering image bytes and the 304 of a matching If-None-Match."""
    def decorator(view):
        view = blp.alt_response(304, description="Not modified (ETag matches)", success=True)(view)
        return blp.alt_response(200, schema=BYTES, content_type=content_type, description="the image",
                                success=True)(view)
    return decorator


@blp.post("/photos/check")
@blp.alt_response(200, schema=PhotoCheckSchema, description="which photos the server has", success=True)
def check():
    """Body {hashes: [sha256…]} → {present: [...], missing: [...]} (sorted)."""
    current_principal()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("hashes"), list):
        raise ValidationFailed("photo_hashes",
                               details={"hashes": ["a list of SHA-256 hex strings"]})
    present = service.photos_present(body["hashes"])
    asked = {str(h).strip().lower() for h in body["hashes"]}
    return jsonify({"present": sorted(present), "missing": sorted(asked - present)})


@blp.get("/photos/<sha256>")
@blp.alt_response(200, schema=PhotoSchema, description="the photo's metadata", success=True)
def describe(sha256: str):
    """The photo's metadata (EXIF position and time included), for callers who may see it."""
    return jsonify(service.photo_json(service.get_photo(current_principal(), sha256, original=True)))


def _send(sha256: str, kind: str, mime: str, *, private: bool) -> Response:
    store = blob_store()
    key = blob_key(kind, sha256)
    etag = f'"{kind}-{sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        return Response(status=304, headers={"ETag": etag})
    size = store.stat(key).size
    response = Response(store.iter_chunks(key), mimetype=mime, direct_passthrough=True)
    response.headers.update({"ETag": etag, "Content-Length": str(size),
                             "Cache-Control": ("private" if private else "public") + ", max-age=31536000, immutable",
                             "X-Content-Type-Options": "nosniff"})
    return response


@blp.get("/photos/<sha256>/original")
@_image("image/*")
def original(sha256: str):
    """The bytes as uploaded (EXIF included)."""
    photo = service.get_photo(current_principal(), sha256, original=True)
    return _send(photo.sha256, "original", photo.mime, private=True)


@blp.get("/photos/<sha256>/<any(thumb, screen):kind>")
@_image("image/jpeg")
def derivative(sha256: str, kind: str):
    """A 256 px or 1600 px JPEG (no EXIF), made on first request when not made at upload."""
    photo = service.get_photo(current_principal(), sha256, original=True)
    _ensure(photo)
    return _send(photo.sha256, kind, "image/jpeg", private=True)


@blp.get("/photos/<sha256>/public")
@_image("image/jpeg")
def public(sha256: str):
    """The full-size copy with EXIF/XMP removed (no GPS, no time); no login needed."""
    photo = service.get_photo(None, sha256, original=False)
    _ensure(photo)
    return _send(photo.sha256, "public", "image/jpeg", private=False)


def _ensure(photo) -> None:
    service.ensure_derivatives(photo)
