"""The change log: recording changes in the writing transaction, without cursor skips.

Services call `record_change(...)` while they write; the rows are collected on the session
and inserted just before the outermost COMMIT (a `before_commit` hook). On PostgreSQL that
insert is preceded by `pg_advisory_xact_lock(CHANGE_LOG_LOCK)`, held until the commit
completes, so change-writing transactions take their `seq` values and commit one at a time:
**seq order equals commit order**. A reader therefore never sees seq N+1 committed while
seq N may still commit later, and "everything up to the largest seq I can see" is a safe
watermark: a puller's cursor never jumps over a late commit. (Rolled-back transactions
leave gaps, which skip nothing.) SQLite serialises writers (BEGIN IMMEDIATE), so the same
holds there. The lock is held only for the insert + commit, not the whole transaction.

`savepoint()` wraps one unit of work (one push item) in a SAVEPOINT and forgets the
changes it recorded if it rolls back. The log's tables (`changes`, `sync_state`) are here.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask_sqlalchemy.session import Session
from sqlalchemy import Index, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel import clock
from server.kernel.database import bulk_insert
from server.kernel.extensions import db
from server.kernel.types import BigInt, JsonText, Timestamp
from sync.protocol import OP_UPSERT


class Change(db.Model):
    """One change devices must see. `seq` order equals commit order (see above).

    Audience: `scope_path` NULL = every device (catalog); otherwise the record's
    jurisdiction path (supervisors of that subtree see it) and `owner_user_id` (the
    inspector whose devices see it).
    """

    __tablename__ = "changes"
    seq: Mapped[int] = mapped_column(BigInt, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(200))
    op: Mapped[str] = mapped_column(String(10))
    version: Mapped[int]
    data: Mapped[dict | None] = mapped_column(JsonText)
    scope_path: Mapped[str | None] = mapped_column(String(200))
    owner_user_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(Timestamp)


Index("ix_changes_entity_id", Change.entity, Change.entity_id)
Index("ix_changes_owner_seq", Change.owner_user_id, Change.seq)
Index("ix_changes_op_created", Change.op, Change.created_at)


class SyncState(db.Model):
    """Small key/value facts about the log (e.g. `tombstone_horizon`)."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInt)


PENDING_KEY = "gbfield_pending_changes"
CHANGE_LOG_LOCK = 0x67626669  # "gbfi": the advisory lock key of the change log


def record_change(entity: str, entity_id: str, op: str, version: int, data: dict | None,
                  *, scope_path: str | None = None, owner_user_id: int | None = None) -> None:
    """Queue a change row for the current transaction (inserted at commit). Raises nothing.

    `scope_path` None = every device sees it (catalog); otherwise supervisors of that
    jurisdiction subtree and the `owner_user_id`'s devices see it.
    """
    pending = db.session.info.setdefault(PENDING_KEY, [])
    pending.append({"entity": entity, "entity_id": entity_id, "op": op, "version": version,
                    "data": data, "scope_path": scope_path, "owner_user_id": owner_user_id,
                    "created_at": clock.now()})


def record_upsert(entity: str, entity_id: str, version: int, data: dict, *, scope_path: str | None = None,
                  owner_user_id: int | None = None) -> None:
    """Queue an upsert change (see record_change). Raises nothing."""
    record_change(entity, entity_id, OP_UPSERT, version, data, scope_path=scope_path, owner_user_id=owner_user_id)


def pending_count() -> int:
    """Return how many changes the current transaction has queued."""
    return len(db.session.info.get(PENDING_KEY, ()))


@contextmanager
def savepoint() -> Iterator[None]:
    """Run the block in a SAVEPOINT; on an exception roll it back, drop the changes it
    queued, and re-raise."""
    pending = db.session.info.setdefault(PENDING_KEY, [])
    mark = len(pending)
    try:
        with db.session.begin_nested():
            yield
    except BaseException:
        del db.session.info.setdefault(PENDING_KEY, [])[mark:]
        raise


def _insert_pending(session) -> None:
    if session.in_nested_transaction():
        return
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK})
    bulk_insert(conn, Change.__table__, pending)    # one statement per transaction (COPY on PostgreSQL)


def _forget_pending(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING_KEY, None)


_installed: set[int] = set()


def install_change_hooks() -> None:
    """Install the commit hooks on Flask-SQLAlchemy's Session class (once per process)."""
    if id(Session) in _installed:
        return
    _installed.add(id(Session))
    event.listen(Session, "before_commit", _insert_pending)
    event.listen(Session, "after_transaction_end", _forget_pending)


def latest_seq() -> int:
    """Return the largest committed seq visible now (0 when the log is empty)."""
    return int(db.session.execute(db.select(db.func.max(Change.seq))).scalar() or 0)


def snapshot_row(entity: str, entity_id: str, version: int, data: dict[str, Any]) -> dict:
    """Return the dict a pull serves for one upsert (used for conflict answers too)."""
    return {"entity": entity, "id": entity_id, "version": version, "data": data}
