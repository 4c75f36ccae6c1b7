"""Errors of the device sync engine; `SyncError` is their root (a `ProtocolError`)."""
from __future__ import annotations

from typing import Any

from sync.protocol import ErrorCode, ProtocolError


class SyncError(ProtocolError):
    """Root of the client engine's errors."""

    def __init__(self, message: str, *, code: str = ErrorCode.INTERNAL_ERROR,
                 status: int | None = None, details: dict[str, Any] | None = None):
        super().__init__(message, code=code, details=details)
        self.status = status


class NotEnrolled(SyncError):
    """The local store has no device credentials yet (`gbfield device enroll` first)."""


class TransportError(SyncError):
    """A request did not get a usable answer."""


class RetryableError(TransportError):
    """Network failure, timeout, 5xx or 429: the same request may be sent again later."""


class ResyncRequired(TransportError):
    """410 resync_required: drop `entities` (all when empty) and pull from 0."""

    def __init__(self, message: str, entities: tuple[str, ...] = (), **kw: Any):
        super().__init__(message, code=ErrorCode.RESYNC_REQUIRED, status=410, **kw)
        self.entities = tuple(entities)


class CredentialsError(TransportError):
    """401: the device token is invalid, expired or the device was revoked (re-enrol)."""


class ClientTooOld(TransportError):
    """426: the server no longer speaks this protocol version (update the app)."""


class RequestRejected(TransportError):
    """Another 4xx: the request must not be resent as is."""
