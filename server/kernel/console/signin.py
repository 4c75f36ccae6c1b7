"""Console sign-in state: an opaque console session id (a token of scope "console",
stored hashed server-side; the API refuses it) lives in Flask's signed session cookie
(HttpOnly, SameSite=Lax, Secure when SESSION_COOKIE_SECURE is set) and is checked again on
every request through `server.kernel.auth.authenticate_token`, so revocation, a disabled
account and expiry apply at once. Plus a per-session CSRF token.
"""
from __future__ import annotations

import hmac
import secrets

from flask import g, request, session

from server.kernel.auth import Principal, authenticate_token
from server.kernel.errors import BadRequest, DomainError, TokenExpired

TOKEN_KEY = "console_token"
CSRF_KEY = "console_csrf"


class CsrfFailed(BadRequest):
    """A POST without the session's CSRF token (answered 400 with a readable page)."""


def sign_in(token: str) -> None:
    """Store a fresh user token in the session (new CSRF token too). Raises nothing."""
    lang = session.get("lang")
    session.clear()
    session[TOKEN_KEY] = token
    session[CSRF_KEY] = secrets.token_urlsafe(32)
    if lang:
        session["lang"] = lang
    session.permanent = False


def sign_out() -> str | None:
    """Forget the session's token (keeping the language); returns the token that was there."""
    token = session.get(TOKEN_KEY)
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return token


def principal_from_session() -> tuple[Principal | None, str | None]:
    """Return (principal, None) for a valid session token, else (None, reason) where reason
    is None (no token), "expired" or "revoked". A failing token is dropped from the session.

    The token is checked by `server.kernel.auth.authenticate_token`, the same code as the API's
    bearer tokens.
    """
    token = session.get(TOKEN_KEY)
    if not token:
        return None, None
    try:
        principal = authenticate_token(token, "console")
    except TokenExpired:
        sign_out()
        return None, "expired"
    except DomainError:
        sign_out()
        return None, "revoked"
    g.principal = principal
    return principal, None


def csrf_token() -> str:
    """Return the session's CSRF token, creating one when missing."""
    token = session.get(CSRF_KEY)
    if not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Raise CsrfFailed unless the POST form carries the session's CSRF token."""
    expected = session.get(CSRF_KEY)
    sent = request.form.get("csrf_token", "")
    if not expected or not sent or not hmac.compare_digest(str(expected), str(sent)):
        raise CsrfFailed("csrf")
