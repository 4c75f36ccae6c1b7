"""Engine tuning per database: SQLite pragmas and write locking; JSON written compact.

SQLite: WAL (readers never block the writer), foreign keys on, a busy timeout, and
pysqlite's own transaction handling switched off so that SAVEPOINTs work and so that a
write transaction starts with `BEGIN IMMEDIATE` (takes the write lock at once; a deferred
transaction that reads and then writes can fail with SQLITE_BUSY when another writer
committed in between, and busy_timeout cannot help with that upgrade). Read-only requests
(GET/HEAD/OPTIONS) start with a plain deferred `BEGIN` so pulls never wait for pushes.
"""
from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from server.kernel.extensions import db
from server.kernel.types import compact_json

_READ_METHODS = ("GET", "HEAD", "OPTIONS")


def _wants_write_lock() -> bool:
    if has_request_context():
        return request.method not in _READ_METHODS
    return True  # CLI, services run by hand, tests: writers


def engine_options(configured: dict | None) -> dict:
    """Return SQLAlchemy engine options: every JSON column written as compact UTF-8
    (`compact_json`) on every backend, then what the configuration adds."""
    return {"json_serializer": compact_json, **(configured or {})}


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Install the per-dialect connection hooks on `engine` (idempotent per engine)."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_gbfield_configured", False):
        return
    engine._gbfield_configured = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def in_chunks(query, column, values, rows: bool = False, size: int = 900):
    """Yield the results of `query` filtered by `column IN values` (the string values
    only), in chunks of `size` (bind-parameter limits)."""
    values = sorted(v for v in values if isinstance(v, str))
    for k in range(0, len(values), size):
        result = db.session.execute(query.where(column.in_(values[k:k + size])))
        yield from (result.all() if rows else result.scalars())
