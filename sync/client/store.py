"""The device's local SQLite store: catalog cache, own records, outbox and sync state.

One file per device (WAL, synchronous=NORMAL). Every step that must be atomic is one
transaction: a pulled page and the new cursor; a local edit and its outbox item; a push
result and the outbox row it acknowledges.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from sync.client.errors import StoreError
from sync.client.photos import PHOTOS_SCHEMA
from sync.protocol import (
    CATALOG_ENTITIES,
    OP_DELETE,
    RECORD_ENTITIES,
    Change,
    PushResult,
    change_data,
    digest_lines,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog (
    entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (entity, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
    entity TEXT NOT NULL, id TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,      -- last version the server acknowledged or sent
    data TEXT NOT NULL,                      -- the device's view (local edits included)
    server_data TEXT,                        -- the server's last known view
    PRIMARY KEY (entity, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS finding_revisions (
    finding_id TEXT NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (finding_id, revision)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL, id TEXT NOT NULL,
    base_version INTEGER,                    -- NULL: "the version the previous item yields"
    data TEXT NOT NULL, created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'conflict', 'rejected')),
    server_version INTEGER, server_current TEXT, error_code TEXT);
CREATE INDEX IF NOT EXISTS outbox_key ON outbox (entity, id, position);
CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rejudged (
    finding_id TEXT NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (finding_id, revision)) WITHOUT ROWID;
"""

def _dumps(value: Any) -> str:
    """Return compact JSON text (UTF-8, not ASCII-escaped), as the stdlib would write it."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


_CATALOG = frozenset(CATALOG_ENTITIES)


class LocalStore:
    """The device's SQLite file. Raises StoreError when the file cannot be opened."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(SCHEMA + PHOTOS_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"本地数据库无法打开 / cannot open the device store {self.path}: {exc}") from exc

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Yield the connection inside BEGIN IMMEDIATE … COMMIT (ROLLBACK on any error)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ---- sync state ---------------------------------------------------------------

    def get_state(self, key: str, default: Any = None) -> Any:
        """Return the JSON value stored under `key` in sync_state, or `default`."""
        row = self.db.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_state(self, key: str, value: Any, conn: sqlite3.Connection | None = None) -> None:
        """Store `value` (JSON) under `key`; inside a transaction when `conn` is given."""
        (conn or self.db).execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                                  (key, _dumps(value)))

    @property
    def cursor(self) -> int:
        """The pull cursor: the last page stored (0 before the first sync)."""
        return int(self.get_state("cursor", 0))

    def credentials(self) -> dict[str, Any] | None:
        """Return {server_url, device_id, token, user} saved at enrolment, or None."""
        return self.get_state("credentials")

    def save_credentials(self, creds: dict[str, Any]) -> None:
        """Save the device credentials received at enrolment."""
        self.set_state("credentials", creds)

    # ---- pulled pages -------------------------------------------------------------

    def apply_page(self, changes: Iterable[Change | Mapping[str, Any]], cursor: int,
                   horizon: int | None = None) -> int:
        """Store a pulled page and the new cursor (and the horizon the server reported) in
        ONE transaction; return the number of changes applied. `changes` are Change objects
        or the raw JSON objects of a page checked by `sync.protocol.check_pull_page`; a
        catalog row's `data` JSON text (pages pulled with `data=text`) is stored as is."""
        cat_up, cat_del, rec = [], [], []
        dumps, catalog, text = _dumps, _CATALOG, str
        for ch in changes:
            if type(ch) is dict:
                entity, ident, op, version, data = ch["entity"], ch["id"], ch["op"], ch["version"], ch.get("data")
            else:
                entity, ident, op, version, data = ch.entity, ch.id, ch.op, ch.version, ch.data
            if entity in catalog:
                if op == OP_DELETE:
                    cat_del.append((entity, ident))
                else:
                    cat_up.append((entity, ident, version, data if type(data) is text else dumps(data)))
            else:
                rec.append(ch if isinstance(ch, Change) else
                           Change(ch["seq"], entity, ident, op, version,
                                  change_data(data) if op != OP_DELETE else None))
        with self.transaction() as conn:
            if cat_up:
                conn.executemany("INSERT OR REPLACE INTO catalog (entity, id, version, data) "
                                 "VALUES (?, ?, ?, ?)", cat_up)
            if cat_del:
                conn.executemany("DELETE FROM catalog WHERE entity = ? AND id = ?", cat_del)
            for ch in rec:
                self._apply_record_change(conn, ch)
            self.set_state("cursor", int(cursor), conn)
            if horizon is not None:
                self.set_state("horizon", int(horizon), conn)
        return len(cat_up) + len(cat_del) + len(rec)

    def _has_pending(self, conn, entity: str, ident: str) -> bool:
        return conn.execute("SELECT 1 FROM outbox WHERE entity = ? AND id = ? LIMIT 1",
                            (entity, ident)).fetchone() is not None

    def _apply_record_change(self, conn, ch: Change) -> None:
        if ch.op == OP_DELETE:
            if self._has_pending(conn, ch.entity, ch.id):
                conn.execute("UPDATE records SET server_data = NULL, version = ? "
                             "WHERE entity = ? AND id = ?", (ch.version, ch.entity, ch.id))
            else:
                conn.execute("DELETE FROM records WHERE entity = ? AND id = ?", (ch.entity, ch.id))
            return
        data = _dumps(ch.data)
        if self._has_pending(conn, ch.entity, ch.id):
            # a local edit waits in the outbox: keep the device's view, remember the server's
            conn.execute("INSERT INTO records (entity, id, version, data, server_data) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (entity, id) DO UPDATE SET "
                         "version = excluded.version, server_data = excluded.server_data",
                         (ch.entity, ch.id, ch.version, data, data))
        else:
            conn.execute("INSERT OR REPLACE INTO records (entity, id, version, data, server_data) "
                         "VALUES (?, ?, ?, ?, ?)", (ch.entity, ch.id, ch.version, data, data))
        if ch.entity == "finding" and isinstance(ch.data.get("revision"), int):
            conn.execute("INSERT OR REPLACE INTO finding_revisions (finding_id, revision, data) "
                         "VALUES (?, ?, ?)", (ch.id, ch.data["revision"], data))

    def drop_entities(self, entities: Iterable[str] | None) -> None:
        """Forget pulled rows of `entities` (all when None/empty) and reset the cursor to 0.

        Records with an item in the outbox keep the device's view: nothing unacknowledged
        is ever dropped.
        """
        names = tuple(entities or ()) or CATALOG_ENTITIES + RECORD_ENTITIES
        with self.transaction() as conn:
            for name in names:
                if name in CATALOG_ENTITIES:
                    conn.execute("DELETE FROM catalog WHERE entity = ?", (name,))
                else:
                    conn.execute("DELETE FROM records WHERE entity = ? AND NOT EXISTS (SELECT 1 "
                                 "FROM outbox o WHERE o.entity = records.entity AND o.id = records.id)",
                                 (name,))
            self.set_state("cursor", 0, conn)
            conn.execute("DELETE FROM sync_state WHERE key = 'horizon'")

    def drop_catalog_entities(self, entities: Iterable[str]) -> None:
        """Forget cached rows of the catalog `entities` (before re-pulling them from 0)."""
        with self.transaction() as conn:
            conn.executemany("DELETE FROM catalog WHERE entity = ?", [(e,) for e in entities])

    # ---- reading -------------------------------------------------------------------

    def catalog_row(self, entity: str, ident: str) -> dict[str, Any] | None:
        """Return the cached catalog row's data, or None."""
        row = self.db.execute("SELECT data FROM catalog WHERE entity = ? AND id = ?",
                              (entity, ident)).fetchone()
        return json.loads(row[0]) if row else None

    def catalog_digests(self, entities: Iterable[str] = CATALOG_ENTITIES) -> dict[str, str]:
        """Return {entity: digest_lines(id, version)} of the cached catalog."""
        out = {}
        for entity in entities:
            rows = self.db.execute("SELECT id, version FROM catalog WHERE entity = ?", (entity,))
            out[entity] = digest_lines(rows)
        return out

    def counts(self) -> dict[str, int]:
        """Return row counts per catalog/record entity (keys like 'catalog.indicator')."""
        out: dict[str, int] = {}
        for table in ("catalog", "records"):
            for entity, n in self.db.execute(f"SELECT entity, count(*) FROM {table} GROUP BY entity"):
                out[f"{table}.{entity}"] = n
        return out

    def record(self, entity: str, ident: str) -> dict[str, Any] | None:
        """Return {version, data, server_data} of an own record, or None."""
        row = self.db.execute("SELECT version, data, server_data FROM records WHERE entity = ? "
                              "AND id = ?", (entity, ident)).fetchone()
        if row is None:
            return None
        return {"version": row[0], "data": json.loads(row[1]),
                "server_data": json.loads(row[2]) if row[2] else None}

    def records(self, entity: str) -> dict[str, dict[str, Any]]:
        """Return {id: {version, data}} of every own record of `entity`."""
        return {i: {"version": v, "data": json.loads(d)} for i, v, d in self.db.execute(
            "SELECT id, version, data FROM records WHERE entity = ? ORDER BY id", (entity,))}

    def finding_revisions(self, finding_id: str) -> list[dict[str, Any]]:
        """Return every known revision of a finding, oldest first."""
        return [json.loads(d) for (d,) in self.db.execute(
            "SELECT data FROM finding_revisions WHERE finding_id = ? ORDER BY revision", (finding_id,))]

    # ---- outbox --------------------------------------------------------------------

    def enqueue(self, conn, mutation_id: str, entity: str, ident: str, base_version: int | None,
                data: dict[str, Any]) -> None:
        """Add an outbox item and update the device's view of the record (caller's transaction).

        An edit queued behind an unacknowledged edit of the same record gets base_version
        NULL, fixed when the earlier one is acknowledged.
        """
        if base_version is not None and entity != "finding" and self._has_pending(conn, entity, ident):
            base_version = None
        text = _dumps(data)
        conn.execute("INSERT INTO outbox (mutation_id, entity, id, base_version, data, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (mutation_id, entity, ident, base_version, text, time.time()))
        conn.execute("INSERT INTO records (entity, id, version, data) VALUES (?, ?, 0, ?) "
                     "ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data",
                     (entity, ident, text))
        if entity == "finding":
            conn.execute("INSERT OR REPLACE INTO finding_revisions (finding_id, revision, data) "
                         "VALUES (?, ?, ?)", (ident, data["revision"], text))

    def sendable(self, limit: int) -> list[dict[str, Any]]:
        """Return up to `limit` pending items, oldest first, only the first per record and
        only with a known base_version (later edits wait for the earlier acknowledgement)."""
        rows = self.db.execute(
            "SELECT o.mutation_id, o.entity, o.id, o.base_version, o.data FROM outbox o "
            "WHERE o.state = 'pending' AND o.base_version IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM outbox p WHERE p.entity = o.entity AND p.id = o.id "
            " AND p.position < o.position) ORDER BY o.position LIMIT ?", (limit,)).fetchall()
        return [{"mutation_id": m, "entity": e, "id": i, "base_version": b, "data": json.loads(d)}
                for m, e, i, b, d in rows]

    def mark_attempt(self, mutation_ids: list[str], error: str | None = None) -> None:
        """Count one more send attempt (and the error, if the attempt failed)."""
        with self.transaction() as conn:
            conn.executemany("UPDATE outbox SET attempts = attempts + 1, last_error = ? "
                             "WHERE mutation_id = ?", [(error, m) for m in mutation_ids])

    def note_error(self, mutation_ids: list[str], error: str) -> None:
        """Record the last transport error of items still unacknowledged."""
        with self.transaction() as conn:
            conn.executemany("UPDATE outbox SET last_error = ? WHERE mutation_id = ?",
                             [(error, m) for m in mutation_ids])

    def apply_results(self, results: Iterable[PushResult]) -> None:
        """Apply per-item push results in one transaction.

        applied/duplicate → delete the outbox item, store the server version, fix the next
        queued edit's base; conflict → keep the item as 'conflict' with the server's record;
        rejected → keep it as 'rejected' with the reason.
        """
        with self.transaction() as conn:
            for r in results:
                row = conn.execute("SELECT entity, id FROM outbox WHERE mutation_id = ?",
                                   (r.mutation_id,)).fetchone()
                if row is None:
                    continue  # already acknowledged by an earlier answer
                entity, ident = row
                if r.status in ("applied", "duplicate"):
                    conn.execute("DELETE FROM outbox WHERE mutation_id = ?", (r.mutation_id,))
                    conn.execute("UPDATE records SET version = max(version, ?) WHERE entity = ? "
                                 "AND id = ?", (r.version or 0, entity, ident))
                    conn.execute("UPDATE outbox SET base_version = ? WHERE position = (SELECT "
                                 "min(position) FROM outbox WHERE entity = ? AND id = ?) AND "
                                 "base_version IS NULL", (r.version, entity, ident))
                elif r.status == "conflict":
                    current = _dumps(r.current) if r.current is not None else None
                    conn.execute("UPDATE outbox SET state = 'conflict', server_version = ?, "
                                 "server_current = ?, error_code = 'conflict', last_error = ? "
                                 "WHERE mutation_id = ?",
                                 (r.server_version, current, r.message or "与服务器版本冲突 / conflict",
                                  r.mutation_id))
                    if r.current is not None:
                        conn.execute("UPDATE records SET server_data = ?, version = ? WHERE "
                                     "entity = ? AND id = ?", (current, r.server_version or 0,
                                                               entity, ident))
                else:
                    conn.execute("UPDATE outbox SET state = 'rejected', error_code = ?, "
                                 "last_error = ? WHERE mutation_id = ?",
                                 (r.error, r.message or r.error, r.mutation_id))

    def outbox(self, state: str | None = None) -> list[dict[str, Any]]:
        """Return outbox items (all, or those in `state`), oldest first."""
        sql = ("SELECT mutation_id, entity, id, base_version, data, attempts, last_error, state, "
               "server_version, server_current, error_code FROM outbox")
        rows = self.db.execute(sql + (" WHERE state = ?" if state else "") + " ORDER BY position",
                               (state,) if state else ()).fetchall()
        keys = ("mutation_id", "entity", "id", "base_version", "data", "attempts", "last_error",
                "state", "server_version", "server_current", "error_code")
        out = []
        for row in rows:
            item = dict(zip(keys, row))
            item["data"] = json.loads(item["data"])
            item["server_current"] = json.loads(item["server_current"]) if item["server_current"] else None
            out.append(item)
        return out

    def outbox_counts(self) -> dict[str, int]:
        """Return {pending, conflict, rejected} counts of the outbox."""
        out = {"pending": 0, "conflict": 0, "rejected": 0}
        for state, n in self.db.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
            out[state] = n
        return out

    def requeue(self, conn, mutation_id: str, new_mutation_id: str, base_version: int | None,
                data: dict[str, Any]) -> None:
        """Turn a conflicted/rejected item back into a pending one IN PLACE (same queue
        position, so later edits of the record stay behind it) under a new mutation id."""
        text = _dumps(data)
        row = conn.execute("SELECT entity, id FROM outbox WHERE mutation_id = ?", (mutation_id,)).fetchone()
        conn.execute("UPDATE outbox SET mutation_id = ?, base_version = ?, data = ?, state = 'pending', "
                     "attempts = 0, last_error = NULL, server_version = NULL, server_current = NULL, "
                     "error_code = NULL WHERE mutation_id = ?",
                     (new_mutation_id, base_version, text, mutation_id))
        conn.execute("UPDATE records SET data = ? WHERE entity = ? AND id = ?", (text, row[0], row[1]))
        if row[0] == "finding":
            conn.execute("INSERT OR REPLACE INTO finding_revisions (finding_id, revision, data) "
                         "VALUES (?, ?, ?)", (row[1], data["revision"], text))

    def amend_unsent(self, conn, entity: str, ident: str, data: dict[str, Any]) -> bool:
        """Replace the data of the record's newest outbox item if it was never sent (pending,
        no attempt: no server can have seen its mutation id) and update the device's view;
        return False (and change nothing) otherwise."""
        text = _dumps(data)
        changed = conn.execute(
            "UPDATE outbox SET data = ? WHERE position = (SELECT max(position) FROM outbox WHERE "
            "entity = ? AND id = ?) AND state = 'pending' AND attempts = 0", (text, entity, ident)).rowcount
        if not changed:
            return False
        conn.execute("UPDATE records SET data = ? WHERE entity = ? AND id = ?", (text, entity, ident))
        if entity == "finding":
            conn.execute("INSERT OR REPLACE INTO finding_revisions (finding_id, revision, data) "
                         "VALUES (?, ?, ?)", (ident, data["revision"], text))
        return True

    def surface_successor_conflict(self, conn, discarded: Mapping[str, Any]) -> None:
        """After the officer discarded a conflicted item, mark the next queued edit of the
        same record that waited for its acknowledgement (base NULL) as a conflict with the
        same server record (caller's transaction)."""
        conn.execute(
            "UPDATE outbox SET state = 'conflict', server_version = ?, server_current = ?, "
            "error_code = 'conflict', last_error = ? WHERE position = (SELECT min(position) FROM outbox "
            "WHERE entity = ? AND id = ?) AND base_version IS NULL AND state = 'pending'",
            (discarded["server_version"],
             _dumps(discarded["server_current"]) if discarded["server_current"] is not None else None,
             "与服务器版本冲突 / conflict (the edit it was made on was discarded)",
             discarded["entity"], discarded["id"]))

    def remove_outbox_item(self, conn, mutation_id: str) -> None:
        """Delete one outbox item (only on the officer's explicit decision)."""
        conn.execute("DELETE FROM outbox WHERE mutation_id = ?", (mutation_id,))

    def save_rejudged(self, rejudged: Iterable[dict[str, Any]]) -> None:
        """Keep the server's re-judgements of findings to show beside the device verdict."""
        rows = [(r.get("finding_id"), int(r.get("revision") or 0), _dumps(r)) for r in rejudged
                if isinstance(r, dict) and r.get("finding_id")]
        if rows:
            with self.transaction() as conn:
                conn.executemany("INSERT OR REPLACE INTO rejudged (finding_id, revision, data) "
                                 "VALUES (?, ?, ?)", rows)
