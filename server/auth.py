"""Who is calling: bearer tokens checked on every request, roles, jurisdiction scope.

Tokens are random strings stored only as SHA-256 in the `tokens` table with an expiry and
a `revoked_at`; they are looked up on each request, so a revocation (of the token, its
device or its user) takes effect at the next request.

Access rules (tested in tests/server/test_access.py):
- inspector: reads and writes only inside the subtree of their jurisdiction; a device pulls
  only its user's own records.
- supervisor: reviews and lists only inside their subtree; enrols/revokes devices of users
  in their subtree.
- expert: catalog, questions.  admin: everything.
- A record outside the caller's subtree answers **404 not_found** for reads (its existence
  is not revealed) and **403 forbidden** for writes that name an outside jurisdiction.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import g, request

from server import clock
from server.errors import DeviceRevoked, Forbidden, TokenExpired, TokenRevoked, Unauthorized
from server.extensions import db

ROLES = ("inspector", "supervisor", "expert", "admin")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: int
    username: str
    role: str
    jurisdiction_code: str
    jurisdiction_path: str      # "/110000/110100/110105/"
    device_id: str | None
    token_id: str

    def in_subtree(self, path: str | None) -> bool:
        """Return True when a record at jurisdiction `path` is inside the caller's subtree."""
        if self.role == "admin":
            return True
        return bool(path) and path.startswith(self.jurisdiction_path)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate() -> Principal:
    """Return the Principal of the request's bearer token (see authenticate_token).

    Raises Unauthorized (missing/unknown token), TokenExpired, TokenRevoked (token or user
    revoked) or DeviceRevoked.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("需要登录 / authentication required")
    return authenticate_token(token)


def authenticate_token(token: str) -> Principal:
    """Return the Principal of a user or device token (the API's bearer token, the console's
    session token), checked against the database now.

    Raises Unauthorized (empty/unknown token), TokenExpired, TokenRevoked (token revoked or
    user disabled) or DeviceRevoked.
    """
    from server.models.accounts import Device, Jurisdiction, Token, User

    if not token or not token.strip():
        raise Unauthorized("需要登录 / authentication required")
    row = db.session.execute(
        db.select(Token, User, Jurisdiction.path)
        .join(User, Token.user_id == User.id)
        .join(Jurisdiction, User.jurisdiction_code == Jurisdiction.code)
        .where(Token.token_hash == hash_token(token.strip()))
    ).first()
    if row is None:
        raise Unauthorized("登录凭据无效 / unknown token")
    tok, user, path = row
    now = clock.now()
    if tok.device_id is not None:
        device = db.session.get(Device, tok.device_id)
        if device is None or device.revoked_at is not None:
            raise DeviceRevoked("此设备已被注销，请重新登记 / this device was revoked")
    if tok.revoked_at is not None:
        raise TokenRevoked("登录凭据已被撤销 / token revoked")
    if user.disabled_at is not None:
        raise TokenRevoked("账号已停用 / account disabled")
    if clock.as_utc(tok.expires_at) <= now:
        raise TokenExpired("登录已过期，请重新登录 / token expired")
    return Principal(user.id, user.username, user.role, user.jurisdiction_code, path,
                     tok.device_id, tok.token_hash)


def current_principal() -> Principal:
    """Return the caller (authenticating on first use in the request); raises like authenticate()."""
    principal = g.get("principal")
    if principal is None:
        principal = authenticate()
        g.principal = principal
    return principal


def require_role(*roles: str) -> Callable:
    """Decorator: the view needs an authenticated caller, with one of `roles` if given.

    Raises Unauthorized/TokenExpired/TokenRevoked/DeviceRevoked (401) or Forbidden (403).
    """
    for role in roles:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if roles and principal.role not in roles:
                raise Forbidden(f"无权限：需要角色 {'/'.join(roles)} / forbidden for role {principal.role}")
            return view(*args, **kwargs)
        return wrapper
    return decorator


def require_subtree(principal: Principal, path: str | None, *, write: bool) -> None:
    """Raise NotFound (reads) or Forbidden (writes) when `path` is outside the caller's subtree."""
    from server.errors import NotFound

    if principal.in_subtree(path):
        return
    if write:
        raise Forbidden("超出本人辖区 / outside your jurisdiction")
    raise NotFound("未找到 / not found")
