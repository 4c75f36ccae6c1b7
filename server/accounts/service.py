"""Accounts: jurisdictions, users, passwords (argon2), login tokens, the token check every
request runs, and notifications for users. The public service of the accounts feature:
other features look users and jurisdictions up here. Tablets (enrolment by QR code,
revocation, the device list) are in `server.accounts.devices`."""
from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, or_, select

from server.accounts import throttle
from server.accounts.models import Device, Jurisdiction, Notification, Token, User
from server.kernel import audit, clock
from server.kernel.access import Target, require
from server.kernel.auth import ROLES, Principal, hash_token
from server.kernel.errors import (
    DeviceRevoked,
    InvalidCredentials,
    NotFound,
    TokenExpired,
    TokenRevoked,
    Unauthorized,
    ValidationFailed,
)
from server.kernel.extensions import db

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


def hash_password(password: str) -> str:
    """Return the argon2id hash of `password` (the app's profile). Raises ValidationFailed
    for a password shorter than 8 characters."""
    if len(password) < 8:
        raise ValidationFailed("password_short", details={"password": ["too short"]})
    return _hasher.hash(password)


def create_user(username: str, password: str, role: str, jurisdiction_code: str,
                display_name: str | None = None, *, password_hash: str | None = None) -> User:
    """Create a user with an argon2 password hash; returns it. `password_hash` (from
    hash_password(password)) spares the hashing when several users get the same password.

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
    user = User(username=username, display_name=display_name, password_hash=password_hash or _hasher.hash(password),
                role=role, jurisdiction_code=jurisdiction_code, created_at=clock.now())
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Store an argon2 hash of `password` for `user`. Raises ValidationFailed (too short)."""
    if len(password) < 8:
        raise ValidationFailed("password_short", details={"password": ["too short"]})
    user.password_hash = _hasher.hash(password)


def user_json(user: User) -> dict:
    """Return the public description of a user."""
    return {"id": user.id, "username": user.username, "role": user.role,
            "jurisdiction": user.jurisdiction_code, "display_name": user.display_name}


def issue_token(user: User, ttl: timedelta, device_id: str | None = None, *,
                scope: str = "api") -> tuple[str, Token]:
    """Add a token of `user` (a device's when `device_id`) valid for `ttl`; returns (the
    token, its row). Raises nothing; the caller's unit of work commits it."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = Token(token_hash=hash_token(token), user_id=user.id, device_id=device_id,
                created_at=now, expires_at=now + ttl, scope=scope)
    db.session.add(row)
    return token, row


def check_password(username: str, password: str) -> User:
    """Return the enabled user `username` whose password is `password`, throttled like a
    login (server.accounts.throttle: per client, per username, known or not alike; the
    count is committed even though the request fails: the caller commits before it answers
    InvalidCredentials). Raises InvalidCredentials, or RateLimited while locked."""
    throttle.check(username)
    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or user.disabled_at is not None:
        _hasher.hash(password)  # same work either way: no user enumeration by timing
        throttle.count_failure(username)
        raise InvalidCredentials()
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as exc:
        throttle.count_failure(username)
        raise InvalidCredentials() from exc
    throttle.clear_user(username)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def login(username: str, password: str, *, scope: str = "api") -> dict:
    """Check a password (check_password) and return `{token, expires_at, user}`: an API
    bearer token, or with `scope="console"` an opaque console session the API refuses.
    Raises InvalidCredentials, or RateLimited while throttled."""
    user = check_password(username, password)
    ttl = timedelta(hours=current_app.config["GBFIELD_USER_TOKEN_TTL_HOURS"])
    token, row = issue_token(user, ttl, scope=scope)
    return {"token": token, "expires_at": row.expires_at.isoformat(), "user": user_json(user)}


def unlock_user(principal: Principal | None, username: str) -> int:
    """Clear the login locks of `username` (an admin in the console/API, or the CLI with
    `principal` None); returns how many counters were cleared. Raises NotFound, Forbidden."""
    user = find_user(username)
    if user is None:
        raise NotFound("user", username=username)
    if principal is not None:
        require(principal, "user.unlock", user_target(user))
    cleared = throttle.clear_user(username)
    audit.record(principal, "user.unlock", username, cleared=cleared)
    return cleared


def revoke_token(token_hash: str) -> None:
    """Mark a token revoked (logout). Raises nothing."""
    row = db.session.get(Token, token_hash)
    if row is not None and row.revoked_at is None:
        row.revoked_at = clock.now()


def user_target(user: User) -> Target:
    """Return the access policy's Target of a user (their jurisdiction and role)."""
    return Target("user", jurisdiction_path(user.jurisdiction_code), owner_id=user.id, role=user.role)


def disable_user(user_id: int) -> None:
    """Disable a user: every token of theirs fails from the next request. Raises NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("user", username="")
    user.disabled_at = clock.now()


# ---- the token check of every request (installed by the feature's setup) ----------------

def authenticate_token(token: str, scope: str = "api") -> Principal:
    """Return the Principal of a user or device token of `scope` ("api": a bearer token;
    "console": a console session), checked against the database now.

    Raises Unauthorized (unknown token, or one of the other scope), TokenExpired,
    TokenRevoked (token revoked or user disabled) or DeviceRevoked.
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
    if (tok.scope or "api") != scope:
        raise Unauthorized("unknown_token")
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


def user_ids_named(name: str) -> list[int]:
    """Return the ids of users whose username or display name is `name` (case-insensitive)."""
    text = name.strip().lower()
    return list(db.session.execute(select(User.id).where(or_(func.lower(User.username) == text,
                                                             func.lower(User.display_name) == text))).scalars())


def username_of(user_id_column):
    """Return a SQL expression for the username of the user whose id is `user_id_column`
    (a correlated subquery other features select beside their rows: one query, no join)."""
    return select(User.username).where(User.id == user_id_column).scalar_subquery()


def display_name_of(user_id_column):
    """Return a SQL expression for the display name (else the username) of the user whose id
    is `user_id_column` (a correlated subquery, as username_of)."""
    return select(func.coalesce(User.display_name, User.username)).where(User.id == user_id_column).scalar_subquery()


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


def assignable_user(username: str, jurisdiction_path: str) -> int | None:
    """Return the id of the active supervisor, admin or inspector `username` who covers a
    record of `jurisdiction_path` or works inside it; None when there is no such user."""
    row = db.session.execute(select(User.id, User.role, Jurisdiction.path)
                             .join(Jurisdiction, User.jurisdiction_code == Jurisdiction.code)
                             .where(User.username == username.strip(), User.disabled_at.is_(None))).first()
    if row is None or row.role not in ("supervisor", "admin", "inspector"):
        return None
    covers = jurisdiction_path.startswith(row.path)
    inside = row.path.startswith(jurisdiction_path)
    return row.id if covers or (inside and row.role == "inspector") else None


def jurisdictions_in(principal: Principal) -> list[tuple[str, str]]:
    """Return [(code, name)] of the divisions in the caller's subtree, by path."""
    query = select(Jurisdiction.code, Jurisdiction.name).order_by(Jurisdiction.path)
    if principal.role != "admin":
        query = query.where(Jurisdiction.path.startswith(principal.jurisdiction_path, autoescape=True))
    return [(code, name) for code, name in db.session.execute(query)]


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
