"""The device's own records (inspections, findings, questions, and the reviews and flags
the server sends about them): the device's view beside the server's last known view,
every known revision of each finding, and the server's re-judgements.

    store.records.get("inspection", ident)   # {version, data, server_data} or None
    store.records.all("finding")              # {id: {version, data}}
"""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from device.jsontext import dumps
from device.stores.unit import SqliteUnit, Unit

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    entity TEXT NOT NULL, id TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,      -- last version the server acknowledged or sent
    data TEXT NOT NULL,                      -- the device's view (local edits included)
    server_data TEXT,                        -- the server's last known view
    PRIMARY KEY (entity, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS finding_revisions (
    finding_id TEXT NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (finding_id, revision)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rejudged (
    finding_id TEXT NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (finding_id, revision)) WITHOUT ROWID;
"""


def _revision(entity: str, data: dict[str, Any] | None) -> int | None:
    """The revision a finding's data carries (None for other entities or no integer)."""
    if entity != "finding" or not isinstance(data, dict):
        return None
    revision = data.get("revision")
    return revision if isinstance(revision, int) else None


class RecordStore(ABC):
    """Own records by (entity, id), finding revisions and re-judgements."""

    def __init__(self, unit: Unit):
        self.unit = unit

    @abstractmethod
    def get(self, entity: str, ident: str) -> dict[str, Any] | None:
        """Return {version, data, server_data} of a record, or None."""

    @abstractmethod
    def all(self, entity: str) -> dict[str, dict[str, Any]]:
        """Return {id: {version, data}} of every record of `entity`, by id."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Return {entity: number of records} of the entities that have records."""

    @abstractmethod
    def revisions(self, finding_id: str) -> list[dict[str, Any]]:
        """Return every known revision of a finding, oldest first."""

    @abstractmethod
    def put_local(self, entity: str, ident: str, data: dict[str, Any]) -> None:
        """Set the device's view of a record (a new record starts at version 0); a
        finding's data is also kept as its revision."""

    @abstractmethod
    def put_server(self, entity: str, ident: str, version: int, data: dict[str, Any], *,
                   keep_local: bool) -> None:
        """Store the server's record at `version`. With `keep_local` (a local edit waits
        in the outbox) the device's view stays and the server's is kept beside it."""

    @abstractmethod
    def delete_server(self, entity: str, ident: str, version: int, *, keep_local: bool) -> None:
        """The server deleted the record: forget it, or with `keep_local` keep the
        device's view and forget the server's."""

    @abstractmethod
    def acknowledge(self, entity: str, ident: str, version: int) -> None:
        """The server acknowledged an edit at `version`: raise the record's version to it."""

    @abstractmethod
    def set_server_view(self, entity: str, ident: str, version: int, data: dict[str, Any]) -> None:
        """A conflict: remember the server's record and version (the device's view stays)."""

    @abstractmethod
    def take_server_view(self, entity: str, ident: str) -> None:
        """The officer took the server's version: the device's view becomes the server's
        (nothing happens when no server view is known)."""

    @abstractmethod
    def drop(self, entity: str, keep: Iterable[str] = ()) -> None:
        """Forget every record of `entity` except those whose ids are in `keep`."""

    @abstractmethod
    def forget(self, entity: str, ident: str) -> None:
        """Forget a record that never left the device: the record, its revisions and its
        re-judgements (a deleted draft)."""

    @abstractmethod
    def save_rejudged(self, rejudged: Iterable[dict[str, Any]]) -> None:
        """Keep the server's re-judgements ({finding_id, revision, …}) of findings; rows
        without a finding id are ignored."""

    @abstractmethod
    def rejudged(self) -> list[dict[str, Any]]:
        """Return every kept re-judgement, by finding id and revision."""


class SqliteRecords(RecordStore):
    """The `records`, `finding_revisions` and `rejudged` tables."""

    def __init__(self, unit: SqliteUnit):
        super().__init__(unit)
        unit.create(SCHEMA)
        self.db = unit.db

    def get(self, entity: str, ident: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT version, data, server_data FROM records WHERE entity = ? AND id = ?",
                              (entity, ident)).fetchone()
        if row is None:
            return None
        return {"version": row[0], "data": json.loads(row[1]),
                "server_data": json.loads(row[2]) if row[2] else None}

    def all(self, entity: str) -> dict[str, dict[str, Any]]:
        return {i: {"version": v, "data": json.loads(d)} for i, v, d in self.db.execute(
            "SELECT id, version, data FROM records WHERE entity = ? ORDER BY id", (entity,))}

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT entity, count(*) FROM records GROUP BY entity").fetchall())

    def revisions(self, finding_id: str) -> list[dict[str, Any]]:
        return [json.loads(d) for (d,) in self.db.execute(
            "SELECT data FROM finding_revisions WHERE finding_id = ? ORDER BY revision", (finding_id,))]

    def _keep_revision(self, conn, entity: str, ident: str, data: dict[str, Any], text: str) -> None:
        revision = _revision(entity, data)
        if revision is not None:
            conn.execute("INSERT OR REPLACE INTO finding_revisions (finding_id, revision, data) "
                         "VALUES (?, ?, ?)", (ident, revision, text))

    def put_local(self, entity: str, ident: str, data: dict[str, Any]) -> None:
        text = dumps(data)
        with self.unit.transaction() as conn:
            conn.execute("INSERT INTO records (entity, id, version, data) VALUES (?, ?, 0, ?) "
                         "ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data", (entity, ident, text))
            self._keep_revision(conn, entity, ident, data, text)

    def put_server(self, entity: str, ident: str, version: int, data: dict[str, Any], *,
                   keep_local: bool) -> None:
        text = dumps(data)
        with self.unit.transaction() as conn:
            if keep_local:
                conn.execute("INSERT INTO records (entity, id, version, data, server_data) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (entity, id) DO UPDATE SET "
                             "version = excluded.version, server_data = excluded.server_data",
                             (entity, ident, version, text, text))
            else:
                conn.execute("INSERT OR REPLACE INTO records (entity, id, version, data, server_data) "
                             "VALUES (?, ?, ?, ?, ?)", (entity, ident, version, text, text))
            self._keep_revision(conn, entity, ident, data, text)

    def delete_server(self, entity: str, ident: str, version: int, *, keep_local: bool) -> None:
        if keep_local:
            self.db.execute("UPDATE records SET server_data = NULL, version = ? WHERE entity = ? AND id = ?",
                            (version, entity, ident))
        else:
            self.db.execute("DELETE FROM records WHERE entity = ? AND id = ?", (entity, ident))

    def acknowledge(self, entity: str, ident: str, version: int) -> None:
        self.db.execute("UPDATE records SET version = max(version, ?) WHERE entity = ? AND id = ?",
                        (version, entity, ident))

    def set_server_view(self, entity: str, ident: str, version: int, data: dict[str, Any]) -> None:
        self.db.execute("UPDATE records SET server_data = ?, version = ? WHERE entity = ? AND id = ?",
                        (dumps(data), version, entity, ident))

    def take_server_view(self, entity: str, ident: str) -> None:
        self.db.execute("UPDATE records SET data = server_data WHERE entity = ? AND id = ? "
                        "AND server_data IS NOT NULL", (entity, ident))

    def drop(self, entity: str, keep: Iterable[str] = ()) -> None:
        kept = set(keep)
        with self.unit.transaction() as conn:
            if not kept:
                conn.execute("DELETE FROM records WHERE entity = ?", (entity,))
                return
            ids = [i for (i,) in conn.execute("SELECT id FROM records WHERE entity = ?", (entity,))]
            conn.executemany("DELETE FROM records WHERE entity = ? AND id = ?",
                             [(entity, i) for i in ids if i not in kept])

    def forget(self, entity: str, ident: str) -> None:
        with self.unit.transaction() as conn:
            conn.execute("DELETE FROM records WHERE entity = ? AND id = ?", (entity, ident))
            if entity == "finding":
                conn.execute("DELETE FROM finding_revisions WHERE finding_id = ?", (ident,))
                conn.execute("DELETE FROM rejudged WHERE finding_id = ?", (ident,))

    def save_rejudged(self, rejudged: Iterable[dict[str, Any]]) -> None:
        rows = [(r.get("finding_id"), int(r.get("revision") or 0), dumps(r)) for r in rejudged
                if isinstance(r, dict) and r.get("finding_id")]
        if rows:
            with self.unit.transaction() as conn:
                conn.executemany("INSERT OR REPLACE INTO rejudged (finding_id, revision, data) "
                                 "VALUES (?, ?, ?)", rows)

    def rejudged(self) -> list[dict[str, Any]]:
        return [json.loads(d) for (d,) in self.db.execute(
            "SELECT data FROM rejudged ORDER BY finding_id, revision")]

