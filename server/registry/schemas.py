"""Schemas of the registry API (marshmallow 4)."""
from __future__ import annotations

import marshmallow as ma

from server.kernel.schemas import offset_field


class ProductListArgs(ma.Schema):
    q = ma.fields.String(load_default=None, metadata={"description": "GTIN prefix or words of name / company / credit code"})
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=500))
    offset = offset_field()


class StandardEntrySchema(ma.Schema):
    standard = ma.fields.String(required=True, metadata={"example": "GB 18401"})
    edition = ma.fields.String(allow_none=True, load_default=None, metadata={"example": "GB 18401-2010"})
    category = ma.fields.String(allow_none=True, load_default=None, metadata={"example": "infant"})
    classes = ma.fields.List(ma.fields.String(), load_default=list, metadata={"example": ["A"]})


class ProductSchema(ma.Schema):
    gtin = ma.fields.String(metadata={"description": "GTIN-14"})
    name = ma.fields.String()
    kind = ma.fields.String(allow_none=True)
    category = ma.fields.String(allow_none=True)
    product_class = ma.fields.String(allow_none=True)
    company_name = ma.fields.String(allow_none=True)
    credit_code = ma.fields.String(allow_none=True)
    standards = ma.fields.List(ma.fields.Nested(StandardEntrySchema))
    version = ma.fields.Integer()
    updated_at = ma.fields.String()


class ProductPageSchema(ma.Schema):
    total = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(ProductSchema))


class ProductWriteSchema(ma.Schema):
    """One product as JSON: the CSV columns; `standards` is the CSV cell text
    ("GB 18401@infant:A; GB 31701") or a list of entries / standard numbers."""

    name = ma.fields.String(required=True)
    kind = ma.fields.String(allow_none=True, load_default=None)
    category = ma.fields.String(allow_none=True, load_default=None)
    product_class = ma.fields.String(allow_none=True, load_default=None)
    company_name = ma.fields.String(allow_none=True, load_default=None)
    credit_code = ma.fields.String(allow_none=True, load_default=None)
    standards = ma.fields.Raw(required=True)


class ProductWriteResultSchema(ProductSchema):
    result = ma.fields.String(metadata={"description": "added | changed | unchanged"})


class WithdrawnSchema(ma.Schema):
    gtin = ma.fields.String()
    version = ma.fields.Integer()
    withdrawn = ma.fields.Boolean()


class ImportArgs(ma.Schema):
    dry_run = ma.fields.Boolean(load_default=False)
    source = ma.fields.String(load_default=None)


class ImportReportSchema(ma.Schema):
    source = ma.fields.String()
    dry_run = ma.fields.Boolean()
    date = ma.fields.String()
    rows = ma.fields.Integer()
    accepted = ma.fields.Integer()
    rejected = ma.fields.Integer()
    added = ma.fields.Integer()
    changed = ma.fields.Integer()
    unchanged = ma.fields.Integer()
    ignored_columns = ma.fields.List(ma.fields.String())
    rejections = ma.fields.List(ma.fields.Dict(), metadata={"description": "[{row, gtin, name, errors: [{column, column_label, reason}]}]"})
    products = ma.fields.List(ma.fields.Dict(), metadata={"description": "[{row, gtin, name, result}]"})
