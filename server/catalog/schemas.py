"""Schemas of the catalog API (marshmallow 4)."""
from __future__ import annotations

import marshmallow as ma


class WorkbookArgs(ma.Schema):
    check = ma.fields.Boolean(load_default=False, metadata={"description": "only check: the row report, nothing imported"})
    source = ma.fields.String(load_default=None, metadata={"description": "where the workbook comes from (kept with the rule set)"})


class RowErrorSchema(ma.Schema):
    column = ma.fields.String()
    reason = ma.fields.String()


class RowReportSchema(ma.Schema):
    sheet = ma.fields.String()
    row = ma.fields.Integer(metadata={"description": "1-based row of the sheet (0: the sheet as a whole)"})
    block = ma.fields.String(metadata={"example": "indicator"})
    id = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"example": "ok"})
    errors = ma.fields.List(ma.fields.Nested(RowErrorSchema))


class WorkbookReportSchema(ma.Schema):
    rows = ma.fields.List(ma.fields.Nested(RowReportSchema))
    rejected = ma.fields.List(ma.fields.String(), metadata={"description": "sheets whose standard failed a check"})
    standards = ma.fields.List(ma.fields.String(), metadata={"example": ["GB 4351"]})


class WorkbookResultSchema(ma.Schema):
    report = ma.fields.Nested(WorkbookReportSchema)
    summary = ma.fields.Dict(allow_none=True, metadata={
        "description": "the import summary {standard, edition, indicator: {added, changed, unchanged, removed}, "
                       "ruleset, ruleset_created}; null for a check"})
