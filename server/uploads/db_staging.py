"""Partial uploads in the shared database (`GBFIELD_UPLOAD_STAGING=database`): the same
interface as `staging.Staging` (the folder), for servers on several machines. An append
locks the upload's row (`SELECT … FOR UPDATE`; SQLite serialises writers), checks the
offset, stores the chunk as a row and moves the offset, in one committed unit of work, so
the next PATCH may go to any worker of any machine; a server killed mid-chunk leaves the
offset of the last committed chunk, where the client resumes (tus HEAD).

A chunk with a checksum is all-or-nothing; without one, the bytes that arrived before the
client went away are kept (as the folder does). No running hash crosses machines:
`whole_sha256` answers None and completion hashes the bytes it reads.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import delete, func, select

from server.kernel import clock
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work
from server.uploads.models import StagedChunk, StagedUpload
from server.uploads.staging import (
    _ID,
    CHECKSUM_ALGORITHMS,
    READ_SIZE,
    ChunkChecksumMismatch,
    ChunkTooLong,
    ClientGone,
    OffsetMismatch,
    UnknownUpload,
    UploadInfo,
)


class DatabaseStaging:
    """Partial uploads as rows of `staged_uploads` and `staged_chunks` (see above)."""

    def _row(self, upload_id: str, *, lock: bool = False) -> StagedUpload:
        if not _ID.match(upload_id or ""):
            raise UnknownUpload(upload_id)
        query = select(StagedUpload).where(StagedUpload.id == upload_id)
        row = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
        if row is None:
            raise UnknownUpload(upload_id)
        return row

    def create(self, info: UploadInfo) -> UploadInfo:
        """Store a new upload's facts (committed); returns `info` with its new id."""
        info.id = uuid.uuid4().hex
        with unit_of_work():
            db.session.add(StagedUpload(id=info.id, info=asdict(info), offset=0, expires_at=info.expires()))
        return info

    def load(self, upload_id: str) -> UploadInfo:
        """Return an upload's facts. Raises UnknownUpload."""
        return UploadInfo(**self._row(upload_id).info)

    def save(self, info: UploadInfo) -> None:
        """Rewrite an upload's facts (a new expiry), committed."""
        with unit_of_work():
            row = self._row(info.id)
            row.info, row.expires_at = asdict(info), info.expires()

    def part_path(self, upload_id: str) -> None:
        """No local file holds the bytes (the photo store takes them from memory)."""

    def offset(self, upload_id: str) -> int:
        """Return how many bytes have been kept. Raises UnknownUpload."""
        return self._row(upload_id).offset

    @contextmanager
    def locked(self, upload_id: str) -> Iterator[None]:
        """Hold the upload's row lock for the block (the caller's unit of work commits it)."""
        self._row(upload_id, lock=True)
        yield None

    def append(self, info: UploadInfo, offset: int, stream: BinaryIO, declared_size: int | None,
               checksum: tuple[str, bytes] | None) -> int:
        """Append one chunk at `offset` and return the new offset (committed).
        Raises UnknownUpload, OffsetMismatch, ChunkTooLong, ChunkChecksumMismatch, ClientGone."""
        with unit_of_work():
            row = self._row(info.id, lock=True)
            current = row.offset
            if offset != current:
                raise OffsetMismatch(current)
            room = info.length - current
            if declared_size is not None and declared_size > room:
                raise ChunkTooLong()
            hasher = CHECKSUM_ALGORITHMS[checksum[0]]() if checksum else None
            parts, written, gone = [], 0, False
            while True:
                try:
                    chunk = stream.read(min(READ_SIZE, room - written + 1))
                except Exception:  # noqa: BLE001 - werkzeug ClientDisconnected, socket errors
                    gone = True
                    break
                if not chunk:
                    break
                if written + len(chunk) > room:
                    raise ChunkTooLong()
                parts.append(chunk)
                written += len(chunk)
                if hasher is not None:
                    hasher.update(chunk)
            if declared_size is not None and written < declared_size:
                gone = True
            if hasher is not None and gone:
                written = 0            # all-or-nothing: nothing kept, nothing to commit
            elif hasher is not None and hasher.digest() != checksum[1]:
                raise ChunkChecksumMismatch()
            if written:
                db.session.add(StagedChunk(upload_id=info.id, offset=current, data=b"".join(parts)))
                row.offset = current + written
        if gone:
            raise ClientGone(current + written)
        return current + written

    def whole_sha256(self, upload_id: str, length: int) -> None:
        """None: no process saw every chunk (completion hashes what it reads)."""

    def read_all(self, upload_id: str) -> bytes:
        """Return the bytes of an upload, its chunks in offset order. Raises UnknownUpload."""
        self._row(upload_id)
        return b"".join(db.session.execute(select(StagedChunk.data).where(StagedChunk.upload_id == upload_id)
                                           .order_by(StagedChunk.offset)).scalars())

    def delete(self, upload_id: str) -> bool:
        """Remove an upload and its chunks (committed); return True if it existed."""
        if not _ID.match(upload_id or ""):
            return False
        with unit_of_work():
            db.session.execute(delete(StagedChunk).where(StagedChunk.upload_id == upload_id))
            return bool(db.session.execute(delete(StagedUpload).where(StagedUpload.id == upload_id)).rowcount)

    def count(self) -> int:
        """Return how many uploads are staged."""
        return int(db.session.execute(select(func.count()).select_from(StagedUpload)).scalar() or 0)

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete every upload whose expiry has passed; return how many."""
        now = now or clock.now()
        ids = list(db.session.execute(select(StagedUpload.id).where(StagedUpload.expires_at <= now)).scalars())
        return sum(self.delete(upload_id) for upload_id in ids)
