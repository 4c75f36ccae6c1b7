"""Engine tuning per database: SQLite pragmas and write locking; JSON written compact.

SQLite: WAL (readers never block the writer), foreign keys on, a busy timeout, and
pysqlite's own transaction handling switched off so that SAVEPOINTs work and so that a
write transaction starts with `BEGIN IMMEDIATE` (takes the write lock at once; a deferred
transaction that reads and then writes can fail with SQLITE_BUSY when another writer
committed in between, and busy_timeout cannot help with that upgrade). Read-only requests
(GET/HEAD/OPTIONS) start with a plain deferred `BEGIN` so pulls never wait for pushes.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask import has_request_context, request
from sqlalchemy import JSON, String, Table, any_, bindparam, event, insert
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

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


def _copy_columns(table: Table, rows: Sequence[dict]):
    """Return [(key, column, default)] for a COPY of `rows`, or None when a column the rows
    lack has a default COPY cannot apply (a callable one)."""
    given = set().union(*(row.keys() for row in rows))
    out = []
    for column in table.columns:
        if column.key in given:
            out.append((column.key, column, column.default.arg if column.default is not None
                        and column.default.is_scalar else None))
        elif column.default is not None:
            if not column.default.is_scalar:
                return None
            out.append((column.key, column, column.default.arg))
    return out


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict]) -> None:
    """Insert `rows` (column dicts) into `table` in ONE statement: `COPY … FROM STDIN` on
    PostgreSQL, an executemany INSERT elsewhere. A row's missing columns get the column's
    scalar default (else the server's default, e.g. the next `seq`). Raises the
    SQLAlchemy DBAPIError subclass of a database error (IntegrityError for a duplicate key),
    as an INSERT would."""
    if not rows:
        return
    columns = _copy_columns(table, rows) if connection.dialect.name == "postgresql" else None
    if columns is None:
        connection.execute(insert(table), list(rows))
        return
    names = ", ".join(f'"{column.name}"' for _key, column, _default in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    as_json = [isinstance(column.type, JSON) for _key, column, _default in columns]
    raw = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [row.get(key, default) for key, _column, default in columns]
                copy.write_row([compact_json(v) if j and v is not None else v for v, j in zip(values, as_json, strict=True)])
    except raw.Error as exc:
        raise DBAPIError.instance(statement, None, exc, type(raw).Error) from exc


def in_chunks(query, column, values, rows: bool = False, size: int = 900):
    """Yield the results of `query` filtered by `column IN values` (the string values
    only), in chunks of `size` (bind-parameter limits). On PostgreSQL a chunk is ONE array
    parameter (`column = ANY(:values)`): the statement's text is the same for any count,
    so it is neither rebuilt nor re-parsed per request."""
    values = sorted(v for v in values if isinstance(v, str))
    array = db.session.get_bind().dialect.name == "postgresql"
    for k in range(0, len(values), size):
        chunk = values[k:k + size]
        clause = column == any_(bindparam(None, chunk, type_=ARRAY(String))) if array else column.in_(chunk)
        result = db.session.execute(query.where(clause))
        yield from (result.all() if rows else result.scalars())
