"""What a schema check reports: `FieldError` (a field's place, error code, message key,
short detail and message parameters), worded from the message catalogue, and the
ProtocolError of a refused item. Used by `sync.protocol.fields` and `sync.protocol.schema`."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assets.messages import text
from sync.protocol.constants import ErrorCode
from sync.protocol.errors import ProtocolError


@dataclass(frozen=True)
class FieldError:
    """One field that does not follow the schema.

    `path` is the field's place in the item ("data.findings.0.unit"); `code` the error code
    the item is rejected with; `key` the message key; `detail` the short text listed under
    the path in the error body's `details`; `params` fill the message.
    """

    path: str
    code: str
    key: str
    detail: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        """Return the message for a person in `language` (zh-CN when None)."""
        return text(self.key, language, path=self.path, **self.params)


def field_error(path: str, variant: str, detail: str, code: str = ErrorCode.VALIDATION_FAILED,
                **params: Any) -> FieldError:
    """Return the FieldError of `variant` (message key `error.<code>.<variant>`)."""
    return FieldError(path, code, f"error.{code}.{variant}", detail, params)


def rejection(errors: tuple[FieldError, ...] | list[FieldError]) -> ProtocolError:
    """Return the ProtocolError for `errors` (not empty): the first error's code and
    message (zh-CN), every error under `details` and in `errors`."""
    first = errors[0]
    return ProtocolError(first.message(), code=first.code, details=details_of(errors), errors=tuple(errors))


def details_of(errors: tuple[FieldError, ...] | list[FieldError]) -> dict[str, list[str]]:
    """Return the error body's `details` ({path: [detail, ...]}) of `errors`."""
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(error.path, []).append(error.detail)
    return out
