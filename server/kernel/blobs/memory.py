"""An in-memory BlobStore for tests and throwaway servers."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import BinaryIO

from .base import (
    BlobInfo,
    BlobNotFound,
    BlobStore,
    HashingWriter,
    check_range,
    iter_source,
    validate_key,
)


class MemoryBlobStore(BlobStore):
    """Keeps blobs in a dict guarded by a lock; nothing survives the process."""

    def __init__(self) -> None:
        self._blobs: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()

    def put(self, key: str, data: bytes | BinaryIO, *, content_type: str | None = None) -> BlobInfo:
        """Store a copy of ``data``; see BlobStore.put."""
        validate_key(key)
        hasher = HashingWriter()
        payload = b"".join(hasher.update(chunk) for chunk in iter_source(data))
        with self._lock:
            self._blobs[key] = (payload, hasher.hexdigest)
        return BlobInfo(key, len(payload), hasher.hexdigest)

    def _entry(self, key: str) -> tuple[bytes, str]:
        validate_key(key)
        with self._lock:
            try:
                return self._blobs[key]
            except KeyError:
                raise BlobNotFound(key) from None

    def get(self, key: str) -> bytes:
        """See BlobStore.get."""
        return self._entry(key)[0]

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> bytes:
        """See BlobStore.open_range."""
        check_range(start, end)
        return self._entry(key)[0][start:end]

    def exists(self, key: str) -> bool:
        """See BlobStore.exists."""
        validate_key(key)
        with self._lock:
            return key in self._blobs

    def delete(self, key: str) -> bool:
        """See BlobStore.delete."""
        validate_key(key)
        with self._lock:
            return self._blobs.pop(key, None) is not None

    def list(self, prefix: str = "") -> Iterator[str]:
        """See BlobStore.list."""
        with self._lock:
            keys = sorted(k for k in self._blobs if k.startswith(prefix))
        yield from keys

    def stat(self, key: str) -> BlobInfo:
        """See BlobStore.stat."""
        payload, digest = self._entry(key)
        return BlobInfo(key, len(payload), digest)
