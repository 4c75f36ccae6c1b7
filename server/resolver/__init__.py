"""resolver: the public pages for products (GS1 Digital Link `/01/<gtin>…`) and the
project's standard links (`/s/<standard>[/<clause>]`), for consumers' phones, with no
login and nothing loaded from outside the server (templates and CSS are packaged here).
Registered at the site root; it reads the registry and the catalog through their services.
"""
from __future__ import annotations

from server.kernel.features import Feature
from server.resolver import routes  # noqa: F401  (attaches the views to bp)
from server.resolver.blueprint import bp

FEATURE = Feature("resolver", pages=(bp,))
