"""The device's evidence photos: files the tablet's pipeline wrote, queued for upload by
SHA-256. A row never leaves: it moves from `pending` to `uploaded` (confirmed by the
server) or `rejected` (refused for good, kept with the reason until the officer retries).

The store is also the tus uploader's `url_store` (get/set/delete of an upload URL by
SHA-256), so an upload cut by the network or an app restart resumes from the server's
offset.
"""
from __future__ import annotations

import hashlib
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from device.errors import DeviceError
from device.stores.unit import SqliteUnit, Unit
from sync.protocol import ErrorCode

SCHEMA = """
CREATE TABLE IF NOT EXISTS photos (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,                      -- the file the tablet's pipeline wrote
    entity TEXT, record_id TEXT,             -- the record it was first attached to
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'uploaded', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
    upload_url TEXT,                         -- tus upload to resume (None: start a new one)
    added_at REAL NOT NULL, uploaded_at REAL) WITHOUT ROWID;
"""

PENDING, UPLOADED, REJECTED = "pending", "uploaded", "rejected"
KEYS = ("sha256", "path", "entity", "record_id", "state", "attempts", "last_error", "upload_url")


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 hex of a file's bytes; raises DeviceError (validation_failed)
    when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise DeviceError(f"照片文件无法读取 / cannot read photo file {path}: {exc}",
                          code=ErrorCode.VALIDATION_FAILED) from exc
    return digest.hexdigest()


class PhotoStore(ABC):
    """Photo rows {sha256, path, entity, record_id, state, attempts, last_error, upload_url}."""

    def __init__(self, unit: Unit):
        self.unit = unit

    @abstractmethod
    def add(self, sha256: str, path: str | Path, entity: str | None = None,
            record_id: str | None = None) -> None:
        """Queue a photo file; a known SHA-256 keeps its state and record but takes the
        newer path unless it was uploaded."""

    @abstractmethod
    def rows(self, state: str | None = None) -> list[dict[str, Any]]:
        """Return photo rows (all, or those in `state`), oldest first."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Return {pending, uploaded, rejected} counts."""

    @abstractmethod
    def mark_uploaded(self, sha256: str) -> None:
        """The server confirmed it has the photo (uploaded now or before): no error, no URL."""

    @abstractmethod
    def note_failure(self, sha256: str, error: str, *, rejected: bool = False) -> None:
        """Count a failed attempt with its error; `rejected` when the server refused the
        photo for good (else it stays pending)."""

    @abstractmethod
    def retry(self, sha256: str) -> None:
        """Put a rejected photo back in the queue (a fresh upload); others are unchanged."""

    @abstractmethod
    def get(self, sha256: str) -> str | None:
        """Return the tus upload URL to resume for `sha256`, or None."""

    @abstractmethod
    def set(self, sha256: str, url: str) -> None:
        """Remember the tus upload URL of `sha256` (a photo not queued is queued without a path)."""

    @abstractmethod
    def delete(self, sha256: str) -> None:
        """Forget the upload URL of `sha256` (finished, expired or abandoned); the row stays."""


class SqlitePhotos(PhotoStore):
    """The `photos` table."""

    def __init__(self, unit: SqliteUnit):
        super().__init__(unit)
        unit.create(SCHEMA)
        self.db = unit.db

    def _write(self, sql: str, params: tuple) -> None:
        with self.unit.transaction() as conn:
            conn.execute(sql, params)

    def add(self, sha256: str, path: str | Path, entity: str | None = None,
            record_id: str | None = None) -> None:
        self._write("INSERT INTO photos (sha256, path, entity, record_id, added_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (sha256) DO UPDATE SET path = excluded.path WHERE photos.state != 'uploaded'",
                    (sha256, str(path), entity, record_id, time.time()))

    def rows(self, state: str | None = None) -> list[dict[str, Any]]:
        sql = f"SELECT {', '.join(KEYS)} FROM photos" + (" WHERE state = ?" if state else "") + " ORDER BY added_at"
        return [dict(zip(KEYS, row, strict=True)) for row in self.db.execute(sql, (state,) if state else ())]

    def counts(self) -> dict[str, int]:
        out = {PENDING: 0, UPLOADED: 0, REJECTED: 0}
        for state, n in self.db.execute("SELECT state, count(*) FROM photos GROUP BY state"):
            out[state] = n
        return out

    def mark_uploaded(self, sha256: str) -> None:
        self._write("UPDATE photos SET state = 'uploaded', last_error = NULL, upload_url = NULL, "
                    "uploaded_at = ? WHERE sha256 = ?", (time.time(), sha256))

    def note_failure(self, sha256: str, error: str, *, rejected: bool = False) -> None:
        self._write("UPDATE photos SET attempts = attempts + 1, last_error = ?, state = ? WHERE sha256 = ?",
                    (error, REJECTED if rejected else PENDING, sha256))

    def retry(self, sha256: str) -> None:
        self._write("UPDATE photos SET state = 'pending', upload_url = NULL WHERE sha256 = ? "
                    "AND state = 'rejected'", (sha256,))

    def get(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT upload_url FROM photos WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def set(self, sha256: str, url: str) -> None:
        self._write("INSERT INTO photos (sha256, path, upload_url, added_at) VALUES (?, '', ?, ?) "
                    "ON CONFLICT (sha256) DO UPDATE SET upload_url = excluded.upload_url",
                    (sha256, url, time.time()))

    def delete(self, sha256: str) -> None:
        self._write("UPDATE photos SET upload_url = NULL WHERE sha256 = ?", (sha256,))

