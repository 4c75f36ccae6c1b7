"""tus answers that are errors, as DomainErrors (the one error body, tus status codes)."""
from __future__ import annotations

from server.photos.errors import PhotoError


class UploadError(PhotoError):
    """Root of resumable-upload errors."""


class UploadNotFound(UploadError):
    code, status = "not_found", 404


class UploadExpired(UploadError):
    code, status = "upload_expired", 410


class UploadOffsetMismatch(UploadError):
    code, status = "upload_offset_mismatch", 409


class ChecksumMismatch(UploadError):
    """tus checksum extension: the chunk does not match Upload-Checksum."""

    code, status = "checksum_mismatch", 460


class UploadBadRequest(UploadError):
    code, status = "bad_request", 400


class UnsupportedTusVersion(UploadError):
    code, status = "unsupported_tus_version", 412


class WrongContentType(UploadError):
    code, status = "unsupported_media_type", 415


class UploadTooLarge(UploadError):
    code, status = "payload_too_large", 413


class UploadInterrupted(UploadError):
    """The client went away mid-chunk (nobody reads this answer; logged only)."""

    code, status = "upload_interrupted", 400
