"""The resolver's blueprint (its views are in server.resolver.routes)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("resolver", __name__, template_folder="templates", static_folder="static",
               static_url_path="/resolver/static")
