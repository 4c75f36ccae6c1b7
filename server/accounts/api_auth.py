"""Login / logout / who am I."""
from __future__ import annotations

from flask_smorest import Blueprint

from server.accounts import service as accounts
from server.accounts.models import User
from server.accounts.schemas import (
    AuditEventSchema,
    LoginSchema,
    TokenSchema,
    UnlockedSchema,
    UserSchema,
)
from server.kernel import audit
from server.kernel.access import allow
from server.kernel.auth import current_principal
from server.kernel.errors import InvalidCredentials
from server.kernel.extensions import db
from server.kernel.http_errors import ErrorSchema
from server.kernel.uow import unit_of_work

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="User login tokens")


@blp.route("/login", methods=["POST"])
@blp.arguments(LoginSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, schema=ErrorSchema, description="wrong username or password")
@blp.alt_response(429, schema=ErrorSchema,
                  description="too many wrong passwords: locked for a while (Retry-After header)")
def login(body):
    """Exchange username + password for a user token (repeated wrong passwords lock the
    user's logins for GBFIELD_LOGIN_LOCK_MINUTES)."""
    with unit_of_work(commit_on=(InvalidCredentials,)):   # a wrong password is counted all the same
        return accounts.login(body["username"], body["password"])


@blp.route("/logout", methods=["POST"])
@allow("account.self")
@blp.response(204)
def logout():
    """Revoke the token of this request."""
    accounts.revoke_token(current_principal().token_id)


@blp.route("/users/<username>/unlock", methods=["POST"])
@allow("user.unlock")
@blp.response(200, UnlockedSchema)
def unlock(username):
    """Clear a user's login locks (an admin; `gbfield users unlock NAME` does the same)."""
    return {"username": username, "cleared": accounts.unlock_user(current_principal(), username)}


@blp.route("/audit")
@allow("audit.read")
@blp.response(200, AuditEventSchema(many=True))
def audit_log():
    """The newest 200 events of the append-only audit log (admins)."""
    return audit.recent(limit=200)


@blp.route("/me")
@allow("account.self")
@blp.response(200, UserSchema)
def me():
    """The caller's user."""
    return accounts.user_json(db.session.get(User, current_principal().user_id))
