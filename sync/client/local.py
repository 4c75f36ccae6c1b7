"""What a sync run writes to the device store, each step ONE transaction of the store's
unit of work: a pulled page with its cursor, a re-sync's drop, a batch of push results.

The engine reaches the device only through `device.DeviceStore`'s stores (catalog,
records, outbox, state, photos); these functions are the places where a step touches
several of them at once.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from device import DeviceStore
from device.jsontext import dumps
from sync.protocol import (
    CATALOG_ENTITIES,
    OP_DELETE,
    RECORD_ENTITIES,
    Change,
    ItemStatus,
    PushResult,
    change_data,
)

_CATALOG = frozenset(CATALOG_ENTITIES)
#: why a pushed item is kept as a conflict when the server gave no message
CONFLICT_MESSAGE = "与服务器版本冲突 / conflict"


def store_page(store: DeviceStore, changes: Iterable[Change | Mapping[str, Any]], cursor: int,
               horizon: int | None = None) -> int:
    """Store a pulled page and the new cursor (and the horizon the server reported) in ONE
    transaction; return the number of changes applied. `changes` are Change objects or the
    raw JSON objects of a page checked by `sync.protocol.check_pull_page`; a catalog row's
    `data` JSON text (pages pulled with `data=text`) is stored as is. Records with an item
    in the outbox keep the device's view (the server's is kept beside it)."""
    cat_up, cat_del, rec = [], [], []
    catalog, text = _CATALOG, str
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
    with store.transaction():
        if cat_up:
            store.catalog.put(cat_up)
        if cat_del:
            store.catalog.delete(cat_del)
        for ch in rec:
            keep_local = store.outbox.has_items(ch.entity, ch.id)
            if ch.op == OP_DELETE:
                store.records.delete_server(ch.entity, ch.id, ch.version, keep_local=keep_local)
            else:
                store.records.put_server(ch.entity, ch.id, ch.version, ch.data, keep_local=keep_local)
        store.state.move_cursor(cursor, horizon)
    return len(cat_up) + len(cat_del) + len(rec)


def drop_entities(store: DeviceStore, entities: Iterable[str] | None) -> None:
    """Forget pulled rows of `entities` (all when None/empty) and reset the cursor to 0, in
    one transaction. Records with an item in the outbox keep the device's view: nothing
    unacknowledged is ever dropped."""
    names = tuple(entities or ()) or CATALOG_ENTITIES + RECORD_ENTITIES
    with store.transaction():
        waiting = store.outbox.record_keys()
        for name in names:
            if name in CATALOG_ENTITIES:
                store.catalog.drop((name,))
            else:
                store.records.drop(name, keep={i for e, i in waiting if e == name})
        store.state.reset_cursor()


def apply_results(store: DeviceStore, results: Iterable[PushResult]) -> None:
    """Apply per-item push results in one transaction.

    applied/duplicate → the outbox item goes, the record takes the server version, the next
    queued edit of the record gets it as its base; conflict → the item stays as 'conflict'
    with the server's record (kept beside the device's view); rejected → it stays as
    'rejected' with the reason. A result for an item no longer queued changes nothing.
    """
    with store.transaction():
        for r in results:
            if r.status in ItemStatus.ACKNOWLEDGED:
                key = store.outbox.acknowledge(r.mutation_id, r.version)
                if key is not None:
                    store.records.acknowledge(*key, r.version or 0)
            elif r.status == ItemStatus.CONFLICT:
                key = store.outbox.mark_conflict(r.mutation_id, r.server_version, r.current,
                                                 r.message or CONFLICT_MESSAGE)
                if key is not None and r.current is not None:
                    store.records.set_server_view(*key, r.server_version or 0, r.current)
            else:
                store.outbox.mark_rejected(r.mutation_id, r.error, r.message or r.error)
