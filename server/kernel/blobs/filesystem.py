"""A BlobStore in a local folder (the default).

Layout: key ``a/b/name`` lives at ``ROOT/a/b/na/me/name`` — the last segment is sharded
by its first four characters so that a folder never holds more than a few thousand
files when names are hashes. Writes go to a temporary file in the same folder, are
fsynced and then renamed over the target with ``os.replace`` (atomic on POSIX).
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .base import (
    BlobInfo,
    BlobNotFound,
    BlobStore,
    BlobStoreError,
    HashingWriter,
    check_range,
    iter_source,
    validate_key,
)

_TMP_PREFIX = ".tmp-"


def _shard(name: str) -> tuple[str, str]:
    padded = (name + "____")[:4]
    return padded[:2], padded[2:4]


class FilesystemBlobStore(BlobStore):
    """Blobs as files under ``root`` (created if missing)."""

    def __init__(self, root: str | os.PathLike, *, fsync: bool = True) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.fsync = fsync

    def path_for(self, key: str) -> Path:
        """Return the file path that holds ``key``. Raises InvalidBlobKey."""
        validate_key(key)
        *dirs, name = key.split("/")
        return self.root.joinpath(*dirs, *_shard(name), name)

    def put(self, key: str, data: bytes | BinaryIO, *, content_type: str | None = None) -> BlobInfo:
        """Write atomically (temp file + os.replace); see BlobStore.put."""
        target = self.path_for(key)
        hasher = HashingWriter()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    for chunk in iter_source(data):
                        handle.write(hasher.update(chunk))
                    handle.flush()
                    if self.fsync:
                        os.fsync(handle.fileno())
                os.replace(tmp_name, target)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise BlobStoreError(f"cannot write blob {key}: {exc}") from exc
        return BlobInfo(key, hasher.size, hasher.hexdigest)

    def put_file(self, key: str, source: str | os.PathLike) -> BlobInfo:
        """Move a local file into the store under ``key`` (fsync, then rename when on the same
        disk; else copy). The source is gone afterwards. Raises BlobStoreError."""
        target = self.path_for(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.fsync:
            with open(source, "rb") as handle:
                os.fsync(handle.fileno())
        try:
            os.replace(source, target)
        except OSError:
            with open(source, "rb") as handle:
                info = self.put(key, handle)
            Path(source).unlink(missing_ok=True)
            return info
        return BlobInfo(key, target.stat().st_size, None)

    def get(self, key: str) -> bytes:
        """See BlobStore.get."""
        path = self.path_for(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise BlobNotFound(key) from None
        except OSError as exc:
            raise BlobStoreError(f"cannot read blob {key}: {exc}") from exc

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> bytes:
        """See BlobStore.open_range."""
        check_range(start, end)
        path = self.path_for(key)
        try:
            with open(path, "rb") as handle:
                handle.seek(start)
                return handle.read() if end is None else handle.read(end - start)
        except FileNotFoundError:
            raise BlobNotFound(key) from None

    def exists(self, key: str) -> bool:
        """See BlobStore.exists."""
        return self.path_for(key).is_file()

    def delete(self, key: str) -> bool:
        """See BlobStore.delete."""
        path = self.path_for(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise BlobStoreError(f"cannot delete blob {key}: {exc}") from exc
        return True

    def list(self, prefix: str = "") -> Iterator[str]:
        """See BlobStore.list (walks the folder; temp files and foreign files are skipped)."""
        keys = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = Path(dirpath).relative_to(self.root).parts
            if len(rel) < 2:
                continue
            for name in filenames:
                if name.startswith(_TMP_PREFIX) or (rel[-2], rel[-1]) != _shard(name):
                    continue
                key = "/".join((*rel[:-2], name))
                if key.startswith(prefix):
                    keys.append(key)
        yield from sorted(keys)

    def stat(self, key: str) -> BlobInfo:
        """See BlobStore.stat (sha256 is None: not recomputed)."""
        try:
            return BlobInfo(key, self.path_for(key).stat().st_size, None)
        except FileNotFoundError:
            raise BlobNotFound(key) from None
