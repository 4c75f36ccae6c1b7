"""Device enrolment by QR code, device list and revocation."""
from __future__ import annotations

import io

from flask import current_app, request, send_file
from flask_smorest import Blueprint

from server.auth import current_principal, require_role
from server.extensions import db
from server.schemas.accounts import (
    DeviceSchema,
    DeviceTokenSchema,
    EnrolmentRequestSchema,
    EnrolmentSchema,
    EnrolSchema,
    RevokedSchema,
)
from server.services import accounts

blp = Blueprint("devices", __name__, url_prefix="/api/v1/devices", description="Tablets: enrolment and revocation")


def server_url() -> str:
    """Return the URL devices should use: GBFIELD_PUBLIC_URL, else this request's host."""
    return (current_app.config.get("GBFIELD_PUBLIC_URL") or request.host_url).rstrip("/")


@blp.route("/enrolments", methods=["POST"])
@require_role("supervisor", "admin")
@blp.arguments(EnrolmentRequestSchema)
@blp.response(201, EnrolmentSchema)
def create_enrolment(body):
    """Create a one-time enrolment code (and QR) for a user's new tablet."""
    result = accounts.create_enrolment(current_principal(), body["username"], body.get("device_label"), server_url())
    db.session.commit()
    return result


@blp.route("/enrolments/<code>/qr.png")
@require_role("supervisor", "admin")
@blp.response(200, content_type="image/png")
def enrolment_qr(code):
    """The QR code (PNG) a tablet scans to enrol: `gbfield-enrol:v1?server=…&code=…`."""
    png = accounts.enrolment_qr_png(current_principal(), code, server_url())
    response = send_file(io.BytesIO(png), mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/enrol", methods=["POST"])
@blp.arguments(EnrolSchema)
@blp.response(201, DeviceTokenSchema)
def enrol(body):
    """Redeem an enrolment code once: answers the device id and its token."""
    result = accounts.redeem_enrolment(body["code"], body["device_label"], body.get("platform"), server_url())
    db.session.commit()
    return result


@blp.route("/<device_id>/revoke", methods=["POST"])
@require_role("supervisor", "admin")
@blp.response(200, RevokedSchema)
def revoke(device_id):
    """Revoke a tablet: its token fails from the next request (401 device_revoked)."""
    result = accounts.revoke_device(current_principal(), device_id)
    db.session.commit()
    return result


@blp.route("/")
@require_role("supervisor", "admin")
@blp.response(200, DeviceSchema(many=True))
def list_devices():
    """Tablets of users in the caller's jurisdiction."""
    return accounts.list_devices(current_principal())
