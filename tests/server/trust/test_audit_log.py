"""The append-only audit log: administrative acts and original-photo reads are recorded
in the act's transaction, listed to admins (API and console), refused to others, and the
database refuses to change or delete a row."""
import re

import pytest
from server_testkit import PASSWORD, Api, dispose_app, make_app
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from server.accounts.service import principal_of
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work
from server.photos import service as photos
from server.photos.samples import make_photo


@pytest.fixture
def api(db_url):
    app = make_app(db_url)
    yield Api(app)
    dispose_app(app)


def test_admin_acts_and_evidence_reads_are_logged_and_shown_to_admins(api):
    data = make_photo(320, 240)
    with api.app.app_context(), unit_of_work():
        sha = photos.store_photo(data, photos.hashlib.sha256(data).hexdigest(), principal_of("insp_chaoyang")).sha256
    assert api.call("POST", "/api/v1/devices/enrolments", "sup_chaoyang", json={"username": "insp_chaoyang"}).status_code == 201
    assert api.call("GET", f"/api/v1/photos/{sha}/original", "sup_chaoyang").status_code == 200
    assert api.call("POST", f"/api/v1/photos/{sha}/publish", "sup_chaoyang").status_code == 200
    assert api.call("POST", "/api/v1/auth/users/insp_haidian/unlock", "admin").status_code == 200
    r = api.call("GET", "/api/v1/auth/audit", "admin")
    assert r.status_code == 200
    acts = [(e["actor"], e["action"], e["target"]) for e in r.json]
    assert acts == [("admin", "user.unlock", "insp_haidian"), ("sup_chaoyang", "photo.publish", sha),
                    ("sup_chaoyang", "photo.read_original", sha), ("sup_chaoyang", "device.enrol", "insp_chaoyang")]
    assert api.call("GET", "/api/v1/auth/audit", "sup_chaoyang").status_code == 403
    client = api.app.test_client()
    html = client.get("/console/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    client.post("/console/login", data={"csrf_token": csrf, "username": "admin", "password": PASSWORD})
    page = client.get("/console/audit/").get_data(as_text=True)
    assert "审计日志" in page and "查看照片原图" in page and sha in page


def test_the_database_refuses_to_change_the_log(api):
    with api.app.app_context(), unit_of_work():
        from server.kernel import audit
        audit.record(None, "export", "x")
    with api.app.app_context():
        for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(DatabaseError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1
