"""Devices: one-time enrolment codes and their QR, redeeming a code (the device and its
token, confirmed with the officer's own password), revoking a device, the devices of a
subtree, and a device token for tools that cannot scan a QR code. Every act asks the
access policy (`device.enrol`, `device.revoke`) and enrolling and revoking go into the
audit log. Used by the accounts feature's API and console pages and by the loopback tools;
users, passwords and the token check every request runs stay in `service`."""
from __future__ import annotations

import base64
import hashlib
import io
import secrets
import uuid
from datetime import timedelta

import qrcode
from flask import current_app

from server.accounts.models import Device, Enrolment, Jurisdiction, User
from server.accounts.service import (
    check_password,
    issue_token,
    jurisdiction_path,
    user_json,
    user_target,
)
from server.kernel import audit, clock
from server.kernel.access import Target, can, require
from server.kernel.auth import Principal
from server.kernel.errors import EnrolmentInvalid, NotFound, ValidationFailed
from server.kernel.extensions import db
from server.kernel.signing import signer
from sync.protocol import make_enrol_payload


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def create_enrolment(principal: Principal, username: str, device_label: str | None,
                     server_url: str) -> dict:
    """Create a one-time enrolment code for `username`'s new device.

    Returns `{code, expires_at, payload, qr_png_data_url, username}`: the QR image travels
    inside the answer (a data: URL), never as a URL holding the live code that access logs
    would keep. Raises NotFound (unknown
    user or outside the caller's jurisdiction) or Forbidden (enrolling an admin).
    """
    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not can(principal, "device.enrol", Target("user", jurisdiction_path(user.jurisdiction_code))):
        raise NotFound("user", username=username)
    require(principal, "device.enrol", user_target(user))
    audit.record(principal, "device.enrol", username, label=device_label or "")
    code = secrets.token_urlsafe(12)
    now = clock.now()
    ttl = timedelta(minutes=current_app.config["GBFIELD_ENROLMENT_TTL_MINUTES"])
    db.session.add(Enrolment(code_hash=_code_hash(code), user_id=user.id, created_by=principal.user_id,
                             device_label=device_label, created_at=now, expires_at=now + ttl))
    return {"code": code, "expires_at": (now + ttl).isoformat(), "username": user.username,
            "payload": make_enrol_payload(server_url, code),
            "qr_png_data_url": "data:image/png;base64," + base64.b64encode(
                _qr_png(make_enrol_payload(server_url, code))).decode("ascii")}


def _qr_png(payload: str) -> bytes:
    """Return the PNG of the QR code holding `payload`."""
    buf = io.BytesIO()
    qrcode.make(payload, box_size=8, border=4).save(buf, format="PNG")
    return buf.getvalue()


def redeem_enrolment(code: str, device_label: str, platform: str | None, server_url: str,
                     password: str | None = None) -> dict:
    """Redeem a one-time code: create the device and its token. The officer the tablet is
    for confirms with their own password on the tablet (GBFIELD_ENROL_REQUIRES_PASSWORD,
    default on): a supervisor's code alone cannot make a device that acts as them.

    Returns `{device_id, token, expires_at, server_url, user, catalog_keys}`. Raises EnrolmentInvalid when
    the code is unknown, already used or expired; ValidationFailed without a password;
    InvalidCredentials / RateLimited for a wrong one (throttled like a login). The code
    row is locked (FOR UPDATE) so two devices racing with one code cannot both win.
    """
    row = db.session.execute(db.select(Enrolment).where(Enrolment.code_hash == _code_hash(code))
                             .with_for_update()).scalar_one_or_none()
    now = clock.now()
    if row is None:
        raise EnrolmentInvalid("unknown")
    if row.redeemed_at is not None:
        raise EnrolmentInvalid("used")
    if clock.as_utc(row.expires_at) <= now:
        raise EnrolmentInvalid("expired")
    user = db.session.get(User, row.user_id)
    if user.disabled_at is not None:
        raise EnrolmentInvalid("disabled")
    if current_app.config.get("GBFIELD_ENROL_REQUIRES_PASSWORD", True):
        if not password:
            raise ValidationFailed("enrol_password", username=user.username,
                                   details={"password": ["required"]})
        check_password(user.username, password)
    device = Device(id=str(uuid.uuid4()), user_id=user.id, label=device_label or row.device_label or "tablet",
                    platform=platform, enrolled_at=now)
    db.session.add(device)
    db.session.flush()
    row.redeemed_at = now
    row.device_id = device.id
    ttl = timedelta(days=current_app.config["GBFIELD_DEVICE_TOKEN_TTL_DAYS"])
    token, tok = issue_token(user, ttl, device_id=device.id)
    return {"device_id": device.id, "token": token, "expires_at": tok.expires_at.isoformat(),
            "server_url": server_url, "user": user_json(user), "catalog_keys": signer().keys()}


def revoke_device(principal: Principal, device_id: str) -> dict:
    """Revoke a device (its tokens fail from the next request); returns `{device_id, revoked_at}`.

    Raises NotFound for an unknown device or one whose user is outside the caller's subtree.
    """
    device = db.session.get(Device, device_id)
    if device is None or not can(principal, "device.revoke", user_target(db.session.get(User, device.user_id))):
        raise NotFound("device")
    if device.revoked_at is None:
        device.revoked_at = clock.now()
        audit.record(principal, "device.revoke", device.id, label=device.label)
    return {"device_id": device.id, "revoked_at": clock.as_utc(device.revoked_at).isoformat()}


def list_devices(principal: Principal) -> list[dict]:
    """Return the devices of users in the caller's subtree."""
    rows = db.session.execute(
        db.select(Device, User, Jurisdiction.path).join(User, Device.user_id == User.id)
        .join(Jurisdiction, User.jurisdiction_code == Jurisdiction.code).order_by(Device.enrolled_at)).all()
    return [{"device_id": d.id, "label": d.label, "platform": d.platform, "username": u.username,
             "enrolled_at": clock.as_utc(d.enrolled_at).isoformat(),
             "revoked_at": clock.as_utc(d.revoked_at).isoformat() if d.revoked_at else None}
            for d, u, path in rows if principal.in_subtree(path)]


def issue_device_token(username: str, *, label: str = "loopback", ttl_days: int = 30) -> tuple[str, str]:
    """Create a device for `username` without an enrolment code and return (device_id, token)
    (tools and benchmarks that cannot scan a QR code). Raises LookupError for an unknown user."""
    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise LookupError(f"unknown user {username}")
    now = clock.now()
    device = Device(id=str(uuid.uuid4()), user_id=user.id, label=label, platform="loopback", enrolled_at=now)
    db.session.add(device)
    db.session.flush()
    token, _ = issue_token(user, timedelta(days=ttl_days), device_id=device.id)
    return device.id, token
