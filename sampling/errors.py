"""Exceptions of the `sampling` package: one root, `SamplingError`.

Messages are Chinese first, then English in brackets, and say what to change.
"""
from __future__ import annotations


class SamplingError(ValueError):
    """Root of every error raised by `sampling`; `message` holds the full text."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TableError(SamplingError):
    """A directory or roster file cannot be read at all (encoding, empty, missing columns)."""


class PlanError(SamplingError):
    """A plan is incomplete or contradictory (no items, fewer than two inspectors per target,
    a ratio outside 0–1, a count larger than the population …); `field` names the part."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class SeedError(SamplingError):
    """A seed is not 32 bytes of hex, or does not match its published commitment."""


class DrawFormatError(SamplingError):
    """A draw document is not a gbfield draw (missing parts, wrong types, unknown format)."""


class EstimateError(SamplingError):
    """Stratum counts that cannot be estimated from (more compliant than inspected …)."""
