"""The server's errors: `ServerError`, the root of every exception the server defines, and
`DomainError`, a refusal the client is answered with. Services raise `DomainError`
subclasses (no HTTP knowledge beyond the class attributes) naming a message of the
catalogue (assets.messages): the key is `error.<code>` or `error.<code>.<variant>`, filled
with the error's parameters, in the language of the request (server.kernel.i18n).
`server.kernel.http_errors` is the ONE place any error becomes the protocol's error body.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assets.messages import text
from server.kernel.i18n import request_language
from sync.protocol import ERROR_STATUS, ErrorCode


class ServerError(Exception):
    """Root of every exception the server package defines: DomainError (a refusal the
    client is answered with) and the internal failures (blob store, upload staging, the
    evidence log) that derive from it directly."""


class DomainError(ServerError):
    """Root of the server's errors. `code` is an ErrorCode and `status` its HTTP status;
    `variant` and the keyword parameters choose and fill the message
    (`error.<code>[.<variant>]` of the catalogue), worded when it is read."""

    code = ErrorCode.BAD_REQUEST
    status = 400

    def __init__(self, variant: str | None = None, /, *, details: Mapping[str, Any] | None = None,
                 code: str | None = None, **params: Any):
        if code is not None:
            self.code = code
            self.status = ERROR_STATUS.get(code, self.status)
        self.key = f"error.{self.code}" + (f".{variant}" if variant else "")
        self.params = params
        self.details = dict(details or {})
        super().__init__(self.key)

    def message_in(self, language: str | None) -> str:
        """Return the message in `language` (zh-CN when None). Raises MessageError for a key
        the catalogue lacks (a test checks every key the server uses)."""
        return text(self.key, language, **self.params)

    @property
    def message(self) -> str:
        """The message in the request's language (zh-CN outside a request)."""
        return self.message_in(request_language())

    def __str__(self) -> str:
        return self.message_in(None)


class BadRequest(DomainError):
    code, status = ErrorCode.BAD_REQUEST, 400


class ValidationFailed(DomainError):
    code, status = ErrorCode.VALIDATION_FAILED, 400


class Unauthorized(DomainError):
    code, status = ErrorCode.UNAUTHORIZED, 401


class InvalidCredentials(DomainError):
    code, status = ErrorCode.INVALID_CREDENTIALS, 401


class TokenExpired(DomainError):
    code, status = ErrorCode.TOKEN_EXPIRED, 401


class TokenRevoked(DomainError):
    code, status = ErrorCode.TOKEN_REVOKED, 401


class DeviceRevoked(DomainError):
    code, status = ErrorCode.DEVICE_REVOKED, 401


class EnrolmentInvalid(DomainError):
    code, status = ErrorCode.ENROLMENT_INVALID, 400


class Forbidden(DomainError):
    code, status = ErrorCode.FORBIDDEN, 403


class NotFound(DomainError):
    code, status = ErrorCode.NOT_FOUND, 404


class Conflict(DomainError):
    code, status = ErrorCode.CONFLICT, 409


class ResyncRequired(DomainError):
    code, status = ErrorCode.RESYNC_REQUIRED, 410


class PayloadTooLarge(DomainError):
    code, status = ErrorCode.PAYLOAD_TOO_LARGE, 413


class ClientTooOld(DomainError):
    code, status = ErrorCode.CLIENT_TOO_OLD, 426


class Unavailable(DomainError):
    code, status = ErrorCode.UNAVAILABLE, 503


class RateLimited(DomainError):
    """Too many attempts; `retry_after` (seconds) is sent as the Retry-After header."""

    code, status = ErrorCode.RATE_LIMITED, 429

    def __init__(self, variant: str | None = None, /, *, retry_after: int,
                 details: Mapping[str, Any] | None = None, **params: Any):
        super().__init__(variant, details={"retry_after_seconds": retry_after, **dict(details or {})},
                         retry_after=retry_after, **params)
        self.retry_after = retry_after


class ItemRejected(DomainError):
    """A push item that can never be applied; `code` names why (e.g. invalid_credit_code)."""

    code, status = ErrorCode.VALIDATION_FAILED, 400
