"""用户管理 and 辖区管理 (admins): the users with their state (active, disabled, locked
out), creating one, their page (role, jurisdiction, name; disable / enable, a new password,
unlock, each asked again on a confirmation page), and the jurisdiction tree with its
forms. Every act goes through server.accounts.admin (the policy, the audit log)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from server.accounts import admin
from server.accounts import service as accounts
from server.kernel import audit, uow
from server.kernel.auth import ROLES
from server.kernel.console import bp, error_page, require_action, t
from server.kernel.errors import Conflict, ValidationFailed
from sync.protocol import ErrorCode

#: the acts on one user that ask again first (GET: the confirmation page, POST: the act)
ACTS = ("disable", "enable", "reset", "unlock")
CREATE_FIELDS = ("username", "display_name", "role", "jurisdiction", "password")


def _users_page(form: dict | None = None, errors: dict | None = None, status: int = 200):
    filters = {k: (request.args.get(k) or "").strip() for k in ("q", "role", "jurisdiction", "state")}
    rows = admin.list_users(**filters)
    return render_template("console/users.html", rows=rows, filters=filters, roles=ROLES, states=admin.USER_STATES,
                           jurisdictions=accounts.jurisdictions_in(g.console_user), form=form or {},
                           errors=errors or {}), status


@bp.route("/users/")
def users():
    """The users (?q= name, ?role=, ?jurisdiction= subtree, ?state=) and the create form."""
    require_action("user.list")
    return _users_page()


@bp.route("/users/create", methods=["POST"])
def create_user():
    """Create a user (admin.add_user); a refused form re-renders with 400 and its message."""
    require_action("user.manage")
    form = {k: (request.form.get(k) or "").strip() for k in CREATE_FIELDS}
    try:
        row = admin.add_user(g.console_user, **form)
    except ValidationFailed as exc:
        uow.rollback()
        form["password"] = ""
        return _users_page(form, {"create": exc.message}, 400)
    flash(t()["user_created_flash"].format(user=row["username"]), "success")
    return redirect(url_for("console.user", username=row["username"]))


def _user_page(username: str, *, errors: dict | None = None, password: str | None = None, status: int = 200):
    row = admin.get_user(username)
    return render_template("console/user.html", u=row, roles=ROLES, errors=errors or {}, password=password,
                           jurisdictions=accounts.jurisdictions_in(g.console_user),
                           own=row["id"] == g.console_user.user_id,
                           events=audit.recent(limit=50, target=username)), status


@bp.route("/users/<username>")
def user(username: str):
    """One user: facts, the edit form, the acts, their audit trail."""
    require_action("user.list")
    return _user_page(username)


@bp.route("/users/<username>/edit", methods=["POST"])
def edit_user(username: str):
    """Change role, jurisdiction and name (admin.change_user); refusals re-render with 400
    (403 page for the admin's own account)."""
    require_action("user.manage")
    form = {k: (request.form.get(k) or "").strip() for k in ("role", "jurisdiction", "display_name")}
    try:
        admin.change_user(g.console_user, username, **form)
    except ValidationFailed as exc:
        uow.rollback()
        return _user_page(username, errors={"edit": exc.message}, status=400)
    flash(t()["user_changed_flash"].format(user=username), "success")
    return redirect(url_for("console.user", username=username))


@bp.route("/users/<username>/<act>", methods=["GET", "POST"])
def user_act(username: str, act: str):
    """GET: the confirmation page of `act` (disable, enable, reset, unlock); POST: do it.
    A new password is shown once, on the page the POST answers. 404 for another act."""
    require_action("user.unlock" if act == "unlock" else "user.manage")
    if act not in ACTS:
        return error_page(404, ErrorCode.NOT_FOUND)
    row = admin.get_user(username)
    if request.method == "GET":
        return render_template("console/user_confirm.html", u=row, act=act,
                               own=row["id"] == g.console_user.user_id and act != "unlock")
    words = t()
    if act == "reset":
        password = admin.reset_password(g.console_user, username)
        return _user_page(username, password=password)
    if act == "unlock":
        cleared = accounts.unlock_user(g.console_user, username)
        flash(words["user_unlocked_flash"].format(user=username, n=cleared), "success")
    else:
        admin.set_disabled(g.console_user, username, act == "disable")
        flash(words[f"user_{act}d_flash"].format(user=username), "success")
    return redirect(url_for("console.user", username=username))


@bp.route("/jurisdictions/")
def jurisdictions():
    """The jurisdiction tree with each division's users, the add form and rename fields."""
    require_action("user.list")
    return _jurisdictions_page()


def _jurisdictions_page(form: dict | None = None, errors: dict | None = None, status: int = 200):
    return render_template("console/jurisdictions.html", rows=admin.jurisdiction_rows(), form=form or {},
                           errors=errors or {}), status


@bp.route("/jurisdictions/create", methods=["POST"])
def create_jurisdiction():
    """Add a division (admin.add_jurisdiction); refused: 400 with the message."""
    require_action("jurisdiction.manage")
    form = {k: (request.form.get(k) or "").strip() for k in ("code", "name", "parent")}
    try:
        row = admin.add_jurisdiction(g.console_user, **form)
    except (ValidationFailed, Conflict) as exc:
        uow.rollback()
        return _jurisdictions_page(form, {"create": exc.message}, 400)
    flash(t()["division_created_flash"].format(code=row["code"], name=row["name"]), "success")
    return redirect(url_for("console.jurisdictions"))


@bp.route("/jurisdictions/<code>/rename", methods=["POST"])
def rename_jurisdiction(code: str):
    """Rename a division; refused: 400 with the message. 404 for an unknown code."""
    require_action("jurisdiction.manage")
    try:
        admin.rename_jurisdiction(g.console_user, code, request.form.get("name") or "")
    except ValidationFailed as exc:
        uow.rollback()
        return _jurisdictions_page(errors={"rename": exc.message, "code": code}, status=400)
    flash(t()["division_renamed_flash"].format(code=code), "success")
    return redirect(url_for("console.jurisdictions"))
