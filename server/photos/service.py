"""Photos as evidence: storing a verified upload, arrival checks, reading versions.

A photo is stored only after every byte arrived, its SHA-256 equals the declared id and
Pillow decoded it; then the original goes to the BlobStore, the ``photos`` row and the
``uploaded`` evidence event are written in one transaction. A rejected file leaves
nothing behind.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select

from server.evidence import service as evidence
from server.kernel import audit, clock
from server.kernel.access import Target, can, list_filter, require
from server.kernel.auth import Principal
from server.kernel.errors import ValidationFailed
from server.kernel.extensions import db
from server.photos import imaging
from server.photos.errors import PhotoError, PhotoHashMismatch, PhotoNotFound
from server.photos.models import Photo
from server.photos.storage import blob_key, blob_store, is_sha256, settings

__all__ = [
    "PhotoError",
    "blob_key",
    "blob_store",
    "ensure_derivatives",
    "get_photo",
    "is_sha256",
    "photo_json",
    "photo_target",
    "photos_missing",
    "photos_present",
    "record_attached",
    "record_original_read",
    "set_published",
    "settings",
    "store_photo",
]

_CHECK_LIMIT = 1000
#: the versions made for every photo; the public copy only when a supervisor publishes it
PRIVATE_DERIVED = ("thumb", "screen")


def _clean_hashes(hashes: Iterable[str]) -> list[str]:
    cleaned = []
    for value in hashes:
        value = str(value).strip().lower()
        if not is_sha256(value):
            raise ValidationFailed("hash_not_sha256", value=repr(value[:70]),
                                   details={"hashes": [f"not a SHA-256 hex: {value[:70]}"]})
        cleaned.append(value)
    return cleaned


def photos_present(hashes: Iterable[str], principal: Principal | None = None) -> set[str]:
    """Return the subset of ``hashes`` whose photos have arrived; with ``principal``, only
    those the caller may read (the access policy's "photo.read": nobody learns whether a
    photo of another district exists). Raises ValidationFailed, Forbidden (a role that
    reads no photos)."""
    wanted = sorted(set(_clean_hashes(hashes)))
    if len(wanted) > _CHECK_LIMIT:
        raise ValidationFailed("photo_check_limit", limit=_CHECK_LIMIT)
    query = select(Photo.sha256).where(Photo.sha256.in_(wanted))
    if principal is not None:
        scope = list_filter(principal, "photo.read", Photo.jurisdiction_path)
        if scope is not None:
            query = query.where(scope)
    if not wanted:
        return set()
    return set(db.session.execute(query).scalars())


def photos_missing(hashes: Iterable[str]) -> set[str]:
    """Return the subset of ``hashes`` whose photos have NOT arrived. Raises ValidationFailed."""
    cleaned = set(_clean_hashes(hashes))
    present: set[str] = set()
    ordered = sorted(cleaned)
    for start in range(0, len(ordered), _CHECK_LIMIT):
        present |= photos_present(ordered[start:start + _CHECK_LIMIT])
    return cleaned - present


def store_photo(data: bytes, declared_sha256: str, principal: Principal, *, filename: str | None = None,
                source_path: str | None = None, known_sha256: str | None = None) -> Photo:
    """Verify and store a complete upload; return its Photo (the existing one if it had arrived).
    With ``source_path`` (a local file holding ``data``) a folder store moves the file in
    instead of writing the bytes again. ``known_sha256`` is the hash of ``data`` when the
    caller computed it while the bytes arrived (tus staging); otherwise it is computed here.

    Raises PhotoHashMismatch (422), PhotoTooLarge (413), UnsupportedImageFormat (415),
    TooManyPixels / CorruptImage (422); BlobStoreError if the store fails (then no row)."""
    actual = known_sha256 or hashlib.sha256(data).hexdigest()
    if actual != declared_sha256:
        raise PhotoHashMismatch(declared=declared_sha256, actual=actual,
                                details={"declared": declared_sha256, "actual": actual})
    existing = db.session.get(Photo, actual)
    if existing is not None:
        return existing
    config = settings()
    verified = imaging.verify_image(data, config.limits)
    store = blob_store()
    derived = imaging.derive(data, PRIVATE_DERIVED) if config.derivatives == "eager" else {}
    for kind, payload in derived.items():
        store.put(blob_key(kind, actual), payload, content_type="image/jpeg")
    if source_path is not None and hasattr(store, "put_file"):
        store.put_file(blob_key("original", actual), source_path)
    else:
        store.put(blob_key("original", actual), data, content_type=verified.mime)
    photo = Photo(sha256=actual, size=len(data), mime=verified.mime, width=verified.width, height=verified.height,
                  exif=verified.metadata, original_sha256=verified.metadata.get("original_sha256"),
                  uploader_id=principal.user_id, device_id=principal.device_id,
                  jurisdiction_path=principal.jurisdiction_path, derivatives_ready=bool(derived),
                  arrived_at=clock.now())
    db.session.add(photo)
    details = {"size": len(data), "mime": verified.mime, "width": verified.width, "height": verified.height}
    if photo.original_sha256:
        details["original_sha256"] = photo.original_sha256
    if filename:
        details["filename"] = filename[:200]
    evidence.append_event("uploaded", actor=_actor(principal), photo_sha256=actual, details=details)
    return photo


def _actor(principal: Principal) -> str:
    return f"{principal.username}@{principal.device_id}" if principal.device_id else principal.username


def photo_target(photo: Photo) -> Target:
    """Return the access policy's Target of a photo (its uploader's jurisdiction)."""
    return Target("photo", photo.jurisdiction_path, owner_id=photo.uploader_id)


def get_photo(principal: Principal | None, sha256: str, *, original: bool = True) -> Photo:
    """Return the Photo the caller may read: its original, metadata and derivatives need a
    caller the access policy lets "photo.read" it (an inspection reader of that subtree:
    no expert); with ``original=False`` and ``principal`` None, the public copy, only when
    a supervisor published it. Raises PhotoNotFound (unknown, unpublished, or not readable:
    its existence is not revealed)."""
    photo = db.session.get(Photo, sha256) if is_sha256(sha256) else None
    if photo is None:
        raise PhotoNotFound("photo", photo=sha256[:70])
    if principal is None and not original:
        if photo.published_at is None:
            raise PhotoNotFound("photo", photo=sha256[:70])
        return photo
    if not can(principal, "photo.read", photo_target(photo)):
        raise PhotoNotFound("photo", photo=sha256[:70])
    return photo


def record_original_read(principal: Principal, photo: Photo) -> None:
    """Note in the audit log that `principal` opened the original of `photo`."""
    audit.record(principal, "photo.read_original", photo.sha256, jurisdiction=photo.jurisdiction_path)


def set_published(principal: Principal, sha256: str, published: bool) -> dict:
    """Publish (or withdraw) the EXIF-free public copy of a photo; returns
    ``{sha256, published, published_at}``. Withdrawing deletes the public copy from the
    store. Raises PhotoNotFound (unknown or outside the caller's subtree), Forbidden."""
    photo = db.session.get(Photo, sha256) if is_sha256(sha256) else None
    if photo is None:
        raise PhotoNotFound("photo", photo=sha256[:70])
    require(principal, "photo.publish", photo_target(photo))      # outside the subtree: 404
    store = blob_store()
    if published:
        if photo.published_at is None:
            photo.published_at, photo.published_by = clock.now(), principal.user_id
        if not store.exists(blob_key("public", photo.sha256)):
            payload = imaging.derive(store.get(blob_key("original", photo.sha256)), ("public",))["public"]
            store.put(blob_key("public", photo.sha256), payload, content_type="image/jpeg")
    else:
        photo.published_at, photo.published_by = None, None
        store.delete(blob_key("public", photo.sha256))
    audit.record(principal, "photo.publish" if published else "photo.withdraw", photo.sha256)
    evidence.append_event("photo_published" if published else "photo_withdrawn", actor=_actor(principal),
                          photo_sha256=photo.sha256, details={})
    return {"sha256": photo.sha256, "published": photo.published_at is not None,
            "published_at": clock.as_utc(photo.published_at).isoformat() if photo.published_at else None}


def ensure_derivatives(photo: Photo) -> None:
    """Make the thumbnail, screen and public versions if any is missing from the store
    (no database write, so it is safe in a GET). Raises CorruptImage / BlobStoreError."""
    store = blob_store()
    if all(store.exists(blob_key(kind, photo.sha256)) for kind in PRIVATE_DERIVED):
        return
    for kind, payload in imaging.derive(store.get(blob_key("original", photo.sha256)), PRIVATE_DERIVED).items():
        store.put(blob_key(kind, photo.sha256), payload, content_type="image/jpeg")


def photo_json(photo: Photo) -> dict:
    """Return the JSON description of a photo (metadata included: callers are authorised)."""
    return {"sha256": photo.sha256, "size": photo.size, "mime": photo.mime, "width": photo.width,
            "height": photo.height, "exif": photo.exif, "original_sha256": photo.original_sha256,
            "arrived_at": clock.as_utc(photo.arrived_at).isoformat(), "derivatives_ready": photo.derivatives_ready}


def record_attached(photos: Iterable[str], *, record_type: str, record_id: str, actor: str) -> None:
    """Append one ``attached`` evidence event per photo a pushed record references (call from
    the push service, in the item's transaction). Raises ValidationFailed for a bad hash."""
    for sha256 in sorted(set(_clean_hashes(photos))):
        evidence.append_event("attached", actor=actor, photo_sha256=sha256, record_type=record_type,
                              record_id=record_id, details={"arrived": db.session.get(Photo, sha256) is not None})
