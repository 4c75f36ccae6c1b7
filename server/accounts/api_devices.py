"""Device enrolment by QR code, device list and revocation."""
from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint

from server.accounts import devices as tablets
from server.accounts.schemas import (
    DeviceSchema,
    DeviceTokenSchema,
    EnrolmentRequestSchema,
    EnrolmentSchema,
    EnrolSchema,
    RevokedSchema,
)
from server.kernel.access import allow
from server.kernel.auth import current_principal
from server.kernel.errors import InvalidCredentials
from server.kernel.uow import unit_of_work

blp = Blueprint("devices", __name__, url_prefix="/api/v1/devices", description="Tablets: enrolment and revocation")


def server_url() -> str:
    """Return the URL devices should use: GBFIELD_PUBLIC_URL, else this request's host."""
    return (current_app.config.get("GBFIELD_PUBLIC_URL") or request.host_url).rstrip("/")


@blp.route("/enrolments", methods=["POST"])
@allow("device.enrol")
@blp.arguments(EnrolmentRequestSchema)
@blp.response(201, EnrolmentSchema)
def create_enrolment(body):
    """Create a one-time enrolment code (and QR) for a user's new tablet."""
    return tablets.create_enrolment(current_principal(), body["username"], body.get("device_label"), server_url())


@blp.route("/enrol", methods=["POST"])
@blp.arguments(EnrolSchema)
@blp.response(201, DeviceTokenSchema)
def enrol(body):
    """Redeem an enrolment code once, confirmed with the officer's own password: answers
    the device id and its token (401 for a wrong password, throttled like a login)."""
    with unit_of_work(commit_on=(InvalidCredentials,)):   # a wrong password is counted all the same
        return tablets.redeem_enrolment(body["code"], body["device_label"], body.get("platform"), server_url(),
                                         body.get("password"))


@blp.route("/<device_id>/revoke", methods=["POST"])
@allow("device.revoke")
@blp.response(200, RevokedSchema)
def revoke(device_id):
    """Revoke a tablet: its token fails from the next request (401 device_revoked)."""
    return tablets.revoke_device(current_principal(), device_id)


@blp.route("/")
@allow("device.list")
@blp.response(200, DeviceSchema(many=True))
def list_devices():
    """Tablets of users in the caller's jurisdiction."""
    return tablets.list_devices(current_principal())
