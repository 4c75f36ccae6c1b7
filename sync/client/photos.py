"""The device's evidence photos: a queue in the LocalStore and the engine's photo step.

Photos are files the tablet's pipeline wrote (`kivy_client.services.photos`); records
reference them by SHA-256 in `data.photos`. Records and blobs travel apart: each sync
first asks the server which pending photos it already has (those are never sent again),
then uploads the others with tus (`sync.client.uploads.PhotoUploader`). Upload URLs live
in the `photos` table, so an upload cut by the network or by an app restart resumes from
the server's offset. A photo row is never deleted: it only moves from `pending` to
`uploaded` (confirmed by the server) or `rejected` (refused for good, e.g. corrupt; kept
with the reason until the officer retries it).
"""
from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.client.errors import RequestRejected, RetryableError, SyncError

PHOTOS_SCHEMA = """
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


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 hex of a file's bytes; raises SyncError when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise SyncError(f"照片文件无法读取 / cannot read photo file {path}: {exc}",
                        code="validation_failed") from exc
    return digest.hexdigest()


class PhotoQueue:
    """The `photos` table of a LocalStore; also the PhotoUploader's `url_store`
    (get/set/delete of a tus upload URL by SHA-256), so resumes survive restarts."""

    def __init__(self, store: Any):
        self.store = store
        self.db: sqlite3.Connection = store.db

    def add(self, conn: sqlite3.Connection, sha256: str, path: str | Path,
            entity: str | None = None, record_id: str | None = None) -> None:
        """Queue a photo file (caller's transaction); a known SHA-256 keeps its state but
        takes the newer path when it is still pending or rejected."""
        conn.execute("INSERT INTO photos (sha256, path, entity, record_id, added_at) VALUES (?, ?, ?, ?, ?) "
                     "ON CONFLICT (sha256) DO UPDATE SET path = excluded.path WHERE photos.state != 'uploaded'",
                     (sha256, str(path), entity, record_id, time.time()))

    def rows(self, state: str | None = None) -> list[dict[str, Any]]:
        """Return photo rows (all, or those in `state`), oldest first."""
        keys = ("sha256", "path", "entity", "record_id", "state", "attempts", "last_error", "upload_url")
        sql = f"SELECT {', '.join(keys)} FROM photos" + (" WHERE state = ?" if state else "") + " ORDER BY added_at"
        return [dict(zip(keys, row)) for row in self.db.execute(sql, (state,) if state else ())]

    def counts(self) -> dict[str, int]:
        """Return {pending, uploaded, rejected} counts."""
        out = {PENDING: 0, UPLOADED: 0, REJECTED: 0}
        for state, n in self.db.execute("SELECT state, count(*) FROM photos GROUP BY state"):
            out[state] = n
        return out

    def _update(self, sql: str, params: tuple) -> None:
        with self.store.transaction() as conn:
            conn.execute(sql, params)

    def mark_uploaded(self, sha256: str) -> None:
        """The server confirmed it has the photo (uploaded now or before)."""
        self._update("UPDATE photos SET state = 'uploaded', last_error = NULL, upload_url = NULL, "
                     "uploaded_at = ? WHERE sha256 = ?", (time.time(), sha256))

    def note_failure(self, sha256: str, error: str, *, rejected: bool = False) -> None:
        """Count a failed attempt; `rejected` when the server refused the photo for good."""
        self._update("UPDATE photos SET attempts = attempts + 1, last_error = ?, state = ? WHERE sha256 = ?",
                     (error, REJECTED if rejected else PENDING, sha256))

    def retry(self, sha256: str) -> None:
        """Put a rejected photo back in the queue (after the officer fixed the file)."""
        self._update("UPDATE photos SET state = 'pending', upload_url = NULL WHERE sha256 = ? "
                     "AND state = 'rejected'", (sha256,))

    # -- UploadUrlStore ------------------------------------------------------------------
    def get(self, sha256: str) -> str | None:
        """Return the tus upload URL to resume for `sha256`, or None."""
        row = self.db.execute("SELECT upload_url FROM photos WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def set(self, sha256: str, url: str) -> None:
        """Remember the tus upload URL of `sha256` (a photo not queued is queued without a path)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO photos (sha256, path, upload_url, added_at) VALUES (?, '', ?, ?) "
                         "ON CONFLICT (sha256) DO UPDATE SET upload_url = excluded.upload_url",
                         (sha256, url, time.time()))

    def delete(self, sha256: str) -> None:
        """Forget the upload URL of `sha256` (finished, expired or abandoned)."""
        self._update("UPDATE photos SET upload_url = NULL WHERE sha256 = ?", (sha256,))


@dataclass
class PhotoTally:
    """What one photo step did."""

    uploaded: int = 0
    skipped: int = 0      # the server already had them: nothing sent
    failed: int = 0
    errors: list[str] | None = None


def upload_pending(queue: PhotoQueue, uploader: Any, retry: Any) -> PhotoTally:
    """Upload every pending photo the server lacks; return a PhotoTally.

    One `photos/check` (retried with `retry`) names what the server has; the rest go one
    by one through `uploader.upload(path, sha256, skip_check=True)`. A network failure
    that outlasts the uploader's retries stops the step (the other photos wait for the
    next sync); a refused photo is kept as `rejected`; a missing or changed file stays
    pending with the reason. Raises CredentialsError (401); nothing else.
    """
    tally = PhotoTally(errors=[])
    pending = queue.rows(PENDING)
    if not pending:
        return tally
    try:
        present = retry.call(lambda: uploader.check([p["sha256"] for p in pending]))
    except (RetryableError, RequestRejected) as exc:
        tally.failed = len(pending)
        tally.errors.append(f"照片检查失败，稍后重试 / photo check failed: {exc}")
        return tally
    for photo in pending:
        sha = photo["sha256"]
        if sha in present:
            queue.mark_uploaded(sha)
            tally.skipped += 1
            continue
        try:
            result = uploader.upload(photo["path"], sha, skip_check=True)
        except (OSError, ValueError) as exc:   # the file is gone or no longer hashes to its id
            queue.note_failure(sha, f"照片文件丢失或已改变 / photo file missing or changed: {exc}")
            tally.failed += 1
            tally.errors.append(f"照片 {sha[:12]}: 文件丢失或已改变 / file missing or changed")
            continue
        except RequestRejected as exc:
            queue.note_failure(sha, str(exc), rejected=True)
            tally.failed += 1
            tally.errors.append(f"照片 {sha[:12]} 被服务器拒绝 / photo refused: {exc}")
            continue
        except RetryableError as exc:
            queue.note_failure(sha, str(exc))
            tally.failed += 1
            tally.errors.append(f"照片上传中断，稍后重试 / photo upload interrupted: {exc}")
            break
        queue.mark_uploaded(sha)
        if result.status == "uploaded":
            tally.uploaded += 1
        else:
            tally.skipped += 1
    return tally
