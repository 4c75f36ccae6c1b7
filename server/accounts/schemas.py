"""Schemas of login, enrolment and devices."""
from __future__ import annotations

import marshmallow as ma


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    role = ma.fields.String()
    jurisdiction = ma.fields.String()
    display_name = ma.fields.String(allow_none=True)


class LoginSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=80))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=200))


class TokenSchema(ma.Schema):
    token = ma.fields.String()
    expires_at = ma.fields.String()
    user = ma.fields.Nested(UserSchema)


class EnrolmentRequestSchema(ma.Schema):
    username = ma.fields.String(required=True)
    device_label = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=100))


class EnrolmentSchema(ma.Schema):
    code = ma.fields.String()
    expires_at = ma.fields.String()
    username = ma.fields.String()
    payload = ma.fields.String(metadata={"description": "what the QR code holds"})
    qr_png_data_url = ma.fields.String(metadata={"description": "the QR code as a data: URL (PNG)"})


class EnrolSchema(ma.Schema):
    code = ma.fields.String(required=True)
    password = ma.fields.String(load_default=None, allow_none=True, load_only=True,
                                metadata={"description": "the password of the officer the tablet is for"},
                                validate=ma.validate.Length(max=200))
    device_label = ma.fields.String(load_default="tablet", validate=ma.validate.Length(min=1, max=100))
    platform = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=50))


class DeviceTokenSchema(ma.Schema):
    device_id = ma.fields.String()
    token = ma.fields.String()
    expires_at = ma.fields.String()
    server_url = ma.fields.String()
    user = ma.fields.Nested(UserSchema)
    catalog_keys = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), metadata={
        "description": "the keys the tablet trusts for signed pull pages: {key id: Ed25519 public key, base64}"})


class RevokedSchema(ma.Schema):
    device_id = ma.fields.String()
    revoked_at = ma.fields.String()


class DeviceSchema(ma.Schema):
    device_id = ma.fields.String()
    label = ma.fields.String()
    platform = ma.fields.String(allow_none=True)
    username = ma.fields.String()
    enrolled_at = ma.fields.String()
    revoked_at = ma.fields.String(allow_none=True)


class UnlockedSchema(ma.Schema):
    username = ma.fields.String()
    cleared = ma.fields.Integer(metadata={"description": "lock counters removed"})


class AuditEventSchema(ma.Schema):
    seq = ma.fields.Integer()
    at = ma.fields.String()
    actor = ma.fields.String()
    action = ma.fields.String()
    target = ma.fields.String()
    details = ma.fields.Dict()
