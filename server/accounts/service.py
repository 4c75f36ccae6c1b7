"""Accounts: jurisdictions, users, passwords (argon2), login tokens, device enrolment,
the token check every request runs, and notifications for users. The public service of
the accounts feature: other features look users and jurisdictions up here."""
from __future__ import annotations

import hashlib
import io
import logging
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta

import qrcode
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select

from server.accounts.models import Device, Enrolment, Jurisdiction, Notification, Token, User
from server.kernel import clock
from server.kernel.auth import ROLES, Principal, hash_token
from server.kernel.errors import (
    DeviceRevoked,
    EnrolmentInvalid,
    Forbidden,
    InvalidCredentials,
    NotFound,
    RateLimited,
    TokenExpired,
    TokenRevoked,
    Unauthorized,
    ValidationFailed,
)
from server.kernel.extensions import db
from sync.protocol import make_enrol_payload

log = logging.getLogger(__name__)

_HASHERS = {"default": PasswordHasher(), "cheapest-for-tests": PasswordHasher.from_parameters(profiles.CHEAPEST)}


class _Hasher:
    """argon2id with the app's profile (GBFIELD_PASSWORD_PROFILE; tests use the cheapest)."""

    def __getattr__(self, name):
        profile = current_app.config.get("GBFIELD_PASSWORD_PROFILE", "default")
        return getattr(_HASHERS[profile], name)


_hasher = _Hasher()
LEVELS = ("province", "city", "district")


def ensure_jurisdiction(code: str, name: str, parent_code: str | None = None) -> Jurisdiction:
    """Return the jurisdiction `code`, creating it under `parent_code` when missing.

    Raises ValidationFailed for a code that is not 6 digits or an unknown parent.
    """
    if not (len(code) == 6 and code.isdigit()):
        raise ValidationFailed("division_code", division=repr(code))
    row = db.session.get(Jurisdiction, code)
    if row is not None:
        return row
    if parent_code is None:
        path, level = f"/{code}/", "province"
    else:
        parent = db.session.get(Jurisdiction, parent_code)
        if parent is None:
            raise ValidationFailed("parent_division", parent=parent_code)
        path = f"{parent.path}{code}/"
        level = LEVELS[min(parent.path.count("/") - 1, 2)]
    row = Jurisdiction(code=code, name=name, level=level, parent_code=parent_code, path=path)
    db.session.add(row)
    db.session.flush()
    return row


def subtree_codes(code: str) -> list[str]:
    """Return the codes of `code` and every division below it."""
    root = db.session.get(Jurisdiction, code)
    if root is None:
        return []
    return list(db.session.execute(
        db.select(Jurisdiction.code).where(Jurisdiction.path.startswith(root.path))).scalars())


def create_user(username: str, password: str, role: str, jurisdiction_code: str,
                display_name: str | None = None) -> User:
    """Create a user with an argon2 password hash; returns it.

    Raises ValidationFailed (bad role, short password, unknown jurisdiction, taken name).
    """
    if role not in ROLES:
        raise ValidationFailed("role", role=repr(role), details={"role": [f"one of {ROLES}"]})
    if len(password) < 8:
        raise ValidationFailed("password_short", details={"password": ["too short"]})
    if db.session.get(Jurisdiction, jurisdiction_code) is None:
        raise ValidationFailed("jurisdiction", jurisdiction=jurisdiction_code)
    if db.session.execute(db.select(User.id).where(User.username == username)).first():
        raise ValidationFailed("username_taken", username=username)
    user = User(username=username, display_name=display_name, password_hash=_hasher.hash(password),
                role=role, jurisdiction_code=jurisdiction_code, created_at=clock.now())
    db.session.add(user)
    db.session.flush()
    return user


def user_json(user: User) -> dict:
    """Return the public description of a user."""
    return {"id": user.id, "username": user.username, "role": user.role,
            "jurisdiction": user.jurisdiction_code, "display_name": user.display_name}


def _issue_token(user: User, ttl: timedelta, device_id: str | None = None) -> tuple[str, Token]:
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = Token(token_hash=hash_token(token), user_id=user.id, device_id=device_id,
                created_at=now, expires_at=now + ttl)
    db.session.add(row)
    return token, row


def login(username: str, password: str) -> dict:
    """Check a password and return `{token, expires_at, user}`.

    After GBFIELD_LOGIN_MAX_FAILURES consecutive wrong passwords the user's logins are
    refused for GBFIELD_LOGIN_LOCK_MINUTES (the count is committed even though the request
    fails: the caller commits before it answers InvalidCredentials). Raises
    InvalidCredentials, or RateLimited while the user is locked out.
    """
    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    bad = InvalidCredentials()
    if user is None or user.disabled_at is not None:
        _hasher.hash(password)  # same work either way: no user enumeration by timing
        raise bad
    now = clock.now()
    if user.locked_until is not None and clock.as_utc(user.locked_until) > now:
        wait = int((clock.as_utc(user.locked_until) - now).total_seconds()) + 1
        raise RateLimited("login", retry_after=wait, minutes=max(1, wait // 60))
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as exc:
        _count_failure(user, now)
        raise bad from exc
    user.failed_logins, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    ttl = timedelta(hours=current_app.config["GBFIELD_USER_TOKEN_TTL_HOURS"])
    token, row = _issue_token(user, ttl)
    return {"token": token, "expires_at": row.expires_at.isoformat(), "user": user_json(user)}


def _count_failure(user: User, now) -> None:
    """Count a wrong password and lock the user out after too many. The request ends in an
    error, so the caller commits the count before answering (server.kernel.uow.commit)."""
    config = current_app.config
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= config["GBFIELD_LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(minutes=config["GBFIELD_LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        log.warning("user %s locked out until %s after repeated wrong passwords", user.username, user.locked_until)


def revoke_token(token_hash: str) -> None:
    """Mark a token revoked (logout). Raises nothing."""
    row = db.session.get(Token, token_hash)
    if row is not None and row.revoked_at is None:
        row.revoked_at = clock.now()


def _user_in_scope(principal: Principal, user: User) -> bool:
    path = db.session.get(Jurisdiction, user.jurisdiction_code).path
    return principal.in_subtree(path)


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def create_enrolment(principal: Principal, username: str, device_label: str | None,
                     server_url: str) -> dict:
    """Create a one-time enrolment code for `username`'s new device.

    Returns `{code, expires_at, payload, qr_png_url, username}`. Raises NotFound (unknown
    user or outside the caller's jurisdiction) or Forbidden (enrolling an admin).
    """
    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not _user_in_scope(principal, user):
        raise NotFound("user", username=username)
    if user.role == "admin" and principal.role != "admin":
        raise Forbidden("enrol_admin")
    code = secrets.token_urlsafe(12)
    now = clock.now()
    ttl = timedelta(minutes=current_app.config["GBFIELD_ENROLMENT_TTL_MINUTES"])
    db.session.add(Enrolment(code_hash=_code_hash(code), user_id=user.id, created_by=principal.user_id,
                             device_label=device_label, created_at=now, expires_at=now + ttl))
    return {"code": code, "expires_at": (now + ttl).isoformat(), "username": user.username,
            "payload": make_enrol_payload(server_url, code),
            "qr_png_url": f"/api/v1/devices/enrolments/{code}/qr.png"}


def enrolment_payload(principal: Principal, code: str, server_url: str) -> str:
    """Return the QR payload of a pending enrolment the caller may see; raises NotFound."""
    row = db.session.get(Enrolment, _code_hash(code))
    if row is None or row.redeemed_at is not None or clock.as_utc(row.expires_at) <= clock.now():
        raise NotFound("enrolment")
    if not _user_in_scope(principal, db.session.get(User, row.user_id)):
        raise NotFound("enrolment")
    return make_enrol_payload(server_url, code)


def enrolment_qr_png(principal: Principal, code: str, server_url: str) -> bytes:
    """Return the PNG of the QR code a tablet scans to enrol with `code` (its payload is
    `enrolment_payload`). Raises what enrolment_payload raises (NotFound when the code is
    unknown, used, expired or outside the caller's subtree)."""
    buf = io.BytesIO()
    qrcode.make(enrolment_payload(principal, code, server_url), box_size=8, border=4).save(buf, format="PNG")
    return buf.getvalue()


def redeem_enrolment(code: str, device_label: str, platform: str | None, server_url: str) -> dict:
    """Redeem a one-time code: create the device and its token.

    Returns `{device_id, token, expires_at, server_url, user}`. Raises EnrolmentInvalid when
    the code is unknown, already used or expired. The code row is locked (FOR UPDATE) so
    two devices racing with one code cannot both win.
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
    device = Device(id=str(uuid.uuid4()), user_id=user.id, label=device_label or row.device_label or "tablet",
                    platform=platform, enrolled_at=now)
    db.session.add(device)
    db.session.flush()
    row.redeemed_at = now
    row.device_id = device.id
    ttl = timedelta(days=current_app.config["GBFIELD_DEVICE_TOKEN_TTL_DAYS"])
    token, tok = _issue_token(user, ttl, device_id=device.id)
    return {"device_id": device.id, "token": token, "expires_at": tok.expires_at.isoformat(),
            "server_url": server_url, "user": user_json(user)}


def revoke_device(principal: Principal, device_id: str) -> dict:
    """Revoke a device (its tokens fail from the next request); returns `{device_id, revoked_at}`.

    Raises NotFound for an unknown device or one whose user is outside the caller's subtree.
    """
    device = db.session.get(Device, device_id)
    if device is None or not _user_in_scope(principal, db.session.get(User, device.user_id)):
        raise NotFound("device")
    if device.revoked_at is None:
        device.revoked_at = clock.now()
    return {"device_id": device.id, "revoked_at": clock.as_utc(device.revoked_at).isoformat()}


def disable_user(user_id: int) -> None:
    """Disable a user: every token of theirs fails from the next request. Raises NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("user", username="")
    user.disabled_at = clock.now()


def list_devices(principal: Principal) -> list[dict]:
    """Return the devices of users in the caller's subtree."""
    rows = db.session.execute(
        db.select(Device, User, Jurisdiction.path).join(User, Device.user_id == User.id)
        .join(Jurisdiction, User.jurisdiction_code == Jurisdiction.code).order_by(Device.enrolled_at)).all()
    return [{"device_id": d.id, "label": d.label, "platform": d.platform, "username": u.username,
             "enrolled_at": clock.as_utc(d.enrolled_at).isoformat(),
             "revoked_at": clock.as_utc(d.revoked_at).isoformat() if d.revoked_at else None}
            for d, u, path in rows if principal.in_subtree(path)]


# ---- the token check of every request (installed by the feature's setup) ----------------

def authenticate_token(token: str) -> Principal:
    """Return the Principal of a user or device token, checked against the database now.

    Raises Unauthorized (unknown token), TokenExpired, TokenRevoked (token revoked or user
    disabled) or DeviceRevoked.
    """
    row = db.session.execute(
        db.select(Token, User, Jurisdiction.path)
        .join(User, Token.user_id == User.id)
        .join(Jurisdiction, User.jurisdiction_code == Jurisdiction.code)
        .where(Token.token_hash == hash_token(token))
    ).first()
    if row is None:
        raise Unauthorized("unknown_token")
    tok, user, path = row
    now = clock.now()
    if tok.device_id is not None:
        device = db.session.get(Device, tok.device_id)
        if device is None or device.revoked_at is not None:
            raise DeviceRevoked()
    if tok.revoked_at is not None:
        raise TokenRevoked()
    if user.disabled_at is not None:
        raise TokenRevoked("account_disabled")
    if clock.as_utc(tok.expires_at) <= now:
        raise TokenExpired()
    return Principal(user.id, user.username, user.role, user.jurisdiction_code, path,
                     tok.device_id, tok.token_hash)


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
    token, _ = _issue_token(user, timedelta(days=ttl_days), device_id=device.id)
    return device.id, token


# ---- lookups other features use ---------------------------------------------------------

def jurisdiction_path(code: str) -> str | None:
    """Return the materialised path of division `code` ("/110000/110100/110105/"), or None."""
    return db.session.execute(select(Jurisdiction.path).where(Jurisdiction.code == code)).scalar()


def list_jurisdictions() -> list[dict]:
    """Return every division as {code, name, parent, path}, in tree order (by path)."""
    rows = db.session.execute(select(Jurisdiction).order_by(Jurisdiction.path)).scalars()
    return [{"code": r.code, "name": r.name, "parent": r.parent_code, "path": r.path} for r in rows]


def jurisdiction_names(codes: Iterable[str | None]) -> dict[str, str]:
    """Return {code: name} for the given division codes."""
    codes = sorted({c for c in codes if c})
    if not codes:
        return {}
    return dict(db.session.execute(select(Jurisdiction.code, Jurisdiction.name)
                                   .where(Jurisdiction.code.in_(codes))).all())


def usernames(ids: Iterable[int | None]) -> dict[int, str]:
    """Return {user id: username}."""
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def username_of(user_id_column):
    """Return a SQL expression for the username of the user whose id is `user_id_column`
    (a correlated subquery other features select beside their rows: one query, no join)."""
    return select(User.username).where(User.id == user_id_column).scalar_subquery()


def display_names(ids: Iterable[int | None]) -> dict[int, str]:
    """Return {user id: display name or username}."""
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.username, User.display_name).where(User.id.in_(ids))).all()
    return {uid: (display or name) for uid, name, display in rows}


def user_ids(*, role: str, active: bool = True) -> list[int]:
    """Return the ids of the users with `role` (only enabled ones when `active`)."""
    query = select(User.id).where(User.role == role)
    if active:
        query = query.where(User.disabled_at.is_(None))
    return list(db.session.execute(query.order_by(User.id)).scalars())


def supervisors_over(path: str) -> list[int]:
    """Return the ids of the active supervisors whose jurisdiction contains `path` (a
    jurisdiction path), by id."""
    rows = db.session.execute(select(User.id, Jurisdiction.path)
                              .join(Jurisdiction, User.jurisdiction_code == Jurisdiction.code)
                              .where(User.role == "supervisor", User.disabled_at.is_(None)).order_by(User.id))
    return [uid for uid, own in rows if path.startswith(own)]


def find_user(username: str) -> User | None:
    """Return the user named `username`, or None."""
    return db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def inspectors_in(principal: Principal) -> list[dict]:
    """Return the active inspectors in the caller's subtree ({username, display_name,
    jurisdiction name}), by username."""
    query = (select(User.username, User.display_name, Jurisdiction.name)
             .join(Jurisdiction, User.jurisdiction_code == Jurisdiction.code)
             .where(User.role == "inspector", User.disabled_at.is_(None)).order_by(User.username))
    if principal.role != "admin":
        query = query.where(Jurisdiction.path.startswith(principal.jurisdiction_path, autoescape=True))
    return [{"username": u, "display_name": d, "jurisdiction": j} for u, d, j in db.session.execute(query)]


def principal_of(username: str, *, token_id: str = "service") -> Principal:
    """Return a Principal acting as `username` with no device (demo data, tools).
    Raises NotFound for an unknown user."""
    user = find_user(username)
    if user is None:
        raise NotFound("user", username=username)
    return Principal(user.id, user.username, user.role, user.jurisdiction_code,
                     jurisdiction_path(user.jurisdiction_code), None, token_id)


# ---- notifications ----------------------------------------------------------------------

def notify(user_ids: Iterable[int], kind: str, data: dict) -> int:
    """Create one notification per user; returns how many."""
    now, n = clock.now(), 0
    for uid in sorted(set(user_ids)):
        db.session.add(Notification(id=str(uuid.uuid4()), user_id=uid, kind=kind, data=data, created_at=now))
        n += 1
    return n


def notifications(principal: Principal, *, unread: bool = False) -> list[dict]:
    """Return the caller's notifications, newest first."""
    stmt = select(Notification).where(Notification.user_id == principal.user_id)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    rows = db.session.execute(stmt.order_by(Notification.created_at.desc())).scalars()
    return [{"id": r.id, "kind": r.kind, "data": r.data, "read_at": clock.as_utc(r.read_at).isoformat()
             if r.read_at else None, "created_at": clock.as_utc(r.created_at).isoformat()} for r in rows]
