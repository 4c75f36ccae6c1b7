"""Device enrolment by QR code, device list and revocation."""
from __future__ import annotations

import io

from flask import current_app, request, send_file
from flask_smorest import Blueprint

from server.accounts import service as accounts
from server.accounts.schemas import (
    DeviceSchema,
    DeviceTokenSchema,
    EnrolmentRequestSchema,
    EnrolmentSchema,
    EnrolSchema,
    RevokedSchema,
)
from server.kernel.access import SUPERVISORS
from server.kernel.auth import current_principal, require_role

blp = Blueprint("devices", __name__, url_prefix="/api/v1/devices", description="Tablets: enrolment and revocation")


def server_url() -> str:
    """Return the URL devices should use: GBFIELD_PUBLIC_URL, else this request's host."""
    return (current_app.config.get("GBFIELD_PUBLIC_URL") or request.host_url).rstrip("/")


@blp.route("/enrolments", methods=["POST"])
@require_role(*SUPERVISORS)
@blp.arguments(EnrolmentRequestSchema)
@blp.response(201, EnrolmentSchema)
def create_enrolment(body):
    """Create a one-time enrolment code (and QR) for a user's new tablet."""
    return accounts.create_enrolment(current_principal(), body["username"], body.get("device_label"), server_url())


@blp.route("/enrolments/<code>/qr.png")
@require_role(*SUPERVISORS)
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
    return accounts.redeem_enrolment(body["code"], body["device_label"], body.get("platform"), server_url())


@blp.route("/<device_id>/revoke", methods=["POST"])
@require_role(*SUPERVISORS)
@blp.response(200, RevokedSchema)
def revoke(device_id):
    """Revoke a tablet: its token fails from the next request (401 device_revoked)."""
    return accounts.revoke_device(current_principal(), device_id)


@blp.route("/")
@require_role(*SUPERVISORS)
@blp.response(200, DeviceSchema(many=True))
def list_devices():
    """Tablets of users in the caller's jurisdiction."""
    return accounts.list_devices(current_principal())
