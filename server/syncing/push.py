"""Push: apply a batch of device writes item by item, one handler per entity.

Each item is parsed and checked against the record schema (sync.protocol), answered from
`processed_mutations` when it is a replay, and otherwise given to the handler its feature
registered (check, then write). Writes are queued and flushed in bulk; an integrity error
(a concurrent request stored the same record or mutation) rolls the batch back and applies
it again item by item, each in its own SAVEPOINT. The view commits the batch ONCE, before
the answer is sent (server.kernel.uow.commit); if that commit fails nothing is
acknowledged (503) and the client's retry is answered `duplicate` for what did land. Only
applied items are remembered; rejected and conflicting items change nothing and are
judged again if resent.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from assets.messages import text
from server.kernel import clock
from server.kernel.auth import Principal
from server.kernel.changes import savepoint
from server.kernel.database import in_chunks
from server.kernel.errors import ItemRejected, PayloadTooLarge, Unavailable, ValidationFailed
from server.kernel.extensions import db
from server.kernel.i18n import request_language
from server.kernel.metrics import PUSH_ITEMS
from server.syncing.batch import ItemConflict, PushBatch, PushHandler, no_handler
from server.syncing.models import ProcessedMutation
from sync.protocol import (
    ALL_ENTITIES,
    MAX_PUSH_ITEMS,
    ItemStatus,
    ProtocolError,
    PushItem,
    is_clean_text,
    item_hash,
)

log = logging.getLogger(__name__)
HANDLERS_KEY = "gbfield_push_handlers"


def register_handler(app: Flask, handler: PushHandler) -> None:
    """Make `handler` the one that applies pushes of its entities on `app` (a feature's setup)."""
    handlers = app.extensions.setdefault(HANDLERS_KEY, {})
    for entity in handler.entities:
        handlers[entity] = handler


def _handlers() -> dict[str, PushHandler]:
    return current_app.extensions.get(HANDLERS_KEY, {})


def push(principal: Principal, body: Any) -> dict:
    """Apply a push body `{items: [...]}`; returns `{results, rejudged}` (one result per item).
    The caller commits before answering.

    The batch is first applied with every item checked before it writes and all rows
    written in one bulk flush; if that flush hits an integrity error, the transaction is
    rolled back and the batch is applied again item by item, each in its own SAVEPOINT.

    Raises ValidationFailed for a body without an item list, ProtocolError
    (payload_too_large) for more than MAX_PUSH_ITEMS items, Unavailable (503) when the
    database fails while writing.
    """
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise ValidationFailed("push_items", details={"items": ["must be a list"]})
    raw_items = body["items"]
    if len(raw_items) > MAX_PUSH_ITEMS:
        raise PayloadTooLarge("push_items", limit=MAX_PUSH_ITEMS, count=len(raw_items))
    try:
        batch, results = _run(principal, raw_items, savepoints=False)
    except IntegrityError as exc:
        log.info("bulk push hit an integrity error, applying item by item: %s", exc.orig)
        db.session.rollback()
        batch, results = _run(principal, raw_items, savepoints=True)
    except DBAPIError as exc:
        db.session.rollback()
        log.warning("push flush failed: %s", exc)
        raise Unavailable("commit") from exc
    _count(raw_items, results)
    return {"results": results, "rejudged": batch.rejudged}


def _count(raw_items: list, results: list[dict]) -> None:
    for raw, result in zip(raw_items, results, strict=True):
        entity = raw.get("entity") if isinstance(raw, dict) else None
        PUSH_ITEMS.labels(entity if entity in ALL_ENTITIES else "other", result.get("status")).inc()


def _run(principal: Principal, raw_items: list, *, savepoints: bool) -> tuple[PushBatch, list[dict]]:
    batch = PushBatch(principal, raw_items, _handlers(), savepoints=savepoints)
    mids = [r.get("mutation_id") for r in raw_items if isinstance(r, dict) and is_clean_text(r.get("mutation_id"))]
    seen = {pm.mutation_id: pm for pm in in_chunks(select(ProcessedMutation), ProcessedMutation.mutation_id,
                                                     set(mids))}
    with db.session.no_autoflush:
        results = [_one(batch, raw, seen) for raw in raw_items]
    batch.flush_pending()
    batch.finish()
    return batch, results


def _rejected(mutation_id: str, ident: Any, code: str, message: str, details: dict) -> dict:
    return {"mutation_id": mutation_id, "status": ItemStatus.REJECTED, "id": ident,
            "error": code, "message": message, "details": details}


def _one(batch: PushBatch, raw: Any, seen: dict) -> dict:
    mid = raw.get("mutation_id") if isinstance(raw, dict) else None
    try:
        item = PushItem.from_json(raw)
    except ProtocolError as exc:
        message = exc.errors[0].message(request_language()) if exc.errors else exc.message
        ident = raw.get("id") if isinstance(raw, dict) else None
        # echo the item's ids only when they can travel back (a lone surrogate cannot)
        return _rejected(mid if is_clean_text(mid) else "", ident if is_clean_text(ident) else None,
                         exc.code, message, exc.details)
    digest = item_hash(item)
    for attempt in (1, 2):
        known = seen.get(item.mutation_id)
        if known is not None:
            return _replay(item, known, digest)
        marks = batch.marks()
        try:
            if batch.savepoints:
                with savepoint():
                    result, pm = _apply_and_remember(batch, item, digest)
                    batch.flush_pending()
            else:
                result, pm = _apply_and_remember(batch, item, digest)
            seen[item.mutation_id] = pm
            return result
        except ItemRejected as exc:
            batch.forget_after(marks)
            return _rejected(item.mutation_id, item.id, exc.code, exc.message, exc.details)
        except ItemConflict as exc:
            batch.forget_after(marks)
            return {"mutation_id": item.mutation_id, "status": ItemStatus.CONFLICT, "id": item.id,
                    "server_version": exc.server_version, "current": exc.current, "message": exc.message}
        except IntegrityError as exc:
            if not batch.savepoints:
                raise
            log.info("push item %s hit an integrity error: %s", item.mutation_id, exc.orig)
            # a concurrent request stored the same mutation or record first: look again
            batch.forget_after(marks)
            batch.load()
            found = db.session.get(ProcessedMutation, item.mutation_id)
            if found is not None:
                seen[item.mutation_id] = found
            elif attempt == 2:
                return {"mutation_id": item.mutation_id, "status": ItemStatus.CONFLICT, "id": item.id,
                        "server_version": None, "current": None,
                        "message": text("error.conflict.concurrent_write", request_language())}
    raise AssertionError("unreachable")


def _apply_and_remember(batch: PushBatch, item: PushItem, digest: str) -> tuple[dict, Any]:
    handler = batch.handler_of(item.entity)
    if handler is None:
        raise no_handler(item.entity)
    version = handler.apply(batch, item)
    result = {"mutation_id": item.mutation_id, "status": ItemStatus.APPLIED, "id": item.id, "version": version}
    pm = batch.add_row(ProcessedMutation, {
        "mutation_id": item.mutation_id, "device_id": batch.principal.device_id,
        "user_id": batch.principal.user_id, "item_hash": digest, "result": result, "created_at": clock.now()})
    return result, pm


def _replay(item: PushItem, known: ProcessedMutation, digest: str) -> dict:
    if known.item_hash == digest:
        return {**known.result, "status": ItemStatus.DUPLICATE}
    return {"mutation_id": item.mutation_id, "status": ItemStatus.CONFLICT, "id": item.id,
            "server_version": known.result.get("version"), "current": None,
            "message": text("error.conflict.mutation_reused", request_language())}
