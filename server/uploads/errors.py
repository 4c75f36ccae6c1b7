"""tus answers that are errors, as DomainErrors (the one error body, tus status codes)."""
from __future__ import annotations

from server.photos.service import PhotoError
from sync.protocol import ERROR_STATUS, ErrorCode


class UploadError(PhotoError):
    """Root of resumable-upload errors."""


class UploadNotFound(UploadError):
    code = ErrorCode.NOT_FOUND
    status = ERROR_STATUS[code]


class UploadExpired(UploadError):
    code = ErrorCode.UPLOAD_EXPIRED
    status = ERROR_STATUS[code]


class UploadOffsetMismatch(UploadError):
    code = ErrorCode.UPLOAD_OFFSET_MISMATCH
    status = ERROR_STATUS[code]


class ChecksumMismatch(UploadError):
    """tus checksum extension: the chunk does not match Upload-Checksum."""

    code = ErrorCode.CHECKSUM_MISMATCH
    status = ERROR_STATUS[code]


class UploadBadRequest(UploadError):
    code = ErrorCode.BAD_REQUEST
    status = ERROR_STATUS[code]


class UnsupportedTusVersion(UploadError):
    code = ErrorCode.UNSUPPORTED_TUS_VERSION
    status = ERROR_STATUS[code]


class WrongContentType(UploadError):
    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE
    status = ERROR_STATUS[code]


class UploadTooLarge(UploadError):
    code = ErrorCode.PAYLOAD_TOO_LARGE
    status = ERROR_STATUS[code]


class UploadInterrupted(UploadError):
    """The client went away mid-chunk (nobody reads this answer; logged only)."""

    code = ErrorCode.UPLOAD_INTERRUPTED
    status = ERROR_STATUS[code]
