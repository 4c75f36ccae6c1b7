"""Helpers for the registry and resolver tests: an app with both blueprints registered
(whether or not the lead has wired them into create_app yet) and the demo products."""
from __future__ import annotations

from assets.registry import DEMO_CSV
from server.kernel.extensions import db

BABY = "06901234567892"          # 婴儿纯棉连体衣 (GB 18401 A + GB 31701)
EBIKE = "06920000000012"         # 电动自行车 (GB 17761)
WATER = "06941234560011"         # 饮用纯净水 (GB 2762 + GB 5749)
UNKNOWN = "06900000000014"       # valid check digit, not registered


def register_blueprints(app) -> None:
    """Register the registry API and the resolver on `app` unless already registered."""
    if "products" not in app.blueprints:
        from server.registry.api import blp
        app.extensions["gbfield_api"].register_blueprint(blp)
    if "resolver" not in app.blueprints:
        import server.resolver
        app.register_blueprint(server.resolver.bp)


def import_demo(app) -> dict:
    """Import assets/registry/demo_products.csv; returns the report."""
    from server.registry.service import import_csv

    with app.app_context():
        report = import_csv(None, DEMO_CSV.read_bytes(), source="demo_products.csv")
        db.session.commit()
    return report


def registry_app(url: str):
    """Return a test app (server_testkit.make_app) with blueprints and demo products."""
    try:
        from server_testkit import make_app
    except ImportError:  # imported from outside tests/server (e.g. tests/sync)
        from tests.server.server_testkit import make_app

    app = make_app(url)
    register_blueprints(app)
    import_demo(app)
    return app
