"""Partial uploads on local disk: ``<id>.part`` (the bytes so far) and ``<id>.json`` (the
upload's facts). The offset is the size of the ``.part`` file; an append holds an
exclusive ``flock`` on it, so two PATCHes of one upload never interleave. Works with
several gunicorn workers on one machine (not across machines: keep uploads sticky).

While chunks arrive, each process keeps the SHA-256 of the bytes it appended in memory
(keyed by upload id, with the offset it covers), so completion need not hash the file
again. Bytes below an acknowledged offset never change (a discarded chunk is cut back to
its own start), so a running hash whose offset equals the file's size is the file's hash.
After a restart, or when another worker appended a chunk, the offsets differ and
``whole_sha256`` answers None: the caller hashes the file it reads.
"""
from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from server.kernel import clock
from server.kernel.errors import ServerError

_ID = re.compile(r"^[0-9a-f]{32}$")
READ_SIZE = 1024 * 1024
#: running hashes kept per process; an evicted one only means one re-read at completion
MAX_RUNNING_HASHES = 256
#: sha256 is what our client sends; sha1 because the official Python client (tuspy) only speaks sha1.
CHECKSUM_ALGORITHMS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


class StagingError(ServerError):
    """Root of staging failures (mapped to tus answers by server.uploads.service)."""


class UnknownUpload(StagingError):
    """No such upload (never made, finished, terminated or purged)."""


class OffsetMismatch(StagingError):
    """The PATCH's Upload-Offset is not the stored offset."""

    def __init__(self, expected: int):
        super().__init__(expected)
        self.expected = expected


class ChunkChecksumMismatch(StagingError):
    """The chunk does not match its Upload-Checksum; it was discarded."""


class ChunkTooLong(StagingError):
    """The chunk would go past Upload-Length; it was discarded."""


class ClientGone(StagingError):
    """The client disconnected mid-chunk; ``offset`` is what was kept."""

    def __init__(self, offset: int):
        super().__init__(offset)
        self.offset = offset


@dataclass
class UploadInfo:
    """The facts of one upload, kept next to its bytes."""

    id: str
    length: int
    sha256: str
    metadata: dict
    user_id: int
    created_at: str
    expires_at: str
    extra: dict = field(default_factory=dict)

    def expires(self) -> datetime:
        """Return the expiry as an aware datetime."""
        return datetime.fromisoformat(self.expires_at)


class Staging:
    """The staging folder of partial uploads."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._running: OrderedDict[str, tuple[int, object]] = OrderedDict()
        self._running_lock = threading.Lock()

    def _take_running(self, upload_id: str, offset: int):
        """Return (and forget) the running sha256 of ``upload_id`` if it covers exactly
        ``offset`` bytes; else None."""
        with self._running_lock:
            entry = self._running.pop(upload_id, None)
        return entry[1] if entry is not None and entry[0] == offset else None

    def _keep_running(self, upload_id: str, offset: int, hasher) -> None:
        with self._running_lock:
            self._running[upload_id] = (offset, hasher)
            self._running.move_to_end(upload_id)
            while len(self._running) > MAX_RUNNING_HASHES:
                self._running.popitem(last=False)

    def whole_sha256(self, upload_id: str, length: int) -> str | None:
        """Return the hex SHA-256 of a complete upload's ``length`` bytes if this process
        hashed all of them as they arrived, else None (read the file and hash it)."""
        hasher = self._take_running(upload_id, length)
        return hasher.hexdigest() if hasher is not None else None

    def _paths(self, upload_id: str) -> tuple[Path, Path]:
        if not _ID.match(upload_id or ""):
            raise UnknownUpload(upload_id)
        return self.root / f"{upload_id}.part", self.root / f"{upload_id}.json"

    def create(self, info: UploadInfo) -> UploadInfo:
        """Write a new upload's empty part file and facts; returns ``info`` with its new id."""
        info.id = uuid.uuid4().hex
        part, meta = self._paths(info.id)
        part.touch(exist_ok=False)
        self._write_info(meta, info)
        return info

    @staticmethod
    def _write_info(meta: Path, info: UploadInfo) -> None:
        tmp = meta.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(asdict(info)))
        os.replace(tmp, meta)

    def load(self, upload_id: str) -> UploadInfo:
        """Return an upload's facts. Raises UnknownUpload."""
        _, meta = self._paths(upload_id)
        try:
            return UploadInfo(**json.loads(meta.read_text()))
        except (FileNotFoundError, ValueError, TypeError):
            raise UnknownUpload(upload_id) from None

    def save(self, info: UploadInfo) -> None:
        """Rewrite an upload's facts (e.g. a new expiry)."""
        self._write_info(self._paths(info.id)[1], info)

    def part_path(self, upload_id: str) -> Path:
        """Return the path of an upload's bytes. Raises UnknownUpload for a malformed id."""
        return self._paths(upload_id)[0]

    def offset(self, upload_id: str) -> int:
        """Return how many bytes have been kept. Raises UnknownUpload."""
        try:
            return self._paths(upload_id)[0].stat().st_size
        except FileNotFoundError:
            raise UnknownUpload(upload_id) from None

    @contextmanager
    def locked(self, upload_id: str) -> Iterator[BinaryIO]:
        """Yield the part file opened for appending, exclusively locked. Raises UnknownUpload."""
        part, _ = self._paths(upload_id)
        try:
            handle = open(part, "r+b")  # noqa: SIM115 - closed by the with below
        except FileNotFoundError:
            raise UnknownUpload(upload_id) from None
        with handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield handle
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def append(self, info: UploadInfo, offset: int, stream: BinaryIO, declared_size: int | None,
               checksum: tuple[str, bytes] | None) -> int:
        """Append one chunk at ``offset`` and return the new offset.

        With a checksum the chunk is all-or-nothing; without one, as much as arrived is kept
        (tus core: a dropped connection still advances the offset).
        Raises UnknownUpload, OffsetMismatch, ChunkTooLong, ChunkChecksumMismatch, ClientGone."""
        with self.locked(info.id) as handle:
            handle.seek(0, os.SEEK_END)
            current = handle.tell()
            if offset != current:
                raise OffsetMismatch(current)
            room = info.length - current
            if declared_size is not None and declared_size > room:
                raise ChunkTooLong()
            whole = self._take_running(info.id, current)
            if whole is None and current == 0:
                whole = hashlib.sha256()
            if checksum and checksum[0] == "sha256" and current == 0:
                hasher = whole      # the first chunk's hash is the running hash so far: one pass
            else:
                hasher = CHECKSUM_ALGORITHMS[checksum[0]]() if checksum else None
            written, gone = 0, False
            while True:
                try:
                    chunk = stream.read(min(READ_SIZE, room - written + 1))
                except Exception:  # noqa: BLE001 - werkzeug ClientDisconnected, socket errors
                    gone = True
                    break
                if not chunk:
                    break
                if written + len(chunk) > room:
                    handle.truncate(current)
                    raise ChunkTooLong()
                handle.write(chunk)
                written += len(chunk)
                if hasher is not None:
                    hasher.update(chunk)
                if whole is not None and whole is not hasher:
                    whole.update(chunk)
            if declared_size is not None and written < declared_size:
                gone = True
            if hasher is not None and (gone or hasher.digest() != checksum[1]):
                handle.truncate(current)
                if gone:
                    raise ClientGone(current)
                raise ChunkChecksumMismatch()
            handle.flush()
            if whole is not None:
                self._keep_running(info.id, current + written, whole)
            if gone:
                raise ClientGone(current + written)
            return current + written

    def read_all(self, upload_id: str) -> bytes:
        """Return the bytes of a complete upload. Raises UnknownUpload."""
        try:
            return self._paths(upload_id)[0].read_bytes()
        except FileNotFoundError:
            raise UnknownUpload(upload_id) from None

    def delete(self, upload_id: str) -> bool:
        """Remove an upload's files; return True if it existed."""
        part, meta = self._paths(upload_id)
        with self._running_lock:
            self._running.pop(upload_id, None)
        existed = meta.exists()
        meta.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
        return existed

    def count(self) -> int:
        """Return how many uploads are staged (finished ones are gone)."""
        return sum(1 for _ in self.root.glob("*.json"))

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete every upload whose expiry has passed; return how many."""
        now = now or clock.now()
        purged = 0
        for meta in self.root.glob("*.json"):
            upload_id = meta.stem
            try:
                info = self.load(upload_id)
            except UnknownUpload:
                continue
            if info.expires() <= now:
                purged += self.delete(upload_id)
        return purged


def parse_metadata(header: str | None) -> dict[str, str]:
    """Return the Upload-Metadata header as {key: text}. Raises ValueError when malformed."""
    result: dict[str, str] = {}
    for pair in (header or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _, value = pair.partition(" ")
        if not key or key in result:
            raise ValueError(f"bad or repeated metadata key {key!r}")
        try:
            result[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value else ""
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"metadata {key} is not base64 UTF-8") from exc
    return result


def parse_checksum(header: str | None) -> tuple[str, bytes] | None:
    """Return (algorithm, digest) from ``Upload-Checksum: <algo> <base64>``, or None if absent.

    Raises ValueError for an unsupported algorithm or a malformed digest."""
    if header is None:
        return None
    algorithm, _, encoded = header.strip().partition(" ")
    algorithm = algorithm.lower()
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise ValueError(f"unsupported checksum algorithm {algorithm!r}")
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except ValueError as exc:
        raise ValueError("checksum is not base64") from exc
    if len(digest) != CHECKSUM_ALGORITHMS[algorithm]().digest_size:
        raise ValueError("checksum has the wrong length")
    return algorithm, digest
