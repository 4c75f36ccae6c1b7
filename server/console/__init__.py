"""The supervisor / expert web console under /console (server-rendered Jinja, local CSS only).

`init_app(app)` registers the blueprint and sets the session cookie's flags (HttpOnly,
SameSite=Lax). Every page except the sign-in page needs a signed-in supervisor, expert or
admin; the token is re-checked on each request (server.console.session); every POST must
carry the session's CSRF token. Views call the existing services (server.services.review,
server.services.accounts, server.interpretations, server.photos.service) and turn their
DomainErrors into readable pages (docs/console.md).
"""
from __future__ import annotations

import logging

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from server.console import signin as console_session
from server.console.i18n import LANGS, words
from server.errors import DomainError, Forbidden, NotFound
from server.extensions import db

log = logging.getLogger(__name__)

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static", static_url_path="/static")

#: endpoints reachable without signing in
PUBLIC_ENDPOINTS = {"console.login", "console.static"}


def init_app(app) -> None:
    """Register the console on `app` (idempotent) and harden the session cookie."""
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if bp.name not in app.blueprints:
        from server.console import (  # noqa: F401  (routes)
            views_auth,
            views_devices,
            views_inspections,
            views_questions,
            views_stats,
        )

        app.register_blueprint(bp)


def lang() -> str:
    """Return the language of this request ("zh" default, "en" when chosen)."""
    return g.get("console_lang", "zh")


def t() -> dict[str, str]:
    """Return the word table of this request's language."""
    return words(lang())


@bp.before_request
def _before():
    chosen = request.args.get("lang")
    if chosen in LANGS:
        session["lang"] = chosen
    g.console_lang = session.get("lang", "zh")
    if request.method == "POST":
        console_session.check_csrf()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    principal, reason = console_session.principal_from_session()
    if principal is None:
        message = {"expired": "session_expired", "revoked": "session_revoked"}.get(reason, "login_required")
        flash(t()[message], "warning" if reason is None else "error")
        return redirect(url_for("console.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))
    if principal.role not in console_session.CONSOLE_ROLES:
        console_session.sign_out()
        flash(t()["role_not_allowed"], "error")
        return redirect(url_for("console.login"))
    g.console_user = principal
    return None


@bp.context_processor
def _globals():
    return {"t": t(), "lang": lang(), "user": g.get("console_user"),
            "csrf_token": console_session.csrf_token, "switch_url": _switch_url()}


def _switch_url() -> str:
    """Return this page's URL in the other language (the sign-in page after a POST)."""
    other = t()["switch_lang"]
    if request.method == "GET" and request.endpoint and request.endpoint != "console.static":
        args = {**request.args.to_dict(), **(request.view_args or {}), "lang": other}
        return url_for(request.endpoint, **args)
    return url_for("console.login", lang=other)


def error_page(status: int, key: str, detail: str | None = None):
    """Return a rendered error page for `key` ("not_found", "forbidden", "csrf", "error")."""
    words_ = t()
    return render_template("console/error.html", title=words_[f"{key}_title"], lead=words_[f"{key}_lead"],
                           detail=detail, status=status), status


@bp.errorhandler(console_session.CsrfFailed)
def _csrf(_exc):
    db.session.rollback()
    return error_page(400, "csrf")


@bp.errorhandler(NotFound)
def _not_found(_exc):
    db.session.rollback()
    return error_page(404, "not_found")


@bp.errorhandler(Forbidden)
def _forbidden(exc):
    db.session.rollback()
    return error_page(403, "forbidden", exc.message)


@bp.errorhandler(DomainError)
def _domain(exc):
    db.session.rollback()
    if exc.status == 404:
        return error_page(404, "not_found")
    return error_page(exc.status, "error", exc.message)


@bp.errorhandler(Exception)
def _unexpected(exc):
    from werkzeug.exceptions import HTTPException

    db.session.rollback()
    if isinstance(exc, HTTPException):
        key = {404: "not_found", 403: "forbidden"}.get(exc.code or 500, "error")
        return error_page(exc.code or 500, key)
    log.exception("console: unexpected error")
    return error_page(500, "error")


def _register_filters() -> None:
    from server.console.present import local_time

    bp.add_app_template_filter(local_time, "console_time")


_register_filters()
