"""The one exception root of `documents` and its subclasses (docs/contracts.md, "Error conventions")."""
from __future__ import annotations


class DocumentError(Exception):
    """Root of every error `documents` raises."""


class InputError(DocumentError):
    """The record given to a generator is incomplete or malformed.

    `field` is the dotted path of the offending field (``officers[1].certificate_no``),
    `reason` says what is wrong in words an officer or a developer can act on."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class ImageError(DocumentError):
    """An image referenced by SHA-256 does not match its hash or cannot be decoded."""

    def __init__(self, sha256: str, reason: str):
        super().__init__(f"image {sha256[:12]}…: {reason}")
        self.sha256 = sha256
        self.reason = reason
