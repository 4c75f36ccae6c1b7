"""Login / logout / who am I."""
from __future__ import annotations

from flask_smorest import Blueprint

from server.auth import current_principal, require_role
from server.errors import ErrorSchema
from server.extensions import db
from server.models.accounts import User
from server.schemas.accounts import LoginSchema, TokenSchema, UserSchema
from server.services import accounts

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
    result = accounts.login(body["username"], body["password"])
    db.session.commit()
    return result


@blp.route("/logout", methods=["POST"])
@require_role()
@blp.response(204)
def logout():
    """Revoke the token of this request."""
    accounts.revoke_token(current_principal().token_id)
    db.session.commit()


@blp.route("/me")
@require_role()
@blp.response(200, UserSchema)
def me():
    """The caller's user."""
    return accounts.user_json(db.session.get(User, current_principal().user_id))
