"""The tus 1.0.0 operations (core, creation, checksum, termination, expiration) as
services: no request objects, domain errors only. server.uploads.routes speaks HTTP.

An upload is created with its total length and the photo's SHA-256 (metadata ``sha256``,
the photo's id). When the last byte arrives the whole file is checked against that id and
decoded (server.photos.service.store_photo); a rejection removes the partial upload, so
nothing half-stored remains. Only the user who created an upload can see or continue it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from server.kernel import clock
from server.kernel.auth import Principal
from server.kernel.metrics import UPLOAD_BYTES
from server.kernel.uow import unit_of_work
from server.photos import service as photos
from server.photos.service import PhotoError, is_sha256, settings
from server.uploads import errors, staging
from server.uploads.db_staging import DatabaseStaging

log = logging.getLogger(__name__)
EXTENSION_KEY = "gbfield_upload_staging"


@dataclass(frozen=True)
class UploadState:
    """What HEAD/PATCH answer about an upload."""

    id: str
    offset: int
    length: int
    expires_at: str
    metadata: dict
    photo_sha256: str
    complete: bool = False


def get_staging() -> staging.Staging | DatabaseStaging:
    """Return the app's staging area: the shared database with GBFIELD_UPLOAD_STAGING=database
    (servers on several machines), else the folder GBFIELD_UPLOAD_STAGING_DIR (default
    <blob dir>/.staging)."""
    area = current_app.extensions.get(EXTENSION_KEY)
    if area is None and current_app.config.get("GBFIELD_UPLOAD_STAGING") == "database":
        area = current_app.extensions[EXTENSION_KEY] = DatabaseStaging()
    if area is None:
        config = current_app.config
        root = config.get("GBFIELD_UPLOAD_STAGING_DIR") or str(
            Path(config.get("GBFIELD_BLOB_DIR") or Path(current_app.instance_path) / "blobs") / ".staging")
        area = current_app.extensions[EXTENSION_KEY] = staging.Staging(root)
    return area


def _expiry() -> str:
    return (clock.now() + timedelta(hours=settings().upload_expiry_hours)).isoformat()


def create_upload(principal: Principal, length_header: str | None, metadata_header: str | None) -> UploadState:
    """Create an upload (tus creation). Returns its state (offset 0).

    Raises UploadBadRequest (missing/bad Upload-Length or metadata, no ``sha256``),
    UploadTooLarge (413, beyond the photo size limit)."""
    try:
        length = int(length_header)
        if length < 0:
            raise ValueError
    except (TypeError, ValueError):
        raise errors.UploadBadRequest("upload_length") from None
    limit = settings().limits.max_bytes
    if length == 0:
        raise errors.UploadBadRequest("upload_empty")
    if length > limit:
        raise errors.UploadTooLarge("photo", size=length, limit=limit,
                                    details={"length": length, "limit": limit})
    try:
        metadata = staging.parse_metadata(metadata_header)
    except ValueError as exc:
        raise errors.UploadBadRequest("upload_metadata", problem=str(exc)) from exc
    sha256 = metadata.get("sha256", "").strip().lower()
    if not is_sha256(sha256):
        raise errors.UploadBadRequest("upload_sha256")
    now = clock.now()
    info = get_staging().create(staging.UploadInfo(
        id="", length=length, sha256=sha256, metadata=metadata, user_id=principal.user_id,
        created_at=now.isoformat(), expires_at=_expiry(),
        extra={"device_id": principal.device_id, "jurisdiction_path": principal.jurisdiction_path}))
    return UploadState(info.id, 0, length, info.expires_at, metadata, sha256)


def _load(principal: Principal, upload_id: str) -> staging.UploadInfo:
    area = get_staging()
    try:
        info = area.load(upload_id)
    except staging.UnknownUpload:
        raise errors.UploadNotFound("upload") from None
    if info.user_id != principal.user_id:
        raise errors.UploadNotFound("upload")
    if info.expires() <= clock.now():
        area.delete(upload_id)
        raise errors.UploadExpired()
    return info


def upload_state(principal: Principal, upload_id: str) -> UploadState:
    """Return the upload's offset (tus HEAD). Raises UploadNotFound, UploadExpired."""
    info = _load(principal, upload_id)
    try:
        offset = get_staging().offset(upload_id)
    except staging.UnknownUpload:   # its bytes were moved into the store; the photo row did not commit
        get_staging().delete(upload_id)
        raise errors.UploadNotFound("upload") from None
    return UploadState(info.id, offset, info.length, info.expires_at, info.metadata, info.sha256)


def append_chunk(principal: Principal, upload_id: str, offset_header: str | None, stream: BinaryIO,
                 content_length: int | None, checksum_header: str | None) -> UploadState:
    """Append a chunk (tus PATCH) and, when it completes the upload, store the photo.

    Raises UploadNotFound, UploadExpired, UploadBadRequest, UploadOffsetMismatch (409),
    ChecksumMismatch (460, chunk discarded), UploadInterrupted (client gone; bytes kept),
    and on completion the PhotoError of a rejected photo (upload removed)."""
    info = _load(principal, upload_id)
    try:
        offset = int(offset_header)
    except (TypeError, ValueError):
        raise errors.UploadBadRequest("upload_offset") from None
    try:
        checksum = staging.parse_checksum(checksum_header)
    except ValueError as exc:
        raise errors.UploadBadRequest("upload_checksum", problem=str(exc)) from exc
    area = get_staging()
    try:
        new_offset = area.append(info, offset, stream, content_length, checksum)
    except staging.OffsetMismatch as exc:
        raise errors.UploadOffsetMismatch(None, offset=exc.expected,
            details={"offset": exc.expected}) from None
    except staging.ChunkChecksumMismatch:
        raise errors.ChecksumMismatch() from None
    except staging.ChunkTooLong:
        raise errors.UploadBadRequest("chunk_too_long") from None
    except staging.ClientGone as exc:
        raise errors.UploadInterrupted(None, offset=exc.offset) from None
    except staging.UnknownUpload:
        raise errors.UploadNotFound("upload") from None
    UPLOAD_BYTES.inc(max(0, new_offset - offset))
    info.expires_at = _expiry()
    state = UploadState(info.id, new_offset, info.length, info.expires_at, info.metadata, info.sha256)
    if new_offset < info.length:
        area.save(info)
        return state
    finish_upload(principal, info)   # removes the upload: no need to save its new expiry
    return UploadState(**{**state.__dict__, "complete": True})


def finish_upload(principal: Principal, info: staging.UploadInfo) -> None:
    """Store the complete upload as a photo and remove it from staging, whatever the outcome.

    Commits (server.kernel.uow) before it removes the staged bytes. Raises the PhotoError of a
    rejected photo (after removing the upload and rolling back), Unavailable when the
    commit fails (the upload stays)."""
    area = get_staging()
    try:
        # the photo is stored (committed) before the staged bytes go and the last PATCH is answered
        with area.locked(info.id), unit_of_work():
            data = area.read_all(info.id)
            hashed = area.whole_sha256(info.id, len(data)) if len(data) == info.length else None
            photos.store_photo(data, info.sha256, principal, filename=info.metadata.get("filename"),
                               source_path=_path_or_none(area.part_path(info.id)), known_sha256=hashed)
    except PhotoError:
        area.delete(info.id)
        raise
    except staging.UnknownUpload:
        raise errors.UploadNotFound("upload") from None
    area.delete(info.id)


def _path_or_none(path) -> str | None:
    return None if path is None else str(path)


def terminate(principal: Principal, upload_id: str) -> None:
    """Delete an unfinished upload (tus termination). Raises UploadNotFound, UploadExpired."""
    _load(principal, upload_id)
    get_staging().delete(upload_id)


def purge_expired(now=None) -> int:
    """Remove partial uploads expired at `now` (default: now); returns how many (run from
    the scheduler)."""
    return get_staging().purge_expired(now)
