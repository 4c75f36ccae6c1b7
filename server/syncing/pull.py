"""Pull (deltas from the server-owned cursor), drift digests and the tombstone horizon."""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

import orjson
from flask import current_app
from sqlalchemy import Text, and_, cast, delete, func, or_, select, true

from server.kernel import clock
from server.kernel.access import can
from server.kernel.auth import Principal
from server.kernel.changes import Change, SyncState
from server.kernel.errors import ResyncRequired, ValidationFailed
from server.kernel.extensions import db
from server.kernel.metrics import PULL_CHANGES, PULL_PAGES
from sync.protocol import (
    ALL_ENTITIES,
    DATA_OBJECT,
    DATA_TEXT,
    DEFAULT_PULL_LIMIT,
    HISTORY,
    MAX_PULL_LIMIT,
    OP_DELETE,
    digest_lines,
    pull_is_stale,
)

HORIZON_KEY = "tombstone_horizon"


def parse_entities(text: str | None) -> tuple[str, ...]:
    """Return the entity names of `entities=a,b` (empty = all); raises ValidationFailed."""
    if not text:
        return ()
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in ALL_ENTITIES]
    if unknown:
        raise ValidationFailed("unknown_entity", entities=", ".join(unknown),
                               details={"entities": [f"unknown: {', '.join(unknown)}"]})
    return names


def history_cutoff() -> datetime:
    """Return the oldest change of a 回头看 row an officer still pulls: now minus the
    window (GBFIELD_HISTORY_MONTHS, default 24 months)."""
    months = int(current_app.config.get("GBFIELD_HISTORY_MONTHS", 24))
    return clock.now() - timedelta(days=round(months * 365.25 / 12))


def visibility(principal: Principal):
    """Return the SQL condition selecting the change rows `principal` may receive: the
    catalog and the caller's own records, and what the policy's pull rules add
    (`pull.everything`, `pull.subtree`, `pull.questions`, `pull.history`: server.kernel.access).
    `pull.history` (officers) adds the 回头看 rows of the jurisdiction's other inspections that
    changed within the window; the rows of the caller's own inspections are left out (the
    device has those records)."""
    if can(principal, "pull.everything"):
        return true()
    own = Change.owner_user_id == principal.user_id
    in_subtree = Change.scope_path.startswith(principal.jurisdiction_path, autoescape=True)
    seen = [Change.scope_path.is_(None)]
    if can(principal, "pull.subtree"):
        seen += [own, in_subtree]
    else:
        seen.append(and_(own, Change.entity != HISTORY))
    if can(principal, "pull.history"):
        seen.append(and_(Change.entity == HISTORY, Change.owner_user_id != principal.user_id,
                         Change.created_at >= history_cutoff(), in_subtree))
    if can(principal, "pull.questions"):
        seen.append(Change.entity == "question")
    return or_(*seen)


def horizon() -> int:
    """Return the tombstone horizon seq (0 = nothing purged yet)."""
    row = db.session.get(SyncState, HORIZON_KEY)
    return int(row.value) if row else 0


def _page(principal: Principal, since: int, limit: int | None, entities: Iterable[str],
          client_horizon: int | None) -> tuple[dict, list]:
    """Return (page fields without changes, change rows as plain tuples
    `(seq, entity, entity_id, op, version, data JSON text)`)."""
    limit = DEFAULT_PULL_LIMIT if limit is None else limit
    if since < 0:
        raise ValidationFailed("since", details={"since": ["must be ≥ 0"]})
    if not 1 <= limit <= MAX_PULL_LIMIT:
        raise ValidationFailed("limit", maximum=MAX_PULL_LIMIT,
                               details={"limit": [f"must be 1..{MAX_PULL_LIMIT}"]})
    entities = tuple(entities)
    top = horizon()
    if pull_is_stale(since, top, client_horizon):
        raise ResyncRequired(None,
                             details={"horizon": top, "entities": list(entities)})
    cond = [visibility(principal)]
    if entities:
        cond.append(Change.entity.in_(entities))
    # a Core query on the session's connection: plain rows, no ORM loading per row
    conn = db.session.connection()
    rows = conn.execute(
        select(Change.seq, Change.entity, Change.entity_id, Change.op, Change.version,
               cast(Change.data, Text))
        .where(Change.seq > since, *cond).order_by(Change.seq).limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1][0] if rows else since
    remaining = 0
    if has_more:
        remaining = int(conn.execute(
            select(func.count()).select_from(Change).where(Change.seq > cursor, *cond)).scalar())
    return {"cursor": cursor, "has_more": has_more, "remaining": remaining, "horizon": top}, rows


def pull(principal: Principal, since: int = 0, limit: int | None = None,
         entities: Iterable[str] = (), client_horizon: int | None = None) -> dict:
    """Return one pull page `{cursor, has_more, remaining, horizon, changes}` for `principal`
    (each change's `data` decoded to an object).

    `client_horizon` is the `horizon` the client's previous page reported (`&horizon=`).
    Raises ValidationFailed for a bad since/limit, ResyncRequired (410) when
    `sync.protocol.pull_is_stale(since, horizon, client_horizon)` (since=0 is always served).
    """
    meta, rows = _page(principal, since, limit, entities, client_horizon)
    return {**meta, "changes": [{"seq": seq, "entity": entity, "id": ident, "op": op, "version": version,
                                 "data": json.loads(data) if op != OP_DELETE and data else None}
                                for seq, entity, ident, op, version, data in rows]}


def pull_json(principal: Principal, since: int = 0, limit: int | None = None,
              entities: Iterable[str] = (), client_horizon: int | None = None,
              data_form: str = DATA_OBJECT) -> bytes:
    """Return the same page as `pull` as UTF-8 JSON, without decoding any stored `data`.

    `data_form` "object" splices each change's stored JSON text in as the `data` object;
    "text" sends it as a JSON string (the device stores it as is). Raises like `pull`.
    """
    meta, rows = _page(principal, since, limit, entities, client_horizon)
    PULL_PAGES.inc()
    PULL_CHANGES.inc(len(rows))
    if data_form == DATA_TEXT:
        changes = [{"seq": seq, "entity": entity, "id": ident, "op": op, "version": version,
                    "data": data if op != OP_DELETE else None}
                   for seq, entity, ident, op, version, data in rows]
        return orjson.dumps({**meta, "changes": changes})
    dumps = orjson.dumps
    parts = [f'{{"seq":{seq},"entity":"{entity}","id":{dumps(ident).decode()},'
             f'"op":"{op}","version":{version},'
             f'"data":{data if op != OP_DELETE and data else "null"}}}'
             for seq, entity, ident, op, version, data in rows]
    return (f'{{"cursor":{meta["cursor"]},"has_more":{"true" if meta["has_more"] else "false"},'
            f'"remaining":{meta["remaining"]},"horizon":{meta["horizon"]},"changes":['
            + ",".join(parts) + "]}").encode()


def live_versions(principal: Principal, entity: str) -> dict[str, int]:
    """Return {id: version} of every live (not deleted) `entity` row `principal` may hold."""
    rows = db.session.execute(
        select(Change.entity_id, Change.op, Change.version)
        .where(Change.entity == entity, visibility(principal)).order_by(Change.seq)
    ).all()
    latest: dict[str, tuple[str, int]] = {}
    for ident, op, version in rows:
        latest[ident] = (op, version)
    return {ident: version for ident, (op, version) in latest.items() if op != OP_DELETE}


def compare_digests(principal: Principal, digests: dict[str, str]) -> list[str]:
    """Return the entity names whose device digest differs from the server's.

    Raises ValidationFailed for unknown entity names.
    """
    parse_entities(",".join(digests))
    mismatched = []
    for entity, device_digest in digests.items():
        server_digest = digest_lines(live_versions(principal, entity).items())
        if server_digest != str(device_digest).lower():
            mismatched.append(entity)
    return mismatched


def purge_tombstones(older_than: datetime) -> int:
    """Purge tombstones created before `older_than` together with every earlier change of
    the same record, and raise the horizon to the largest purged seq.

    Returns the number of change rows deleted. Raises nothing (the unit of work commits).
    """
    stones = db.session.execute(
        select(Change.entity, Change.entity_id, func.max(Change.seq))
        .where(Change.op == OP_DELETE, Change.created_at < older_than)
        .group_by(Change.entity, Change.entity_id)
    ).all()
    if not stones:
        return 0
    deleted = 0
    top = 0
    for entity, ident, seq in stones:
        result = db.session.execute(delete(Change).where(
            Change.entity == entity, Change.entity_id == ident, Change.seq <= seq))
        deleted += result.rowcount or 0
        top = max(top, seq)
    state = db.session.get(SyncState, HORIZON_KEY)
    if state is None:
        db.session.add(SyncState(key=HORIZON_KEY, value=top))
    else:
        state.value = max(state.value, top)
    return deleted
