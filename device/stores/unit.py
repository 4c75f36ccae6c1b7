"""The unit of work of the device store: every store of one device writes through ONE
SQLite connection (or its in-memory twin), and `transaction()` makes several writes —
of one store or of several — commit together or not at all.

A store method that writes runs inside `transaction()` itself; called inside an open
transaction it joins it (no nesting, no savepoints): an error anywhere in the `with`
block rolls back every write of the block. A statement the database refuses (a broken
constraint, a full disk, a locked file) raises StoreError, in both implementations.
"""
from __future__ import annotations

import copy
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from device.errors import StoreError

MEMORY = ":memory:"


class Unit(Protocol):
    """What every store needs from the unit of work."""

    path: str

    def transaction(self) -> Any:
        """Return a context manager: one transaction, joined when one is open."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class _Connection(sqlite3.Connection):
    """A connection whose statements raise StoreError (from the sqlite3 error)."""

    def execute(self, *args: Any) -> sqlite3.Cursor:
        try:
            return super().execute(*args)
        except sqlite3.Error as exc:
            raise StoreError(f"本地数据库出错 / the device store failed: {exc}") from exc

    def executemany(self, *args: Any) -> sqlite3.Cursor:
        try:
            return super().executemany(*args)
        except sqlite3.Error as exc:
            raise StoreError(f"本地数据库出错 / the device store failed: {exc}") from exc


class SqliteUnit:
    """One SQLite connection (WAL, synchronous=NORMAL, autocommit outside `transaction()`).

    Raises StoreError when the file cannot be opened.
    """

    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            if self.path != MEMORY:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                      factory=_Connection)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
        except (sqlite3.Error, StoreError, OSError) as exc:
            reason = exc.__cause__ if isinstance(exc, StoreError) else exc
            raise StoreError(f"本地数据库无法打开 / cannot open the device store {self.path}: {reason}") from exc

    def create(self, schema: str) -> None:
        """Create the tables of a store (idempotent). Raises StoreError."""
        try:
            self.db.executescript(schema)
        except sqlite3.Error as exc:
            raise StoreError(f"本地数据库无法打开 / cannot open the device store {self.path}: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Yield the connection inside BEGIN IMMEDIATE … COMMIT (ROLLBACK on any error);
        inside an open transaction, yield it without a new one."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self.db.close()


class Snapshotting(Protocol):
    """An in-memory store: its whole state can be copied and put back."""

    def snapshot(self) -> Any: ...

    def restore(self, state: Any) -> None: ...


class MemoryUnit:
    """The in-memory twin: a transaction snapshots every registered store and puts the
    snapshots back when the block raises. One writer at a time (a re-entrant lock)."""

    path = MEMORY

    def __init__(self) -> None:
        self._stores: list[Snapshotting] = []
        self._lock = threading.RLock()
        self._depth = 0

    def register(self, store: Snapshotting) -> None:
        """Take part in this unit's transactions."""
        self._stores.append(store)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One all-or-nothing block (joined when one is open)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            saved = [copy.deepcopy(store.snapshot()) for store in self._stores]
            self._depth = 1
            try:
                yield
            except BaseException:
                for store, state in zip(self._stores, saved, strict=True):
                    store.restore(state)
                raise
            finally:
                self._depth = 0

    def close(self) -> None:
        """Nothing to release."""
