"""Errors of the device core; `DeviceError` is their root.

Each carries a message an officer can read and a stable code from the protocol's error
vocabulary (`sync.protocol.ErrorCode`: `not_found`, `validation_failed`, …), so the tablet
and the engine report device and server errors alike.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync.protocol import ErrorCode


class DeviceError(Exception):
    """Root of the device core's errors: `message`, `code` and field `details`."""

    def __init__(self, message: str, *, code: str = ErrorCode.INTERNAL_ERROR,
                 details: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = dict(details or {})


class StoreError(DeviceError):
    """The device store cannot be opened or holds something unexpected."""


class UnknownRecord(DeviceError):
    """No record, finding or outbox item with that id on this device."""

    def __init__(self, message: str, **kw: Any):
        super().__init__(message, code=ErrorCode.NOT_FOUND, **kw)


class InvalidRecord(DeviceError):
    """A record the officer made does not have the shape the protocol fixes."""

    def __init__(self, message: str, **kw: Any):
        super().__init__(message, code=ErrorCode.VALIDATION_FAILED, **kw)


class CatalogUnavailable(DeviceError):
    """The cached catalog is missing (`no_catalog`: sync first) or unreadable (`bad_catalog`)."""


class RecordLocked(DeviceError):
    """The record may not change this way: a completed (signed) inspection changes only by
    corrections of its findings; a sent inspection cannot be deleted."""

    def __init__(self, message: str, **kw: Any):
        super().__init__(message, code=ErrorCode.INSPECTION_LOCKED, **kw)
