"""Errors of photo verification and resumable uploads, each with its HTTP status and code.

The codes are photo-specific additions to ``sync.protocol.ErrorCode`` (strings, so the
one error handler in ``server.errors`` answers them as is).
"""
from __future__ import annotations

from server.errors import DomainError


class PhotoError(DomainError):
    """Root of photo and upload errors."""


class PhotoTooLarge(PhotoError):
    """The file is bigger than the server accepts."""

    code, status = "payload_too_large", 413


class UnsupportedImageFormat(PhotoError):
    """Not an image, or an image format that is not accepted."""

    code, status = "unsupported_media_type", 415


class CorruptImage(PhotoError):
    """An image that does not decode completely."""

    code, status = "photo_corrupt", 422


class TooManyPixels(PhotoError):
    """More pixels than allowed (includes decompression bombs)."""

    code, status = "photo_too_many_pixels", 422


class PhotoHashMismatch(PhotoError):
    """The uploaded bytes do not hash to the declared SHA-256 (the photo's id)."""

    code, status = "photo_hash_mismatch", 422


class PhotoNotFound(PhotoError):
    """No photo (or derivative) with that hash."""

    code, status = "not_found", 404


class PhotoForbidden(PhotoError):
    """The caller may not see this photo."""

    code, status = "forbidden", 403
