"""The public resolver: GS1 Digital Link pages for products (`/01/<gtin>…`) and the
project's standard links (`/s/<standard>[/<clause>]`), for consumers' phones, with no
login and nothing loaded from outside the server (templates and CSS are packaged here).

Register on the app at the site root: `app.register_blueprint(server.resolver.bp)`.
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("resolver", __name__, template_folder="templates", static_folder="static",
               static_url_path="/resolver/static")

from server.resolver import routes  # noqa: F401  (attaches the views to bp)

__all__ = ["bp"]
