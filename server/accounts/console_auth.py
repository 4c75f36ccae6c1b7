"""Sign in and sign out."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from server.accounts import service as accounts
from server.kernel.access import role_may
from server.kernel.auth import hash_token
from server.kernel.console import bp, t
from server.kernel.console import signin as console_session
from server.kernel.errors import InvalidCredentials, RateLimited, ValidationFailed
from server.kernel.uow import unit_of_work


def _safe_next(target: str | None) -> str | None:
    """Return `target` when it is a path inside the console (no open redirect), else None."""
    if target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _home_for(role: str) -> str:
    return url_for("console.questions") if role == "expert" else url_for("console.inspections")


@bp.route("/")
def index():
    """The signed-in user's home page (inspections, or the question queue for experts)."""
    return redirect(_home_for(g.console_user.role))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """GET: the sign-in form. POST: check the password with accounts.login and keep the token
    in the session; wrong password → 401 page, locked out → 429 page (with the wait)."""
    words = t()
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        principal, _ = console_session.principal_from_session()
        if principal is not None and role_may(principal.role, "console.enter"):
            return redirect(next_url or _home_for(principal.role))
        return render_template("console/login.html", username="", error=None, next_url=next_url)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    error, status = None, 200
    if not username or not password:
        error, status = words["fields_required"], 400
    else:
        try:
            with unit_of_work(commit_on=(InvalidCredentials,)):   # a wrong password is counted all the same
                result = accounts.login(username, password, scope="console")
        except InvalidCredentials:
            error, status = words["bad_credentials"], 401
        except RateLimited as exc:
            error, status = words["locked_out"].format(message=exc.message), 429
        except ValidationFailed as exc:
            error, status = exc.message, 400
        else:
            if not role_may(result["user"]["role"], "console.enter"):
                with unit_of_work():   # the page answers 403: the token must be revoked all the same
                    accounts.revoke_token(hash_token(result["token"]))
                error, status = words["role_not_allowed"], 403
            else:
                console_session.sign_in(result["token"])
                return redirect(next_url or _home_for(result["user"]["role"]))
    return render_template("console/login.html", username=username, error=error, next_url=next_url), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Revoke the session's token (accounts.revoke_token) and forget it."""
    accounts.revoke_token(g.console_user.token_id)
    console_session.sign_out()
    flash(t()["logged_out"], "success")
    return redirect(url_for("console.login"))
