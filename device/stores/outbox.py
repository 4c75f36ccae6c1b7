"""The outbox: the device's edits waiting for the server's acknowledgement, in the order
they were made. Nothing leaves it except on an acknowledgement for its mutation id or the
officer's explicit decision.

An item is {mutation_id, entity, id, base_version, data, attempts, last_error, state,
server_version, server_current, error_code}; `state` is pending, conflict or rejected.
An edit queued behind an unacknowledged edit of the same record has base_version None
until the earlier one is acknowledged (`acknowledge` gives it the new version).
"""
from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from device.jsontext import dumps
from device.stores.unit import SqliteUnit, Unit

SCHEMA = """
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
"""

PENDING, CONFLICT, REJECTED = "pending", "conflict", "rejected"
KEYS = ("mutation_id", "entity", "id", "base_version", "data", "attempts", "last_error", "state",
        "server_version", "server_current", "error_code")
Key = tuple[str, str]


class OutboxStore(ABC):
    """Queued edits, oldest first."""

    def __init__(self, unit: Unit):
        self.unit = unit

    @abstractmethod
    def add(self, mutation_id: str, entity: str, ident: str, base_version: int | None,
            data: dict[str, Any]) -> None:
        """Queue an edit. Behind an unacknowledged edit of the same inspection or question
        its base becomes None (a finding revision keeps its own base)."""

    @abstractmethod
    def items(self, state: str | None = None) -> list[dict[str, Any]]:
        """Return the items (all, or those in `state`), oldest first."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Return {pending, conflict, rejected} counts."""

    @abstractmethod
    def has_items(self, entity: str, ident: str) -> bool:
        """True when an item of the record waits in the outbox (in any state)."""

    @abstractmethod
    def record_keys(self) -> set[Key]:
        """Return the (entity, id) of every record with an item in the outbox."""

    @abstractmethod
    def key_of(self, mutation_id: str) -> Key | None:
        """Return (entity, id) of the item, or None when no item has this mutation id."""

    @abstractmethod
    def sendable(self, limit: int) -> list[dict[str, Any]]:
        """Return up to `limit` pending items {mutation_id, entity, id, base_version, data},
        oldest first: only the first item of each record, only with a known base version."""

    @abstractmethod
    def mark_attempt(self, mutation_ids: Iterable[str], error: str | None = None) -> None:
        """Count one more send attempt of each item (and set its last error)."""

    @abstractmethod
    def note_error(self, mutation_ids: Iterable[str], error: str) -> None:
        """Set the last error of each item."""

    @abstractmethod
    def acknowledge(self, mutation_id: str, version: int | None) -> Key | None:
        """The server acknowledged the item: remove it, give the next item of the record
        with an unknown base the `version`; return the record's key (None: not queued)."""

    @abstractmethod
    def mark_conflict(self, mutation_id: str, server_version: int | None,
                      server_current: dict[str, Any] | None, message: str) -> Key | None:
        """Keep the item as a conflict with the server's version and record; return its
        key (None: not queued)."""

    @abstractmethod
    def mark_rejected(self, mutation_id: str, error: str | None, message: str | None) -> Key | None:
        """Keep the item as rejected with the server's code and reason; return its key."""

    @abstractmethod
    def requeue(self, mutation_id: str, new_mutation_id: str, base_version: int | None,
                data: dict[str, Any]) -> Key | None:
        """Make a conflicted or rejected item pending again IN PLACE (same position, so
        later edits of the record stay behind it) under a new mutation id, attempts 0 and
        no error; return its key (None: not queued)."""

    @abstractmethod
    def amend_unsent(self, entity: str, ident: str, data: dict[str, Any]) -> bool:
        """Replace the data of the record's newest item if it was never sent (pending, no
        attempt: no server can have seen its mutation id); False (nothing changed) otherwise."""

    @abstractmethod
    def surface_successor_conflict(self, discarded: dict[str, Any], message: str) -> None:
        """After the officer discarded the conflicted item `discarded`, make the next edit
        of the record that waited for its acknowledgement (pending, base None) a conflict
        with the same server version and record."""

    @abstractmethod
    def remove(self, mutation_id: str) -> None:
        """Remove one item (only on the officer's explicit decision)."""

    def get(self, mutation_id: str) -> dict[str, Any] | None:
        """Return the item with this mutation id, or None."""
        return next((i for i in self.items() if i["mutation_id"] == mutation_id), None)


class SqliteOutbox(OutboxStore):
    """The `outbox` table."""

    def __init__(self, unit: SqliteUnit):
        super().__init__(unit)
        unit.create(SCHEMA)
        self.db = unit.db

    def add(self, mutation_id: str, entity: str, ident: str, base_version: int | None,
            data: dict[str, Any]) -> None:
        with self.unit.transaction() as conn:
            if base_version is not None and entity != "finding" and self.has_items(entity, ident):
                base_version = None
            conn.execute("INSERT INTO outbox (mutation_id, entity, id, base_version, data, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         (mutation_id, entity, ident, base_version, dumps(data), time.time()))

    def items(self, state: str | None = None) -> list[dict[str, Any]]:
        sql = f"SELECT {', '.join(KEYS)} FROM outbox"
        rows = self.db.execute(sql + (" WHERE state = ?" if state else "") + " ORDER BY position",
                               (state,) if state else ()).fetchall()
        out = []
        for row in rows:
            item = dict(zip(KEYS, row, strict=True))
            item["data"] = json.loads(item["data"])
            item["server_current"] = json.loads(item["server_current"]) if item["server_current"] else None
            out.append(item)
        return out

    def counts(self) -> dict[str, int]:
        out = {PENDING: 0, CONFLICT: 0, REJECTED: 0}
        for state, n in self.db.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
            out[state] = n
        return out

    def has_items(self, entity: str, ident: str) -> bool:
        return self.db.execute("SELECT 1 FROM outbox WHERE entity = ? AND id = ? LIMIT 1",
                               (entity, ident)).fetchone() is not None

    def record_keys(self) -> set[Key]:
        return set(self.db.execute("SELECT DISTINCT entity, id FROM outbox").fetchall())

    def key_of(self, mutation_id: str) -> Key | None:
        row = self.db.execute("SELECT entity, id FROM outbox WHERE mutation_id = ?", (mutation_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def sendable(self, limit: int) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT o.mutation_id, o.entity, o.id, o.base_version, o.data FROM outbox o "
            "WHERE o.state = 'pending' AND o.base_version IS NOT NULL AND NOT EXISTS ("
            " SELECT 1 FROM outbox p WHERE p.entity = o.entity AND p.id = o.id "
            " AND p.position < o.position) ORDER BY o.position LIMIT ?", (limit,)).fetchall()
        return [{"mutation_id": m, "entity": e, "id": i, "base_version": b, "data": json.loads(d)}
                for m, e, i, b, d in rows]

    def mark_attempt(self, mutation_ids: Iterable[str], error: str | None = None) -> None:
        with self.unit.transaction() as conn:
            conn.executemany("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE mutation_id = ?",
                             [(error, m) for m in mutation_ids])

    def note_error(self, mutation_ids: Iterable[str], error: str) -> None:
        with self.unit.transaction() as conn:
            conn.executemany("UPDATE outbox SET last_error = ? WHERE mutation_id = ?",
                             [(error, m) for m in mutation_ids])

    def acknowledge(self, mutation_id: str, version: int | None) -> Key | None:
        with self.unit.transaction() as conn:
            key = self.key_of(mutation_id)
            if key is None:
                return None
            conn.execute("DELETE FROM outbox WHERE mutation_id = ?", (mutation_id,))
            conn.execute("UPDATE outbox SET base_version = ? WHERE position = (SELECT min(position) FROM "
                         "outbox WHERE entity = ? AND id = ?) AND base_version IS NULL", (version, *key))
            return key

    def mark_conflict(self, mutation_id: str, server_version: int | None,
                      server_current: dict[str, Any] | None, message: str) -> Key | None:
        with self.unit.transaction() as conn:
            key = self.key_of(mutation_id)
            if key is not None:
                conn.execute("UPDATE outbox SET state = 'conflict', server_version = ?, server_current = ?, "
                             "error_code = 'conflict', last_error = ? WHERE mutation_id = ?",
                             (server_version, dumps(server_current) if server_current is not None else None,
                              message, mutation_id))
            return key

    def mark_rejected(self, mutation_id: str, error: str | None, message: str | None) -> Key | None:
        with self.unit.transaction() as conn:
            key = self.key_of(mutation_id)
            if key is not None:
                conn.execute("UPDATE outbox SET state = 'rejected', error_code = ?, last_error = ? "
                             "WHERE mutation_id = ?", (error, message, mutation_id))
            return key

    def requeue(self, mutation_id: str, new_mutation_id: str, base_version: int | None,
                data: dict[str, Any]) -> Key | None:
        with self.unit.transaction() as conn:
            key = self.key_of(mutation_id)
            conn.execute("UPDATE outbox SET mutation_id = ?, base_version = ?, data = ?, state = 'pending', "
                         "attempts = 0, last_error = NULL, server_version = NULL, server_current = NULL, "
                         "error_code = NULL WHERE mutation_id = ?",
                         (new_mutation_id, base_version, dumps(data), mutation_id))
            return key

    def amend_unsent(self, entity: str, ident: str, data: dict[str, Any]) -> bool:
        with self.unit.transaction() as conn:
            return conn.execute(
                "UPDATE outbox SET data = ? WHERE position = (SELECT max(position) FROM outbox WHERE "
                "entity = ? AND id = ?) AND state = 'pending' AND attempts = 0",
                (dumps(data), entity, ident)).rowcount > 0

    def surface_successor_conflict(self, discarded: dict[str, Any], message: str) -> None:
        current = discarded["server_current"]
        with self.unit.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'conflict', server_version = ?, server_current = ?, "
                "error_code = 'conflict', last_error = ? WHERE position = (SELECT min(position) FROM outbox "
                "WHERE entity = ? AND id = ?) AND base_version IS NULL AND state = 'pending'",
                (discarded["server_version"], dumps(current) if current is not None else None, message,
                 discarded["entity"], discarded["id"]))

    def remove(self, mutation_id: str) -> None:
        with self.unit.transaction() as conn:
            conn.execute("DELETE FROM outbox WHERE mutation_id = ?", (mutation_id,))

