"""Errors of photo verification and resumable uploads, each with its HTTP status and code.

The codes are photo-specific additions to ``sync.protocol.ErrorCode`` (strings, so the
one error handler in ``server.errors`` answers them as is).
"""
from __future__ import annotations

from server.kernel.errors import DomainError
from sync.protocol import ERROR_STATUS, ErrorCode


class PhotoError(DomainError):
    """Root of photo and upload errors."""


class PhotoTooLarge(PhotoError):
    """The file is bigger than the server accepts."""

    code = ErrorCode.PAYLOAD_TOO_LARGE
    status = ERROR_STATUS[code]


class UnsupportedImageFormat(PhotoError):
    """Not an image, or an image format that is not accepted."""

    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE
    status = ERROR_STATUS[code]


class CorruptImage(PhotoError):
    """An image that does not decode completely."""

    code = ErrorCode.PHOTO_CORRUPT
    status = ERROR_STATUS[code]


class TooManyPixels(PhotoError):
    """More pixels than allowed (includes decompression bombs)."""

    code = ErrorCode.PHOTO_TOO_MANY_PIXELS
    status = ERROR_STATUS[code]


class PhotoHashMismatch(PhotoError):
    """The uploaded bytes do not hash to the declared SHA-256 (the photo's id)."""

    code = ErrorCode.PHOTO_HASH_MISMATCH
    status = ERROR_STATUS[code]


class PhotoNotFound(PhotoError):
    """No photo (or derivative) with that hash."""

    code = ErrorCode.NOT_FOUND
    status = ERROR_STATUS[code]


class PhotoForbidden(PhotoError):
    """The caller may not see this photo."""

    code = ErrorCode.FORBIDDEN
    status = ERROR_STATUS[code]
