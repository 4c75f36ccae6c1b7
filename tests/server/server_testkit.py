"""Helpers for the server tests (imported by conftest and the test modules)."""
from __future__ import annotations

import uuid
from datetime import date

from server import create_app
from server.kernel.extensions import db

PASSWORD = "test-password-1"


def make_app(url: str, **overrides):
    """Return an app on `url` with the schema created and the demo world (no inspections)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                      "GBFIELD_PUBLIC_URL": "http://gbfield.test",
                      "GBFIELD_PASSWORD_PROFILE": "cheapest-for-tests", **overrides})
    with app.app_context():
        db.create_all()
        from server.app import demo
        demo.seed_jurisdictions()
        demo.seed_users(PASSWORD)
        import assets
        from server.catalog.importer import import_catalog
        import_catalog(assets.load_catalog(), source="test", effective_from=date(2000, 1, 1))
        demo.seed_products()
        db.session.commit()
    return app


def dispose_app(app) -> None:
    """Close an app's sessions and database connections (fixture teardown), so PostgreSQL
    test databases can be dropped and SQLite files closed."""
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


class Api:
    """Test helper: tokens per user, JSON calls with the protocol header."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.tokens: dict[str, str] = {}

    def login(self, username: str) -> str:
        if username not in self.tokens:
            r = self.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.json
            self.tokens[username] = r.json["token"]
        return self.tokens[username]

    def device(self, username: str, supervisor: str = "admin") -> str:
        """Enrol a device for `username`; returns the device token."""
        r = self.call("POST", "/api/v1/devices/enrolments", supervisor, json={"username": username})
        assert r.status_code == 201, r.json
        r = self.client.post("/api/v1/devices/enrol", json={"code": r.json["code"], "device_label": "t",
                                                            "password": PASSWORD})
        assert r.status_code == 201, r.json
        return r.json["token"]

    def call(self, method: str, path: str, who: str | None = None, *, token: str | None = None, **kw):
        headers = kw.pop("headers", {})
        headers.setdefault("X-Gbfield-Protocol", "1")
        if token is None and who is not None:
            token = self.login(who)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(path, method=method, headers=headers, **kw)

    def push(self, items, who: str | None = None, *, token: str | None = None):
        return self.call("POST", "/api/v1/sync/push", who, token=token, json={"items": items})

    def pull(self, who: str | None = None, *, token: str | None = None, since=0, limit=1000, entities=None):
        q = f"/api/v1/sync/pull?since={since}&limit={limit}" + (f"&entities={entities}" if entities else "")
        return self.call("GET", q, who, token=token)


def uid() -> str:
    return str(uuid.uuid4())


FORMALDEHYDE_A = "GB 18401-2010/4.1/formaldehyde/A"
GOOD_CREDIT = "91110105MA01ABCD00"


def inspection_item(ident=None, *, jurisdiction="110105", findings=(), base_version=0, mutation_id=None, **extra):
    """Return a push item creating (or editing) an inspection."""
    ident = ident or uid()
    data = {"id": ident, "inspected_on": "2025-06-01", "jurisdiction": jurisdiction,
            "company_name": "北京示例婴童服饰有限公司", "credit_code": GOOD_CREDIT, "gtin": "06901234567892",
            "product_class": "A", "findings": list(findings), **extra}
    return {"mutation_id": mutation_id or uid(), "entity": "inspection", "id": ident,
            "base_version": base_version, "data": data}


def finding(ident=None, *, measured="15", outcome="pass", revision=1, indicator=FORMALDEHYDE_A, **extra):
    return {"id": ident or uid(), "revision": revision, "indicator_id": indicator, "measured": measured,
            "unit": "mg/kg", "device_verdict": {"outcome": outcome}, "ruleset_version": "x", **extra}


def finding_item(inspection_id, f, *, mutation_id=None):
    data = {**f, "inspection_id": inspection_id}
    return {"mutation_id": mutation_id or uid(), "entity": "finding", "id": data["id"],
            "base_version": data["revision"] - 1, "data": data}
