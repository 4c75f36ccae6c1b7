"""accounts: jurisdictions, users and roles, passwords, login tokens, tablets (enrolment by
QR code, revocation), notifications for users, and the token check every request runs.
Public service: `server.accounts.service`."""
from __future__ import annotations

from flask import Blueprint, Flask

from server.accounts import (  # noqa: F401
    api_auth,
    api_devices,
    console_audit,
    console_auth,
    console_devices,
    console_users,
    models,
)
from server.accounts.service import authenticate_token
from server.kernel.auth import install_authenticator
from server.kernel.features import Feature


def _setup(app: Flask) -> None:
    install_authenticator(app, authenticate_token)


FEATURE = Feature("accounts", api=(api_auth.blp, api_devices.blp),
                  pages=(Blueprint("accounts_pages", __name__, template_folder="templates"),),
                  setup=_setup)
