"""What the officer must decide after a sync: conflicts (the device's version beside the
server's, keep mine / take the server's) and rejections (the server's reason, fix a field
and retry). Plain data; SyncPresenter.resolve/retry carry the decisions out."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sync.protocol import RECORDS

#: fields the officer may correct before a rejected item is sent again, per entity
RETRY_FIELDS: dict[str, tuple[str, ...]] = {
    "inspection": ("company_name", "credit_code", "address", "jurisdiction", "gtin", "batch", "product_class"),
    "finding": ("measured", "unit", "note"),
    "question": ("text",),
    "order": ("requirement", "deadline"),
}
#: a word of the server's code/reason -> the field it is most likely about
_REASON_FIELDS = (("jurisdiction", "jurisdiction"), ("辖区", "jurisdiction"), ("credit", "credit_code"),
                  ("信用代码", "credit_code"), ("gtin", "gtin"), ("条码", "gtin"), ("unit", "unit"),
                  ("单位", "unit"), ("measured", "measured"), ("测量", "measured"), ("question", "text"))
_HIDDEN = {"id", "device_created_at", "inspection_id", "device_verdict", "ruleset_version", "status"}


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class Attention:
    """An outbox item the officer must decide on: a conflict (with the server's version)
    or a rejection (with the server's reason)."""

    mutation_id: str
    kind: str            # "conflict" | "rejected"
    entity: str
    record_id: str
    reason: str
    server_version: int | None
    server_record: dict[str, Any] | None
    mine: dict[str, Any] = field(default_factory=dict)
    error_code: str | None = None

    def differences(self) -> list[tuple[str, str, str]]:
        """Return (field, mine, server's) for every pushable field whose values differ
        (all of the device's fields when the server sent no record), in field order."""
        record = RECORDS.get(self.entity)
        names = [n for n in (record.names if record else ()) if n not in _HIDDEN]
        server = self.server_record or {}
        rows = []
        for name in names:
            mine, theirs = self.mine.get(name), server.get(name)
            if (mine is None and theirs is None) or (self.server_record is not None and mine == theirs):
                continue
            rows.append((name, _shown(mine), _shown(theirs) if self.server_record is not None else "—"))
        return rows

    def retry_fields(self) -> tuple[str, ...]:
        """Return the fields the officer may correct before a retry (empty: no retry)."""
        return RETRY_FIELDS.get(self.entity, ()) if self.kind == "rejected" else ()

    def suggested_field(self) -> str | None:
        """Return the field the server's code or reason names, else the first retry field."""
        fields = self.retry_fields()
        text = f"{self.error_code or ''} {self.reason}".lower()
        for word, name in _REASON_FIELDS:
            if word in text and name in fields:
                return name
        return fields[0] if fields else None


def attention_items(outbox: list[dict[str, Any]]) -> list[Attention]:
    """Return the conflicted and rejected items of `outbox` (store.outbox.items()), oldest first."""
    items = []
    for item in outbox:
        if item["state"] == "conflict":
            reason = item["last_error"] or "服务器上的版本已更新 / the server holds a newer version"
            items.append(Attention(item["mutation_id"], "conflict", item["entity"], item["id"], reason,
                                   item["server_version"], item["server_current"], item["data"],
                                   item["error_code"]))
        elif item["state"] == "rejected":
            items.append(Attention(item["mutation_id"], "rejected", item["entity"], item["id"],
                                   item["last_error"] or item["error_code"] or "?", None, None, item["data"],
                                   item["error_code"]))
    return items
