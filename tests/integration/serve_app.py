"""Run the real gbfield server for the integration tests and benches.

    python tests/integration/serve_app.py --db URL --port-file F [--catalog real|synthetic:N|none]

Creates the tables, seeds demo users and a catalog once (idempotent: a restart on the same
database keeps everything), then serves on 127.0.0.1 with a free port (werkzeug, threaded)
and writes the port to --port-file when ready.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PASSWORD = "demo-password-1"
USERS = (  # username, role, jurisdiction
    ("li", "inspector", "110105"), ("wang", "inspector", "110105"), ("chen", "inspector", "110105"),
    ("zhao", "supervisor", "110100"), ("admin", "admin", "110000"),
)


def load_catalog_spec(spec: str):
    """Return a rules Catalog for 'real', 'synthetic:N', or None for 'none'."""
    from assets import load_catalog

    if spec == "none":
        return None
    if spec == "real":
        return load_catalog()
    n = int(spec.split(":", 1)[1])
    from assets.synthetic import generate

    standards = generate(standards=max(1, n // 40), indicators=n, seed=1)
    path = Path(tempfile.mkdtemp()) / "synthetic.json"
    path.write_text(json.dumps({"standards": standards}, ensure_ascii=False), encoding="utf-8")
    return load_catalog([path])


def seed(app, catalog_spec: str) -> None:
    """Migrate the database (alembic upgrade head), create jurisdictions, users and the catalog unless already there."""
    from cli.server import upgrade_database
    from server.accounts import service as accounts
    from server.accounts.models import User
    from server.kernel.extensions import db

    upgrade_database(app)  # the migrations `gbfield serve` / `gbfield db upgrade` apply
    with app.app_context():
        if db.session.execute(db.select(User.id)).first():
            return
        accounts.ensure_jurisdiction("110000", "北京市")
        accounts.ensure_jurisdiction("110100", "北京市市辖区", "110000")
        accounts.ensure_jurisdiction("110105", "朝阳区", "110100")
        for name, role, code in USERS:
            accounts.create_user(name, PASSWORD, role, code)
        db.session.commit()
        catalog = load_catalog_spec(catalog_spec)
        if catalog is not None:
            from server.catalog.importer import import_catalog

            import_catalog(catalog, source=catalog_spec)
            db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--catalog", default="real")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.db
    from werkzeug.serving import make_server

    from server import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.db})
    seed(app, args.catalog)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    httpd = make_server("127.0.0.1", args.port, app, threaded=True)
    tmp = args.port_file + ".tmp"
    Path(tmp).write_text(str(httpd.server_port))
    os.replace(tmp, args.port_file)
    httpd.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
