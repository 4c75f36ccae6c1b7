"""Marshmallow schemas of the question, interpretation and statistics endpoints."""
from __future__ import annotations

import marshmallow as ma

from rules.interpretation import EFFECT_KEYS
from server.kernel.schemas import offset_field


class PassThrough(ma.Schema):
    """Dumps every key of a dict record as it is (records carry free-form data).
    `unknown = INCLUDE` documents that in the OpenAPI document (additionalProperties)."""

    class Meta:
        unknown = ma.INCLUDE

    @ma.post_dump(pass_original=True)
    def _keep_rest(self, data, original, **kwargs):
        return {**original, **data} if isinstance(original, dict) else data


class QuestionSchema(PassThrough):
    id = ma.fields.String()
    version = ma.fields.Integer()
    status = ma.fields.String()
    text = ma.fields.String()


class QuestionListArgs(ma.Schema):
    status = ma.fields.String(load_default=None)
    field = ma.fields.String(load_default=None)
    queue = ma.fields.Boolean(load_default=False)
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000))
    offset = offset_field()


class AnswerRequest(ma.Schema):
    text = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))


class AnswerSchema(PassThrough):
    id = ma.fields.String()
    question_id = ma.fields.String()
    text = ma.fields.String()


class ExpertFieldsRequest(ma.Schema):
    fields = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=40)), required=True)


class ExpertFieldsSchema(ma.Schema):
    username = ma.fields.String()
    fields = ma.fields.List(ma.fields.String())


class NotificationSchema(PassThrough):
    id = ma.fields.String()
    kind = ma.fields.String()


class ClauseRef(ma.Schema):
    edition_id = ma.fields.String(required=True)
    clause = ma.fields.String(required=True)


def _one_effect(value):
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in EFFECT_KEYS:
        raise ma.ValidationError(f"one of {', '.join(EFFECT_KEYS)}")


class PublishRequest(ma.Schema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    text = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))
    clauses = ma.fields.List(ma.fields.Nested(ClauseRef), required=True, validate=ma.validate.Length(min=1))
    indicator_ids = ma.fields.List(ma.fields.String(), load_default=list)
    effective = ma.fields.Date(required=True)
    until = ma.fields.Date(load_default=None, allow_none=True)
    effect = ma.fields.Dict(required=True, validate=_one_effect)
    answer_id = ma.fields.String(load_default=None, allow_none=True)


class InterpretationSchema(PassThrough):
    id = ma.fields.String()
    version = ma.fields.Integer()


class PublishResultSchema(ma.Schema):
    interpretation = ma.fields.Dict()
    flags = ma.fields.List(ma.fields.Dict())


class InterpretationListArgs(ma.Schema):
    standard = ma.fields.String(load_default=None)
    edition_id = ma.fields.String(load_default=None)
    clause = ma.fields.String(load_default=None)
