"""设备管理: the tablets of the supervisor's subtree, enrolment by QR code (made with the
session's authority through the accounts service) and revocation with a confirmation."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, flash, g, redirect, render_template, request, url_for

from server.accounts import devices as tablets
from server.accounts import service as accounts
from server.accounts.api_devices import server_url
from server.kernel.console import bp, require_action, t
from server.kernel.errors import NotFound
from server.syncing import service as syncing

LABEL_MAX = 100


def require_supervisor(action: str = "device.list") -> None:
    """Raise Forbidden unless the access policy lets the signed-in user do `action`."""
    require_action(action)


def _devices_page(form: dict | None = None, errors: dict | None = None, status: int = 200):
    devices = list(reversed(tablets.list_devices(g.console_user)))   # newest first
    seen = syncing.last_push_times([d["device_id"] for d in devices])
    return render_template("console/devices.html", devices=devices, seen=seen,
                           inspectors=accounts.inspectors_in(g.console_user),
                           form=form or {}, errors=errors or {}), status


@bp.route("/devices/")
def devices():
    """The tablets of users in the caller's subtree and the enrolment form."""
    require_supervisor()
    return _devices_page()


@bp.route("/devices/enrol", methods=["POST"])
def enrol():
    """Make a one-time enrolment code for an inspector of the subtree and show its QR code
    (400 with the form's error; 404 for a user outside the subtree, as the service decides)."""
    require_supervisor("device.enrol")
    words = t()
    username = (request.form.get("username") or "").strip()
    label = (request.form.get("device_label") or "").strip()
    form, errors = {"username": username, "device_label": label}, {}
    if not username:
        errors["username"] = words["choose_inspector"]
    if len(label) > LABEL_MAX:
        errors["device_label"] = words["label_too_long"]
    if errors:
        return _devices_page(form, errors, 400)
    result = tablets.create_enrolment(g.console_user, username, label or None, server_url())
    expires = datetime.fromisoformat(result["expires_at"])
    minutes = int(current_app.config["GBFIELD_ENROLMENT_TTL_MINUTES"])
    return render_template("console/enrolment.html", e=result, minutes=minutes, expires=expires.isoformat(),
                           label=label)


def _visible_device(device_id: str) -> dict:
    for device in tablets.list_devices(g.console_user):
        if device["device_id"] == device_id:
            return device
    raise NotFound("device")


@bp.route("/devices/<device_id>/revoke", methods=["GET", "POST"])
def revoke_device(device_id: str):
    """GET: the confirmation page. POST (CSRF-checked): revoke through server.accounts.devices.revoke_device;
    the tablet's next request answers 401 device_revoked. 404 outside the subtree."""
    require_supervisor("device.revoke")
    device = _visible_device(device_id)
    if request.method == "GET":
        return render_template("console/revoke.html", d=device)
    tablets.revoke_device(g.console_user, device_id)
    flash(t()["revoked_flash"].format(label=device["label"], user=device["username"]), "success")
    return redirect(url_for("console.devices"))
