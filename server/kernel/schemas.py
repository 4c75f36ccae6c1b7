"""marshmallow schemas of the API (request loading and response documentation)."""
from __future__ import annotations

import marshmallow as ma

#: The largest `offset` a list endpoint accepts: beyond it a database integer overflows
#: (SQLite: 64-bit; PostgreSQL LIMIT/OFFSET: bigint) and the answer would be a 500.
MAX_OFFSET = 2**31 - 1


def offset_field() -> ma.fields.Integer:
    """Return the `offset` query field of list endpoints (0 … MAX_OFFSET, default 0)."""
    return ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=MAX_OFFSET))
