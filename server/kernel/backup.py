"""`gbfield backup` / `gbfield restore`: the database and the blobs in one tar archive.

The archive (docs/operations.md, "Backup and restore"):

    db/<table>.jsonl       one JSON object per row (datetimes ISO 8601, bytes base64),
                           tables in foreign-key order
    blobs/<key>            the blob's bytes
    manifest.json          (last) format, schema revision, row count per table, every
                           blob's key, size and SHA-256, the time it was made

Rows are read inside one read transaction (REPEATABLE READ on PostgreSQL), so the tables
agree with each other; blobs are copied after the rows (a photo's blob is stored before
its row, so every blob a row names is in the archive). The format is the same for SQLite
and PostgreSQL, and for folder and S3 blobs: a backup of one restores into the other.

Restore refuses a target that holds any row (unless `force`, which empties it first), and
a backup of another schema revision; it checks every blob's SHA-256 against the manifest.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Date, DateTime, LargeBinary, Numeric, func, insert, inspect, select, text

from server.kernel import clock
from server.kernel.blobs import BlobStore, store_from_config
from server.kernel.errors import ServerError
from server.kernel.extensions import db
from server.kernel.uow import rollback, unit_of_work

FORMAT = "gbfield-backup/1"
_BATCH = 1000
#: progress(stage, done, total): stage "rows" (tables done of all) or "blobs"
Progress = Callable[[str, int, int], None]


class BackupError(ServerError):
    """A backup that cannot be made or restored (the message says why and what to do)."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decoder(column) -> Callable[[Any], Any]:
    kind = column.type
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    if isinstance(kind, Numeric) and kind.asdecimal:
        return lambda v: None if v is None else Decimal(v)
    return lambda v: v


def blob_store() -> BlobStore:
    """Return the app's blob store, as its config describes it. Raises BlobStoreError."""
    return store_from_config(current_app.config, current_app.instance_path)


def schema_revision() -> str | None:
    """Return the database's alembic revision (None before any migration)."""
    if not inspect(db.session.connection()).has_table("alembic_version"):
        return None
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _tar_add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(clock.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _dump_table(conn, table) -> tuple[bytes, int]:
    lines, count = [], 0
    order = list(table.primary_key.columns) or list(table.columns)
    for row in conn.execute(select(table).order_by(*order)).mappings():
        lines.append(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False,
                                separators=(",", ":")))
        count += 1
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"), count


def backup(path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Write the archive of the current app's database and blobs to `path` (gzip-compressed
    when it ends in .gz); return the manifest. Raises BackupError when `path` exists or the
    database has no schema, BlobStoreError when a blob cannot be read."""
    if path.exists():
        raise BackupError(f"{path} exists: a backup never overwrites a file")
    tables = db.metadata.sorted_tables
    dumps: dict[str, tuple[bytes, int]] = {}
    rollback()           # one read transaction of its own for every table
    options = {"isolation_level": "REPEATABLE READ"} if db.engine.dialect.name == "postgresql" else {}
    conn = db.session.connection(execution_options=options)
    try:
        revision = schema_revision()
        if revision is None:
            raise BackupError("the database has no schema yet (run `gbfield db upgrade`): nothing to back up")
        for n, table in enumerate(tables, 1):
            dumps[table.name] = _dump_table(conn, table)
            if progress:
                progress("rows", n, len(tables))
    finally:
        rollback()       # read only: nothing to keep, and SQLite's lock is released at once
    store = blob_store()
    keys = sorted(store.list())
    manifest = {"format": FORMAT, "made_at": clock.now().isoformat(), "revision": revision,
                "database": db.engine.dialect.name, "tables": {n: c for n, (_, c) in dumps.items()},
                "blobs": {}}
    mode = "w:gz" if path.name.endswith(".gz") else "w"
    partial = path.with_name(path.name + ".partial")
    try:
        with tarfile.open(partial, mode) as tar:
            for name, (data, _) in dumps.items():
                _tar_add(tar, f"db/{name}.jsonl", data)
            for n, key in enumerate(keys, 1):
                data = store.get(key)
                manifest["blobs"][key] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                _tar_add(tar, f"blobs/{key}", data)
                if progress:
                    progress("blobs", n, len(keys))
            _tar_add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """Return the manifest of archive `path`; raises BackupError when it is not one."""
    try:
        with tarfile.open(path, "r:*") as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else None
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{path} is not a gbfield backup: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a {FORMAT} archive")
    return manifest


def row_counts() -> dict[str, int]:
    """Return {table: rows} of every table of the schema."""
    return {t.name: int(db.session.execute(select(func.count()).select_from(t)).scalar())
            for t in db.metadata.sorted_tables}


def blob_count(store: BlobStore | None = None) -> int:
    """Return how many blobs the app's store holds."""
    return sum(1 for _ in (store or blob_store()).list())


def empty_target() -> None:
    """Drop every table of the schema and the alembic version (restore --force; the caller
    migrates again) and delete every blob. Raises nothing of its own."""
    db.session.remove()
    db.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store = blob_store()
    for key in list(store.list()):
        store.delete(key)


def _members(tar: tarfile.TarFile) -> Iterator[tuple[str, bytes]]:
    for member in tar:
        if member.isfile():
            handle = tar.extractfile(member)
            yield member.name, handle.read() if handle else b""


def restore(path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Load archive `path` into the current app's (migrated, empty) database and blob store;
    return the manifest. Raises BackupError for another schema revision, a target that
    holds rows or blobs, a blob whose SHA-256 differs from the manifest, or a table the
    schema does not have."""
    manifest = read_manifest(path)
    revision = schema_revision()
    if manifest["revision"] != revision:
        raise BackupError(f"the backup is of schema {manifest['revision']}, this database is at {revision}: "
                          "restore with the gbfield version that made it (then `gbfield db upgrade`)")
    held = {t: n for t, n in row_counts().items() if n}
    store = blob_store()
    if held or blob_count(store):
        raise BackupError(f"the target is not empty ({sum(held.values())} rows in {len(held)} tables, "
                          f"{blob_count(store)} blobs): restore into an empty one, or pass --force to replace it")
    tables = {t.name: t for t in db.metadata.sorted_tables}
    unknown = set(manifest["tables"]) - set(tables)
    if unknown:
        raise BackupError(f"the backup has tables this schema lacks: {', '.join(sorted(unknown))}")
    dumps: dict[str, bytes] = {}
    blobs_done = 0
    with tarfile.open(path, "r:*") as tar:
        for name, data in _members(tar):
            if name.startswith("db/"):
                dumps[name[3:].removesuffix(".jsonl")] = data
                continue
            if dumps:                        # the tables come first in the archive
                _load_rows(tables, dumps, progress)
                dumps = {}
            if name.startswith("blobs/"):
                key = name[len("blobs/"):]
                expected = manifest["blobs"].get(key, {}).get("sha256")
                if hashlib.sha256(data).hexdigest() != expected:
                    raise BackupError(f"blob {key} does not match the manifest: the archive is damaged")
                store.put(key, data)
                blobs_done += 1
                if progress:
                    progress("blobs", blobs_done, len(manifest["blobs"]))
    if dumps:
        _load_rows(tables, dumps, progress)
    if blobs_done != len(manifest["blobs"]):
        raise BackupError(f"the archive holds {blobs_done} of {len(manifest['blobs'])} blobs: it is incomplete")
    return manifest


def _load_rows(tables, dumps: dict[str, bytes], progress: Progress | None) -> None:
    """Insert the dumped rows table by table (foreign keys first) in one unit of work, then
    move PostgreSQL's sequences past the restored ids."""
    ordered = [t for name, t in tables.items() if name in dumps]
    rollback()
    with unit_of_work():
        conn = db.session.connection()
        for n, table in enumerate(ordered, 1):
            decoders = {c.name: _decoder(c) for c in table.columns}
            batch = []
            for line in dumps[table.name].decode("utf-8").splitlines():
                raw = json.loads(line)
                batch.append({k: decoders[k](v) for k, v in raw.items() if k in decoders})
                if len(batch) >= _BATCH:
                    conn.execute(insert(table), batch)
                    batch = []
            if batch:
                conn.execute(insert(table), batch)
            if progress:
                progress("rows", n, len(ordered))
        if conn.dialect.name == "postgresql":
            for table in ordered:
                column = table.autoincrement_column     # an integer id the database numbers
                if column is not None:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false) "
                        f"WHERE pg_get_serial_sequence('{table.name}', '{column.name}') IS NOT NULL"))
