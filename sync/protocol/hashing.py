"""Canonical JSON, push-item hashes (replay detection) and drift-check digests."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sync.protocol.errors import ProtocolError
from sync.protocol.messages import PushItem


def canonical_json(value: Any) -> str:
    """Return the canonical JSON text of `value` (sorted keys, no spaces, UTF-8 kept).

    Raises ProtocolError for values JSON cannot carry (NaN, sets, floats are allowed but
    measurements must be strings by protocol).
    """
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"not JSON-serialisable: {exc}") from exc


def item_hash(item: Mapping[str, Any] | PushItem) -> str:
    """Return the SHA-256 hex of a push item's content (entity, id, base_version, data).

    The mutation id itself is left out: the server stores this hash beside the mutation id
    and answers `duplicate` when a replay hashes the same, `conflict` when it differs.
    """
    if isinstance(item, PushItem):
        content = {"entity": item.entity, "id": item.id, "base_version": item.base_version, "data": item.data}
    else:
        content = {"entity": item.get("entity"), "id": item.get("id"),
                   "base_version": item.get("base_version"), "data": item.get("data")}
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def digest_lines(pairs: Iterable[tuple[str, int]]) -> str:
    """Return the drift-check digest: SHA-256 hex of the sorted lines "<id>\\t<version>\\n".

    `pairs` are (id, version) of every live (non-deleted) row of one entity a side holds.
    Lines are sorted as UTF-8 byte strings so both sides agree whatever their collation.
    """
    lines = sorted(f"{ident}\t{int(version)}\n".encode() for ident, version in pairs)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    return digest.hexdigest()
