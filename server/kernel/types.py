"""Column types shared by the models, and the columns of every row devices pull."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

import orjson
from sqlalchemy import JSON, BigInteger, DateTime, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

#: BIGINT on PostgreSQL, INTEGER on SQLite (so an integer primary key is the rowid).
BigInt = BigInteger().with_variant(Integer(), "sqlite")
#: JSONB on PostgreSQL, JSON text elsewhere.
Json = JSON().with_variant(JSONB(), "postgresql")
#: JSON text kept exactly as written (compact UTF-8, `compact_json`) on every backend
#: (`json` on PostgreSQL): the change log's data, which a pull serves without decoding.
JsonText = JSON()
#: Timestamps are stored as UTC with time zone where the database has one.
Timestamp = DateTime(timezone=True)


class Synced:
    """Columns of a row devices pull: `version` (bumped only when its content changes),
    `content_hash` (SHA-256 of its canonical JSON), `data` (exactly what a pull serves),
    `deleted_at` (a withdrawn row: its tombstone travels in the change log)."""

    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(Json)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)
    deleted_at: Mapped[datetime | None] = mapped_column(Timestamp)


_ORJSON_OPTIONS = (orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
                   | orjson.OPT_PASSTHROUGH_SUBCLASS)


def compact_json(value) -> str:
    """Return `value` as compact JSON text with UTF-8 kept (how every JSON column is written:
    the engines' `json_serializer`). orjson writes it: the same text as the standard
    library's compact dump for strings, integers, booleans and null (a float may be spelt
    differently, 1e16 for 1e+16: the same number; a UUID is written as its text); what
    orjson refuses (an integer past 64 bits, a date, any other type) goes to the standard
    library, which writes it or raises TypeError for values JSON cannot hold."""
    if type(value) is dict or type(value) is list:
        try:
            return orjson.dumps(value, option=_ORJSON_OPTIONS).decode("utf-8")
        except orjson.JSONEncodeError:
            pass
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def content_hash(data: dict) -> str:
    """Return the SHA-256 hex of `data`'s canonical JSON (the `content_hash` of a synced row)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
