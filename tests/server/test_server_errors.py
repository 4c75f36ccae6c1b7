"""One error body for every error; OpenAPI document and local Swagger UI."""
import pytest
from server_testkit import make_app

BODY_KEYS = {"status", "error", "message", "details"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('e') / 'e.db'}")

    @app.route("/api/v1/_boom")
    def boom():
        raise RuntimeError("secret internals")

    return app.test_client()


@pytest.mark.parametrize("method,path,kw,status,code", [
    ("GET", "/api/v1/nowhere", {}, 404, "not_found"),
    ("DELETE", "/api/v1/health", {}, 405, "method_not_allowed"),
    ("POST", "/api/v1/auth/login", {"data": "{not json", "content_type": "application/json"}, 400, "bad_request"),
    ("POST", "/api/v1/auth/login", {"json": {"username": 5}}, 400, "validation_failed"),
    ("POST", "/api/v1/auth/login", {"json": {"username": "admin", "password": "wrong-pass"}}, 401,
     "invalid_credentials"),
    ("GET", "/api/v1/sync/pull", {}, 401, "unauthorized"),
    ("GET", "/api/v1/sync/pull", {"headers": {"Authorization": "Bearer nope"}}, 401, "unauthorized"),
    ("GET", "/api/v1/health", {"headers": {"X-Gbfield-Protocol": "0"}}, 426, "client_too_old"),
    ("GET", "/api/v1/_boom", {}, 500, "internal_error"),
])
def test_every_error_has_the_one_body(client, method, path, kw, status, code):
    r = client.open(path, method=method, **kw)
    assert r.status_code == status
    assert set(r.json) == BODY_KEYS
    assert r.json["status"] == status and r.json["error"] == code
    assert "secret internals" not in r.get_data(as_text=True)


def test_validation_details_name_the_field(client):
    r = client.post("/api/v1/auth/login", json={"password": "x"})
    assert r.status_code == 400 and "username" in r.json["details"]


def test_openapi_document_is_valid_and_lists_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/sync/pull", "/api/v1/sync/push", "/api/v1/sync/digest", "/api/v1/devices/enrol",
                 "/api/v1/inspections/{inspection_id}/reviews", "/api/v1/auth/login"):
        assert path in doc["paths"]
    try:
        from openapi_spec_validator import validate
    except ImportError:
        return
    validate(doc)


def test_swagger_ui_is_served_locally_without_cdn(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/docs/static/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert client.get("/api/v1/docs/static/swagger-ui-bundle.js").status_code == 200
