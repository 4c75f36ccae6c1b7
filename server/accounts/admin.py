"""User and jurisdiction administration (the console's 用户管理 and 辖区管理, issue 14 item 7):
create a user, disable / enable, reset the password, change role, jurisdiction or name,
add and rename jurisdictions. Every act asks the one policy (server.kernel.access:
`user.manage` — admins, never on their own account — and `jurisdiction.manage`) and is
written to the audit log in the same transaction. The unlock is `service.unlock_user`.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import func, or_, select

from server.accounts import throttle
from server.accounts.models import Jurisdiction, LoginThrottle, Token, User
from server.accounts.service import (
    create_user,
    ensure_jurisdiction,
    find_user,
    set_password,
    user_target,
)
from server.kernel import audit, clock
from server.kernel.access import require
from server.kernel.auth import ROLES, Principal
from server.kernel.errors import Conflict, NotFound, ValidationFailed
from server.kernel.extensions import db

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,79}$")
NAME_MAX = 100
USER_STATES = ("active", "disabled", "locked")


def _user(username: str) -> User:
    user = find_user(username)
    if user is None:
        raise NotFound("user", username=username)
    return user


def locked_usernames(now: datetime | None = None) -> set[str]:
    """Return the (lower-case) usernames whose login is locked now, by any counter of theirs."""
    now = now or clock.now()
    rows = db.session.execute(select(LoginThrottle.key, LoginThrottle.locked_until)
                              .where(LoginThrottle.locked_until.is_not(None),
                                     or_(LoginThrottle.key.startswith("u:"), LoginThrottle.key.startswith("uc:"))))
    names = set()
    for key, until in rows:
        if clock.as_utc(until) > now:
            names.add(key.split(":", 1)[1].split("|", 1)[0])
    return names


def list_users(*, q: str = "", role: str = "", jurisdiction: str = "", state: str = "") -> list[dict]:
    """Return the users matching the filters ({id, username, display_name, role,
    jurisdiction, jurisdiction_name, created_at, disabled_at, locked}), by username."""
    query = (select(User, Jurisdiction.name, Jurisdiction.path)
             .join(Jurisdiction, User.jurisdiction_code == Jurisdiction.code).order_by(User.username))
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(User.username).like(like), func.lower(User.display_name).like(like)))
    if role in ROLES:
        query = query.where(User.role == role)
    if jurisdiction:
        path = db.session.execute(select(Jurisdiction.path).where(Jurisdiction.code == jurisdiction)).scalar()
        query = query.where(Jurisdiction.path.startswith(path or "/none/", autoescape=True))
    locked = locked_usernames()
    rows = []
    for user, name, _path in db.session.execute(query):
        row = {"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role,
               "jurisdiction": user.jurisdiction_code, "jurisdiction_name": name,
               "created_at": clock.as_utc(user.created_at).isoformat() if user.created_at else None,
               "disabled_at": clock.as_utc(user.disabled_at).isoformat() if user.disabled_at else None,
               "locked": user.username.lower() in locked}
        row["state"] = "disabled" if row["disabled_at"] else ("locked" if row["locked"] else "active")
        if state in USER_STATES and row["state"] != state:
            continue
        rows.append(row)
    return rows


def get_user(username: str) -> dict:
    """Return one user as list_users describes it. Raises NotFound."""
    _user(username)
    for row in list_users(q=username):
        if row["username"] == username:
            return row
    raise NotFound("user", username=username)


def add_user(principal: Principal, *, username: str, display_name: str, role: str, jurisdiction: str,
             password: str) -> dict:
    """Create a user (admins); returns get_user of it. Raises Forbidden, ValidationFailed
    (username form, bad role, short password, unknown jurisdiction, taken name)."""
    require(principal, "user.manage")
    username = username.strip()
    if not USERNAME.match(username):
        raise ValidationFailed("username_form", username=username, details={"username": ["a-z 0-9 _ . -"]})
    if len(display_name) > NAME_MAX:
        raise ValidationFailed("display_name_long", details={"display_name": [f"≤ {NAME_MAX}"]})
    user = create_user(username, password, role, jurisdiction, display_name.strip() or None)
    audit.record(principal, "user.create", username, role=role, jurisdiction=jurisdiction)
    return get_user(user.username)


def set_disabled(principal: Principal, username: str, disabled: bool) -> dict:
    """Disable (every token of theirs fails from the next request, tablets included) or
    enable a user; returns get_user. Raises NotFound, Forbidden (own account, an admin
    target for a non-admin)."""
    user = _user(username)
    require(principal, "user.manage", user_target(user))
    if disabled and user.disabled_at is None:
        user.disabled_at = clock.now()
        audit.record(principal, "user.disable", username)
    elif not disabled and user.disabled_at is not None:
        user.disabled_at = None
        audit.record(principal, "user.enable", username)
    db.session.flush()
    return get_user(username)


def reset_password(principal: Principal, username: str) -> str:
    """Give `username` a new one-time password (returned, shown once to the admin), revoke
    their API tokens and console sessions (their enrolled tablets keep working) and clear
    their login locks. Raises NotFound, Forbidden (own account)."""
    user = _user(username)
    require(principal, "user.manage", user_target(user))
    password = secrets.token_urlsafe(9)
    set_password(user, password)
    now = clock.now()
    revoked = 0
    for token in db.session.execute(select(Token).where(Token.user_id == user.id, Token.device_id.is_(None),
                                                        Token.revoked_at.is_(None))).scalars():
        token.revoked_at = now
        revoked += 1
    throttle.clear_user(username)
    audit.record(principal, "user.reset_password", username, sessions_revoked=revoked)
    return password


def change_user(principal: Principal, username: str, *, role: str, jurisdiction: str, display_name: str) -> dict:
    """Change a user's role, jurisdiction and display name (what changed is audited, before
    → after); returns get_user. Raises NotFound, Forbidden (own account), ValidationFailed."""
    user = _user(username)
    require(principal, "user.manage", user_target(user))
    if role not in ROLES:
        raise ValidationFailed("role", role=repr(role), details={"role": list(ROLES)})
    if db.session.get(Jurisdiction, jurisdiction) is None:
        raise ValidationFailed("jurisdiction", jurisdiction=jurisdiction)
    if len(display_name) > NAME_MAX:
        raise ValidationFailed("display_name_long", details={"display_name": [f"≤ {NAME_MAX}"]})
    changes = {}
    for field, new in (("role", role), ("jurisdiction_code", jurisdiction), ("display_name", display_name.strip() or None)):
        old = getattr(user, field)
        if old != new:
            changes[field] = f"{old or '—'} → {new or '—'}"
            setattr(user, field, new)
    if changes:
        audit.record(principal, "user.change", username, **changes)
    db.session.flush()
    return get_user(username)


def jurisdiction_rows() -> list[dict]:
    """Return every division with its users' count ({code, name, level, parent, depth,
    users}), in tree order."""
    counts = dict(db.session.execute(select(User.jurisdiction_code, func.count()).group_by(User.jurisdiction_code)).all())
    rows = db.session.execute(select(Jurisdiction).order_by(Jurisdiction.path)).scalars()
    return [{"code": r.code, "name": r.name, "level": r.level, "parent": r.parent_code,
             "depth": r.path.count("/") - 2, "users": counts.get(r.code, 0)} for r in rows]


def add_jurisdiction(principal: Principal, *, code: str, name: str, parent: str) -> dict:
    """Add a division under `parent` ("" for a province); returns {code, name, level}.
    Raises Forbidden, ValidationFailed (code form, unknown parent, empty name), Conflict
    (the code exists)."""
    require(principal, "jurisdiction.manage")
    code, name = code.strip(), name.strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationFailed("division_name", details={"name": [f"1–{NAME_MAX}"]})
    if db.session.get(Jurisdiction, code) is not None:
        raise Conflict("division_exists", division=code)
    row = ensure_jurisdiction(code, name, parent.strip() or None)
    audit.record(principal, "jurisdiction.create", code, name=name, parent=parent or "—")
    return {"code": row.code, "name": row.name, "level": row.level}


def rename_jurisdiction(principal: Principal, code: str, name: str) -> None:
    """Rename a division (its code and place in the tree stay). Raises Forbidden, NotFound,
    ValidationFailed (empty or long name)."""
    require(principal, "jurisdiction.manage")
    row = db.session.get(Jurisdiction, code)
    if row is None:
        raise NotFound("jurisdiction", code=code)
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationFailed("division_name", details={"name": [f"1–{NAME_MAX}"]})
    if row.name != name:
        audit.record(principal, "jurisdiction.rename", code, before=row.name, after=name)
        row.name = name
