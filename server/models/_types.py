"""Column types shared by the models."""
from __future__ import annotations

from sqlalchemy import JSON, BigInteger, DateTime, Integer
from sqlalchemy.dialects.postgresql import JSONB

#: BIGINT on PostgreSQL, INTEGER on SQLite (so an integer primary key is the rowid).
BigInt = BigInteger().with_variant(Integer(), "sqlite")
#: JSONB on PostgreSQL, JSON text elsewhere.
Json = JSON().with_variant(JSONB(), "postgresql")
#: Timestamps are stored as UTC with time zone where the database has one.
Timestamp = DateTime(timezone=True)
