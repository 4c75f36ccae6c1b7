"""The state of one push request: the caller, what the entity handlers loaded in bulk, and
the rows the applied items queue until one flush (see server.syncing.push).

A handler (one per pushed entity, registered by its feature: `PushHandler`) loads what the
batch names in `prepare`, checks an item and queues its writes in `apply` (writing nothing
itself when a check fails), and does after-flush work in `finish`. Queued work is undone
item by item: `marks()` / `forget_after()` cover every queue.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any, Protocol

from server.kernel.auth import Principal
from server.kernel.database import bulk_insert
from server.kernel.errors import DomainError, ItemRejected
from server.kernel.extensions import db
from sync.protocol import ErrorCode, PushItem


class ItemConflict(DomainError):
    """The item was made on a version the server no longer has."""

    code, status = ErrorCode.CONFLICT, 409

    def __init__(self, variant: str | None, server_version: int | None, current: dict | None, **params):
        super().__init__(variant, **params)
        self.server_version = server_version
        self.current = current


class PushHandler(Protocol):
    """What a feature registers to accept pushes of its `entities`."""

    entities: tuple[str, ...]

    def prepare(self, batch: PushBatch, raw_items: list) -> None:
        """Load in bulk (and lock) what `raw_items` name; called again after a rollback."""

    def apply(self, batch: PushBatch, item: PushItem) -> int:
        """Check the item, then queue its writes; return the record's version. Raises
        ItemRejected or ItemConflict (having queued nothing that outlives `forget_after`)."""

    def finish(self, batch: PushBatch) -> None:
        """After the rows are flushed: work that needs them (same transaction)."""


class PushBatch:
    """Per-request state: caller, handler state, rows waiting to be written.

    Written rows wait in `objects` (ORM objects, flushed first: they are what the bulk rows
    reference) and `rows` (column dicts, one executemany INSERT per table) until
    `flush_pending()` (one statement per table: COPY on PostgreSQL). `queues` hold other per-item work (a handler's own lists), `rejudged`
    the answer's re-judgements.
    """

    def __init__(self, principal: Principal, raw_items: list, handlers: Mapping[str, PushHandler], *,
                 savepoints: bool) -> None:
        self.principal = principal
        self.savepoints = savepoints
        self.raw_items = raw_items
        self.by_entity = dict(handlers)
        self.handlers = list(dict.fromkeys(handlers.values()))
        self.state: dict[str, Any] = {}
        self.rejudged: list[dict] = []
        self.objects: list[Any] = []
        self.rows: list[tuple[Any, dict]] = []
        self.queues: dict[str, list] = {}
        self.load()

    def load(self) -> None:
        """(Re)load every handler's bulk state (first use, and after a rollback)."""
        for handler in self.handlers:
            handler.prepare(self, self.raw_items)

    def handler_of(self, entity: str) -> PushHandler | None:
        """Return the handler of pushed `entity` (None: no feature accepts it here)."""
        return self.by_entity.get(entity)

    def queue(self, name: str) -> list:
        """Return the queue `name` (created empty)."""
        return self.queues.setdefault(name, [])

    def marks(self) -> tuple:
        """Where the queues stand now (see `forget_after`)."""
        return (len(self.rejudged), len(self.objects), len(self.rows),
                {name: len(items) for name, items in self.queues.items()})

    def forget_after(self, marks: tuple) -> None:
        """Drop what a failed item queued (re-judgements, rows, queued work) after `marks`."""
        rejudged, objects, rows, queues = marks
        del self.rejudged[rejudged:]
        del self.objects[objects:]
        del self.rows[rows:]
        for name, items in self.queues.items():
            del items[queues.get(name, 0):]

    def add_object(self, obj: Any) -> Any:
        """Queue an ORM object (flushed before the bulk rows); returns it."""
        self.objects.append(obj)
        return obj

    def add_row(self, model, values: dict) -> SimpleNamespace:
        """Queue a bulk INSERT of `values` into `model`; returns an attribute view of it."""
        self.rows.append((model, values))
        return SimpleNamespace(**values)

    def flush_pending(self) -> None:
        """Write the queued rows: the ORM objects first, then one bulk insert per table
        (`server.kernel.database.bulk_insert`; tables in the order they were first queued)."""
        if self.objects:
            db.session.add_all(self.objects)
            self.objects = []
        db.session.flush()
        by_model: dict[Any, list[dict]] = {}
        for model, values in self.rows:
            by_model.setdefault(model, []).append(values)
        self.rows = []
        connection = db.session.connection()
        for model, values in by_model.items():
            bulk_insert(connection, model.__table__, values)   # one statement per table
        db.session.flush()

    def finish(self) -> None:
        """Run every handler's after-flush work."""
        for handler in self.handlers:
            handler.finish(self)


def no_handler(entity: str) -> ItemRejected:
    """Return the rejection of an entity no feature accepts here."""
    return ItemRejected("entity_not_accepted", code=ErrorCode.VALIDATION_FAILED, details={"entity": ["not accepted"]},
                        entity=entity)
