"""The cached catalog: standards, editions, indicators, rule sets, interpretations and the
product registry as the server sent them (server-authoritative, read-only on the device).

A row is (entity, id, version, data) with `data` the JSON text the server served: pages
pulled with `data=text` are stored without decoding or re-encoding them.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any

from device.jsontext import loads
from device.stores.unit import SqliteUnit, Unit
from sync.protocol import CATALOG_ENTITIES, digest_lines

SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog (
    entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (entity, id)) WITHOUT ROWID;
"""

#: a row to store: (entity, id, version, JSON text of data)
Row = tuple[str, str, int, str]


class CatalogStore(ABC):
    """Catalog rows by (entity, id)."""

    def __init__(self, unit: Unit):
        self.unit = unit

    @abstractmethod
    def put(self, rows: Iterable[Row]) -> None:
        """Insert or replace rows (entity, id, version, data text)."""

    @abstractmethod
    def delete(self, keys: Iterable[tuple[str, str]]) -> None:
        """Forget the rows with these (entity, id) keys (absent ones are ignored)."""

    @abstractmethod
    def drop(self, entities: Iterable[str]) -> None:
        """Forget every row of `entities`."""

    @abstractmethod
    def text(self, entity: str, ident: str) -> str | None:
        """Return a row's data as the stored JSON text, or None."""

    @abstractmethod
    def rows(self, entities: Iterable[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Yield (entity, id, data) of every row of `entities`, by entity and id."""

    @abstractmethod
    def versions(self, entity: str) -> list[tuple[str, int]]:
        """Return (id, version) of every row of `entity`."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Return {entity: number of rows} of the entities that have rows."""

    def row(self, entity: str, ident: str) -> dict[str, Any] | None:
        """Return the cached row's data, or None."""
        text = self.text(entity, ident)
        return loads(text) if text is not None else None

    def digests(self, entities: Iterable[str] = CATALOG_ENTITIES) -> dict[str, str]:
        """Return {entity: digest_lines(id, version)} of the cached catalog (the drift check)."""
        return {entity: digest_lines(self.versions(entity)) for entity in entities}


class SqliteCatalog(CatalogStore):
    """The `catalog` table."""

    def __init__(self, unit: SqliteUnit):
        super().__init__(unit)
        unit.create(SCHEMA)
        self.db = unit.db

    def put(self, rows: Iterable[Row]) -> None:
        with self.unit.transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO catalog (entity, id, version, data) VALUES (?, ?, ?, ?)", rows)

    def delete(self, keys: Iterable[tuple[str, str]]) -> None:
        with self.unit.transaction() as conn:
            conn.executemany("DELETE FROM catalog WHERE entity = ? AND id = ?", keys)

    def drop(self, entities: Iterable[str]) -> None:
        with self.unit.transaction() as conn:
            conn.executemany("DELETE FROM catalog WHERE entity = ?", [(e,) for e in entities])

    def text(self, entity: str, ident: str) -> str | None:
        row = self.db.execute("SELECT data FROM catalog WHERE entity = ? AND id = ?", (entity, ident)).fetchone()
        return row[0] if row else None

    def rows(self, entities: Iterable[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
        names = tuple(entities)
        marks = ", ".join("?" for _ in names)
        for entity, ident, data in self.db.execute(
                f"SELECT entity, id, data FROM catalog WHERE entity IN ({marks}) ORDER BY entity, id", names).fetchall():
            yield entity, ident, loads(data)

    def versions(self, entity: str) -> list[tuple[str, int]]:
        return self.db.execute("SELECT id, version FROM catalog WHERE entity = ?", (entity,)).fetchall()

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT entity, count(*) FROM catalog GROUP BY entity").fetchall())

