"""HTTP for photos under /api/v1/photos: the "which do you have" check, metadata and the
original / thumb / screen / public versions (an inspection's photo status is the
inspections feature's).

The original, thumb, screen and metadata need a caller the access policy lets read the
photo (others get 404); the public copy (EXIF stripped) exists only once a supervisor
published that photo, and publishing can be undone.
"""
from __future__ import annotations

import marshmallow as ma
from flask import Response, jsonify, request
from flask_smorest import Blueprint

from server.kernel.access import allow
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


class PublishedSchema(ma.Schema):
    sha256 = ma.fields.String()
    published = ma.fields.Boolean()
    published_at = ma.fields.String(allow_none=True)


BYTES = {"type": "string", "format": "binary"}


def _image(content_type: str):
    """Document a 200 answering image bytes and the 304 of a matching If-None-Match."""
    def decorator(view):
        view = blp.alt_response(304, description="Not modified (ETag matches)", success=True)(view)
        return blp.alt_response(200, schema=BYTES, content_type=content_type, description="the image",
                                success=True)(view)
    return decorator


@blp.post("/photos/check")
@allow("photo.read")
@blp.alt_response(200, schema=PhotoCheckSchema, description="which photos the server has", success=True)
def check():
    """Body {hashes: [sha256…]} → {present: [...], missing: [...]} (sorted)."""
    principal = current_principal()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("hashes"), list):
        raise ValidationFailed("photo_hashes",
                               details={"hashes": ["a list of SHA-256 hex strings"]})
    present = service.photos_present(body["hashes"], principal)
    asked = {str(h).strip().lower() for h in body["hashes"]}
    return jsonify({"present": sorted(present), "missing": sorted(asked - present)})


@blp.get("/photos/<sha256>")
@allow("photo.read")
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
    # a public copy may be withdrawn: caches keep it 5 minutes at most
    response.headers.update({"ETag": etag, "Content-Length": str(size),
                             "Cache-Control": "private, max-age=31536000, immutable" if private
                             else "public, max-age=300",
                             "X-Content-Type-Options": "nosniff"})
    return response


@blp.get("/photos/<sha256>/original")
@allow("photo.read")
@_image("image/*")
def original(sha256: str):
    """The bytes as uploaded (EXIF included)."""
    principal = current_principal()
    photo = service.get_photo(principal, sha256, original=True)
    service.record_original_read(principal, photo)      # the audit log: who opened which original
    return _send(photo.sha256, "original", photo.mime, private=True)


@blp.get("/photos/<sha256>/<any(thumb, screen):kind>")
@allow("photo.read")
@_image("image/jpeg")
def derivative(sha256: str, kind: str):
    """A 256 px or 1600 px JPEG (no EXIF), made on first request when not made at upload."""
    photo = service.get_photo(current_principal(), sha256, original=True)
    _ensure(photo)
    return _send(photo.sha256, kind, "image/jpeg", private=True)


@blp.get("/photos/<sha256>/public")
@_image("image/jpeg")
def public(sha256: str):
    """The full-size copy with EXIF/XMP removed (no GPS, no time), only once a supervisor
    published it (else 404); no login needed."""
    photo = service.get_photo(None, sha256, original=False)
    _ensure(photo)
    return _send(photo.sha256, "public", "image/jpeg", private=False)


@blp.route("/photos/<sha256>/publish", methods=["POST", "DELETE"])
@allow("photo.publish")
@blp.alt_response(200, schema=PublishedSchema, description="the photo's public state", success=True)
def publish(sha256: str):
    """POST: publish the photo's EXIF-free copy at /photos/<sha>/public (a supervisor of its
    subtree, deliberately, one photo at a time); DELETE: withdraw it again."""
    return jsonify(service.set_published(current_principal(), sha256, request.method == "POST"))


def _ensure(photo) -> None:
    service.ensure_derivatives(photo)
