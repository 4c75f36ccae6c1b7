"""Schemas of the compliance statistics API."""
from __future__ import annotations

import marshmallow as ma


class StatsArgs(ma.Schema):
    date_from = ma.fields.Date(data_key="from", load_default=None)
    date_to = ma.fields.Date(data_key="to", load_default=None)
    standard = ma.fields.String(load_default=None)


class StatRowSchema(ma.Schema):
    jurisdiction_code = ma.fields.String()
    standard_code = ma.fields.String()
    inspections = ma.fields.Integer()
    findings = ma.fields.Integer()
    passed = ma.fields.Integer()
    failed = ma.fields.Integer()
    inconclusive = ma.fields.Integer()
    disagreements = ma.fields.Integer()
    pass_rate = ma.fields.Float(allow_none=True)
    disagreement_rate = ma.fields.Float(allow_none=True)
