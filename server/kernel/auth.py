"""Who is calling: the bearer token of the request, checked on every request.

Tokens are random strings stored only as SHA-256 with an expiry and a `revoked_at`; the
accounts feature owns them and installs the check (`install_authenticator`, called from
its setup), so a revocation (of the token, its device or its user) takes effect at the
next request. This module knows only the Principal it answers and the role decorator;
what a principal may do is decided in `server.kernel.access`.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, current_app, g, request

from server.kernel.errors import Forbidden, Unauthorized

ROLES = ("inspector", "supervisor", "expert", "admin", "registrar")
AUTHENTICATOR_KEY = "gbfield_authenticator"


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


def install_authenticator(app: Flask, authenticator: Callable[[str, str], Principal]) -> None:
    """Make `authenticator(token, scope) -> Principal` the check of `app`'s tokens (scope
    "api" or "console"; raises the 401 DomainErrors: Unauthorized, TokenExpired,
    TokenRevoked, DeviceRevoked)."""
    app.extensions[AUTHENTICATOR_KEY] = authenticator


def authenticate_token(token: str, scope: str = "api") -> Principal:
    """Return the Principal of a token of `scope`: "api" (the API's bearer tokens) or
    "console" (the console's opaque sessions, which the API refuses), checked against the
    database now.

    Raises Unauthorized (empty/unknown token), TokenExpired, TokenRevoked (token revoked or
    user disabled) or DeviceRevoked.
    """
    if not token or not token.strip():
        raise Unauthorized("login_required")
    return current_app.extensions[AUTHENTICATOR_KEY](token.strip(), scope)


def authenticate() -> Principal:
    """Return the Principal of the request's bearer token (see authenticate_token).

    Raises Unauthorized (missing/unknown token), TokenExpired, TokenRevoked (token or user
    revoked) or DeviceRevoked.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("login_required")
    return authenticate_token(token)


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
                raise Forbidden("role", roles="/".join(roles), role=principal.role)
            return view(*args, **kwargs)
        return wrapper
    return decorator
