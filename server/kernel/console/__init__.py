"""The shell of the supervisor / expert web console under /console (server-rendered Jinja,
local CSS only): the `console` blueprint, sign-in required on every page but the sign-in
page, CSRF on every POST, the language, the base templates and the error pages.

Feature packages add their pages to `bp` (their `console` modules) and hand their template
folders to the app (a template-only blueprint). Every page except the sign-in page needs a
signed-in supervisor, expert or admin; the token is re-checked on each request
(server.kernel.console.signin); views turn DomainErrors into readable pages
(docs/console.md).
"""
from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException

from assets.messages import MessageError, text, words
from server.kernel.access import POLICY, can
from server.kernel.console import signin as console_session
from server.kernel.errors import DomainError, Forbidden, NotFound
from server.kernel.i18n import choose_language
from sync.protocol import ErrorCode

log = logging.getLogger(__name__)

LANGS = ("zh", "en")
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static", static_url_path="/static")

#: endpoints reachable without signing in
PUBLIC_ENDPOINTS = {"console.login", "console.static"}


def init_app(app: Flask) -> None:
    """Harden the session cookie (HttpOnly, SameSite=Lax) and register the console on
    `app` (its pages are the features': attached to `bp` before this)."""
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.register_blueprint(bp)


def lang() -> str:
    """Return the language of this request ("zh" default, "en" when chosen)."""
    return g.get("console_lang", "zh")


def t() -> dict[str, str]:
    """Return the console's word table (`console.*` of the message catalogue) in this
    request's language."""
    return words("console", lang())


def require_action(action: str) -> None:
    """Raise Forbidden unless the access policy lets the signed-in user do `action` (the
    console's one check: server.kernel.access)."""
    if not can(g.console_user, action):
        raise Forbidden("page", roles="/".join(POLICY[action].roles))


@bp.before_request
def _before():
    chosen = request.args.get("lang")
    if chosen in LANGS:
        session["lang"] = chosen
    g.console_lang = session.get("lang", "zh")
    choose_language(g.console_lang)
    if request.method == "POST":
        console_session.check_csrf()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    principal, reason = console_session.principal_from_session()
    if principal is None:
        message = {"expired": "session_expired", "revoked": "session_revoked"}.get(reason, "login_required")
        flash(t()[message], "warning" if reason is None else "error")
        return redirect(url_for("console.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))
    if not can(principal, "console.enter"):
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
    """Return a rendered error page for `key` (an error code: not_found, forbidden; or "csrf",
    "error"): the words `console.<key>_title` and `console.<key>_lead`."""
    words_ = t()
    return render_template("console/error.html", title=words_[f"{key}_title"], lead=words_[f"{key}_lead"],
                           detail=detail, status=status), status


@bp.errorhandler(console_session.CsrfFailed)
def _csrf(_exc):
    return error_page(400, "csrf")


@bp.errorhandler(NotFound)
def _not_found(_exc):
    return error_page(404, ErrorCode.NOT_FOUND)


@bp.errorhandler(Forbidden)
def _forbidden(exc):
    return error_page(403, ErrorCode.FORBIDDEN, exc.message)


@bp.errorhandler(DomainError)
def _domain(exc):
    if exc.status == 404:
        return error_page(404, ErrorCode.NOT_FOUND)
    return error_page(exc.status, "error", exc.message)


@bp.errorhandler(Exception)
def _unexpected(exc):
    if isinstance(exc, HTTPException):
        key = {404: ErrorCode.NOT_FOUND, 403: ErrorCode.FORBIDDEN}.get(exc.code or 500, "error")
        return error_page(exc.code or 500, key)
    log.exception("console: unexpected error")
    return error_page(500, "error")


@bp.app_template_filter("console_time")
def local_time(value: str | None, with_date: bool = True) -> str:
    """Return an ISO timestamp as local (Beijing) time "YYYY-MM-DD HH:MM", or "—"."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TZ)
    return moment.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


@bp.app_template_filter("stored_text")
def stored_text(record) -> str:
    """Return the message a stored record (flag, notification) carries, worded in this
    request's language from its `message_key` and `message_params`; its stored zh-CN
    `message` when the key is unknown; "" when it has none. Raises nothing."""
    if not isinstance(record, dict):
        return ""
    key = record.get("message_key")
    if key:
        try:
            return text(key, "en" if lang() == "en" else "zh-CN", **(record.get("message_params") or {}))
        except MessageError:
            pass
    return record.get("message") or ""


def parse_date(value: str) -> date | None:
    """Return a date from "YYYY-MM-DD" (a form field), or None when empty/unreadable."""
    try:
        return date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None
