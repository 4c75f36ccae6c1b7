"""Schemas of pull, push and digest (the wire shapes are checked by sync.protocol)."""
from __future__ import annotations

import marshmallow as ma

from sync.protocol import DATA_FORMS, DATA_OBJECT, DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT

#: change-log sequence numbers are signed 64-bit integers (BIGINT / SQLite INTEGER)
SEQ_RANGE = ma.validate.Range(min=0, max=2**63 - 1)


class PullArgsSchema(ma.Schema):
    since = ma.fields.Integer(load_default=0, validate=SEQ_RANGE)
    limit = ma.fields.Integer(load_default=DEFAULT_PULL_LIMIT, validate=ma.validate.Range(min=1, max=MAX_PULL_LIMIT))
    entities = ma.fields.String(load_default=None, metadata={"description": "comma-separated entity names"})
    horizon = ma.fields.Integer(load_default=None, validate=SEQ_RANGE,
                                metadata={"description": "the `horizon` of the client's previous page"})
    data = ma.fields.String(load_default=DATA_OBJECT, validate=ma.validate.OneOf(DATA_FORMS),
                            metadata={"description": "how each upsert's `data` travels: `object` (default) "
                                                     "or `text` (the record's JSON text as a string)"})


class ChangeSchema(ma.Schema):
    seq = ma.fields.Integer()
    entity = ma.fields.String()
    id = ma.fields.String()
    op = ma.fields.String(metadata={"description": "upsert | delete"})
    version = ma.fields.Integer()
    data = ma.fields.Raw(allow_none=True, metadata={
        "description": "the record: an object, or with `data=text` its JSON text (a string); "
                       "null for a delete"})


class PullPageSchema(ma.Schema):
    cursor = ma.fields.Integer()
    has_more = ma.fields.Boolean()
    remaining = ma.fields.Integer()
    horizon = ma.fields.Integer(metadata={"description": "largest purged tombstone seq (0: none)"})
    changes = ma.fields.List(ma.fields.Nested(ChangeSchema))


class PushItemSchema(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE

    mutation_id = ma.fields.String()
    entity = ma.fields.String()
    id = ma.fields.String()
    base_version = ma.fields.Integer()
    data = ma.fields.Dict()


class PushRequestSchema(ma.Schema):
    """`{items: [...]}`; each item is checked by sync.protocol and answered on its own."""

    items = ma.fields.List(ma.fields.Raw(), required=True,
                           metadata={"description": "PushItem objects (mutation_id, entity, id, base_version, data)"})


class PushResponseSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Dict())
    rejudged = ma.fields.List(ma.fields.Dict())


class DigestRequestSchema(ma.Schema):
    digests = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


class DigestResponseSchema(ma.Schema):
    mismatched = ma.fields.List(ma.fields.String())
