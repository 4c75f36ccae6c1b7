"""The protocol's error root and the one error body `{status, error, message, details}`."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.protocol.constants import ERROR_STATUS, ErrorCode


class ProtocolError(Exception):
    """Root of the sync package's errors: a message that does not follow the protocol.

    ``code`` is an :class:`ErrorCode` value; ``details`` maps a field path to messages;
    ``errors`` holds the schema's FieldErrors (sync.protocol.schema) when a record or push
    item broke it, so a server can word the first one in the caller's language.
    """

    def __init__(self, message: str, *, code: str = ErrorCode.VALIDATION_FAILED,
                 details: Mapping[str, list[str]] | None = None, errors: tuple = ()):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = dict(details or {})
        self.errors = tuple(errors)


def _require(obj: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise ProtocolError(f"{what} must be a JSON object", details={what: ["not an object"]})
    return obj


def _check(errors: dict[str, list[str]], ok: bool, path: str, message: str) -> None:
    if not ok:
        errors.setdefault(path, []).append(message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _raise_if(errors: dict[str, list[str]], what: str) -> None:
    if errors:
        first = next(iter(errors.items()))
        raise ProtocolError(f"{what}: {first[0]}: {first[1][0]}", details=errors)


@dataclass(frozen=True)
class ErrorBody:
    """The one error body: `{status, error, message, details}`."""

    status: int
    error: str
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, obj: Any, status: int | None = None) -> ErrorBody:
        """Return the error body; raises ProtocolError when `error` is missing."""
        obj = _require(obj, "body")
        if not isinstance(obj.get("error"), str):
            raise ProtocolError("error body without an error code", details={"error": ["required"]})
        st = obj.get("status", status)
        return cls(int(st) if _is_int(st) else int(status or 0), obj["error"],
                   str(obj.get("message") or ""), dict(obj.get("details") or {}))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object."""
        return {"status": self.status, "error": self.error, "message": self.message,
                "details": self.details}


def error_body(code: str, message: str, details: Mapping[str, Any] | None = None,
               status: int | None = None) -> dict[str, Any]:
    """Return the JSON error body for `code` (status from ERROR_STATUS unless given)."""
    return ErrorBody(status or ERROR_STATUS.get(code, 400), code, message, dict(details or {})).to_json()
