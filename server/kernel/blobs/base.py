"""The blob storage interface every store implements, and its errors.

Keys are slash-separated relative names (``originals/ab12…``): no leading slash, no
empty, ``.`` or ``..`` segments, printable ASCII only. A store never interprets keys
beyond that; content addressing is the caller's business (see ``server.photos``).
"""
from __future__ import annotations

import abc
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from server.kernel.errors import ServerError

_KEY_SEGMENT = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")
COPY_CHUNK = 1024 * 1024


class BlobStoreError(ServerError):
    """Root of every blob store error (a store could not read or write)."""


class BlobNotFound(BlobStoreError, KeyError):
    """Raised when a key has no blob."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"blob not found: {self.key}"


class InvalidBlobKey(BlobStoreError, ValueError):
    """Raised for a key that is not a safe relative name."""


@dataclass(frozen=True)
class BlobInfo:
    """What a store knows about one blob."""

    key: str
    size: int
    sha256: str | None = None  # hex, when the store computed it on put


def validate_key(key: str) -> str:
    """Return ``key`` unchanged if it is a safe relative name; raise InvalidBlobKey otherwise."""
    if not isinstance(key, str) or not key or len(key) > 512:
        raise InvalidBlobKey(f"invalid blob key: {key!r}")
    for segment in key.split("/"):
        if segment in ("", ".", "..") or not _KEY_SEGMENT.match(segment):
            raise InvalidBlobKey(f"invalid blob key: {key!r}")
    return key


def iter_source(data: bytes | BinaryIO) -> Iterator[bytes]:
    """Yield ``data`` (bytes or a readable binary file) in chunks."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        yield bytes(data)
        return
    while True:
        chunk = data.read(COPY_CHUNK)
        if not chunk:
            return
        yield chunk


class BlobStore(abc.ABC):
    """A flat store of immutable-ish byte blobs addressed by key.

    Every implementation passes tests/server/blobs/test_contract.py. Writes are atomic:
    a reader sees either the old blob, the whole new blob, or nothing.
    """

    @abc.abstractmethod
    def put(self, key: str, data: bytes | BinaryIO, *, content_type: str | None = None) -> BlobInfo:
        """Store ``data`` under ``key`` (replacing any blob there) and return its BlobInfo.

        Raises InvalidBlobKey, BlobStoreError."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes:
        """Return the whole blob. Raises BlobNotFound, InvalidBlobKey, BlobStoreError."""

    @abc.abstractmethod
    def open_range(self, key: str, start: int = 0, end: int | None = None) -> bytes:
        """Return bytes ``start`` to ``end`` (exclusive; None = to the end) of the blob.

        A range past the end is truncated (like slicing). Raises BlobNotFound, InvalidBlobKey,
        ValueError for a negative or inverted range."""

    @abc.abstractmethod
    def exists(self, key: str) -> bool:
        """Return whether a blob is stored under ``key``. Raises InvalidBlobKey."""

    @abc.abstractmethod
    def delete(self, key: str) -> bool:
        """Delete the blob; return True if there was one. Raises InvalidBlobKey, BlobStoreError."""

    @abc.abstractmethod
    def list(self, prefix: str = "") -> Iterator[str]:
        """Yield the keys starting with ``prefix``, in sorted order."""

    @abc.abstractmethod
    def stat(self, key: str) -> BlobInfo:
        """Return the BlobInfo of a stored blob (sha256 may be None). Raises BlobNotFound."""

    def iter_chunks(self, key: str, chunk_size: int = COPY_CHUNK) -> Iterator[bytes]:
        """Yield the blob in chunks (for streaming responses). Raises BlobNotFound."""
        size = self.stat(key).size
        offset = 0
        while offset < size:
            chunk = self.open_range(key, offset, min(size, offset + chunk_size))
            if not chunk:
                return
            offset += len(chunk)
            yield chunk

    def close(self) -> None:
        """Release connections; the default does nothing."""


def check_range(start: int, end: int | None) -> None:
    """Raise ValueError if ``start``/``end`` is not a valid byte range."""
    if start < 0 or (end is not None and end < start):
        raise ValueError(f"invalid byte range {start}..{end}")


class HashingWriter:
    """Accumulates size and SHA-256 while bytes pass through."""

    def __init__(self) -> None:
        self.size = 0
        self._hash = hashlib.sha256()

    def update(self, chunk: bytes) -> bytes:
        """Count ``chunk`` and return it unchanged."""
        self.size += len(chunk)
        self._hash.update(chunk)
        return chunk

    @property
    def hexdigest(self) -> str:
        return self._hash.hexdigest()
