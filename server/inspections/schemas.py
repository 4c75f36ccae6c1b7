"""Schemas of the supervisor endpoints."""
from __future__ import annotations

import marshmallow as ma

from server.kernel.schemas import offset_field
from sync.protocol import INSPECTION_STATUSES, REVIEW_OUTCOMES


class InspectionListArgs(ma.Schema):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(INSPECTION_STATUSES))
    disagreement = ma.fields.Boolean(load_default=None, allow_none=True)
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(max=100),
                         metadata={"description": "part of the company name or credit code"})
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000))
    offset = offset_field()


class PassThrough(ma.Schema):
    """Dumps the declared fields and keeps every other key of the record as it is
    (records carry the device's own fields, which the API returns untouched).
    `unknown = INCLUDE` documents that in the OpenAPI document (additionalProperties)."""

    class Meta:
        unknown = ma.INCLUDE

    @ma.post_dump(pass_original=True)
    def _keep_rest(self, data, original, **kwargs):
        if isinstance(original, dict):
            return {**original, **data}
        return data


class InspectionSchema(PassThrough):

    id = ma.fields.String()
    version = ma.fields.Integer()
    status = ma.fields.String()
    jurisdiction = ma.fields.String()
    inspector = ma.fields.String(allow_none=True)
    inspected_on = ma.fields.String()
    has_disagreement = ma.fields.Boolean()


class InspectionDetailSchema(InspectionSchema):
    findings = ma.fields.List(ma.fields.Dict())
    flags = ma.fields.List(ma.fields.Dict())
    reviews = ma.fields.List(ma.fields.Dict())


class ReviewRequestSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(REVIEW_OUTCOMES))
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


class ReviewSchema(ma.Schema):
    id = ma.fields.String()
    inspection_id = ma.fields.String()
    outcome = ma.fields.String()
    comment = ma.fields.String()
    reviewer_id = ma.fields.Integer()
    inspection_version = ma.fields.Integer()
    created_at = ma.fields.String()
