"""site: the public site around the resolver and the FAQ — the home page at `/` that
explains the product and links every public page, the public search (`/search`) over
standards, products and published interpretations, and the error page a person's browser
gets for any path outside the API (`server.kernel.errors` answers JSON to machines).

No login, nothing loaded from outside the server; it reads the other features through
their service modules and draws its pages with the resolver's public templates.
"""
from __future__ import annotations

from flask import Flask

from server.kernel.features import Feature
from server.kernel.http_errors import HTML_ERROR_PAGE
from server.site import routes
from server.site.errors import error_page


def _setup(app: Flask) -> None:
    app.extensions[HTML_ERROR_PAGE] = error_page


FEATURE = Feature("site", pages=(routes.bp,), setup=_setup)
