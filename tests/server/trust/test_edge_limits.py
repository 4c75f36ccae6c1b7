"""Edge limits (issue 12 findings 3, 4, 5, 7): body size 413, JSON depth 400 naming where,
a lone surrogate or control character rejects only its item, security headers on HTML."""
import json

import pytest
from server_testkit import Api, dispose_app, inspection_item, make_app


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('edge') / 'e.db'}")
    yield Api(app)
    dispose_app(app)


def test_finding3_a_huge_note_is_refused_413_before_it_is_stored(api):
    item = inspection_item(note="x" * (3 * 1024 * 1024))
    r = api.push([item], "insp_chaoyang")
    assert r.status_code == 413, r.json
    assert r.json["error"] == "payload_too_large"
    assert api.call("GET", f"/api/v1/inspections/{item['id']}", "insp_chaoyang").status_code == 404


def test_finding3_photo_check_refuses_a_huge_body(api):
    hashes = ["a" * 64] * 60_000   # ~4 MB of hashes
    r = api.call("POST", "/api/v1/photos/check", "insp_chaoyang", json={"hashes": hashes})
    assert r.status_code == 413


def test_body_limit_is_configurable(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'c.db'}", GBFIELD_MAX_BODY_BYTES=1000)
    try:
        r = Api(app).push([inspection_item(note="y" * 2000)], "insp_chaoyang")
        assert r.status_code == 413
    finally:
        dispose_app(app)


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/sync/push", "/api/v1/photos/check"])
def test_finding4_deep_json_answers_400_not_500(api, path):
    body = "[" * 50_000 + "]" * 50_000
    who = None if path.endswith("login") else "insp_chaoyang"
    r = api.call("POST", path, who, data=body, content_type="application/json")
    assert r.status_code == 400, r.data[:300]
    assert r.json["error"] == "validation_failed"
    assert "body" in r.json["message"]


def test_json_depth_names_the_place(api):
    nested: dict = {"x": 1}
    for _ in range(40):
        nested = {"a": nested}
    r = api.call("POST", "/api/v1/auth/login", data=json.dumps({"username": nested}),
                 content_type="application/json", headers={"Accept-Language": "en"})
    assert r.status_code == 400
    path = next(iter(r.json["details"]))
    assert path.startswith("body.username.a.a")
    assert "nested too deeply" in r.json["message"]


@pytest.mark.parametrize("field,value", [
    ("note", "bad \ud800 text"), ("company_name", "nul\x00byte"), ("address", "bell\x07"),
    ("unknown_key", "\udfff"), ("device_verdict_like", {"deep": [[[[[[[[[["x"]]]]]]]]]]}),
])
def test_finding5_a_hostile_text_rejects_only_its_item(api, field, value):
    bad = inspection_item(**{field: value})
    good = inspection_item()
    body = json.dumps({"items": [bad, good]})     # ensure_ascii: lone surrogates travel as \ud800
    r = api.call("POST", "/api/v1/sync/push", "insp_chaoyang", data=body, content_type="application/json",
                 headers={"Accept-Language": "en"})
    assert r.status_code == 200, r.data[:500]
    first, second = r.json["results"]
    assert first["status"] == "rejected" and first["error"] == "validation_failed"
    assert first["message"]
    assert second["status"] == "applied"


def test_nan_in_a_finding_verdict_is_rejected(api):
    bad = inspection_item(findings=[{"id": "f-nan", "indicator_id": "GB 18401-2010/4.1/formaldehyde/A",
                                     "measured": "1", "device_verdict": {"outcome": "pass", "x": float("nan")}}])
    r = api.call("POST", "/api/v1/sync/push", "insp_chaoyang", data=json.dumps({"items": [bad]}),
                 content_type="application/json")
    assert r.status_code == 200
    assert r.json["results"][0]["status"] == "rejected"


@pytest.mark.parametrize("path", ["/console/login", "/api/v1/docs", "/01/06901234567892"])
def test_finding7_security_headers_on_html_pages(api, path):
    r = api.client.get(path)
    assert r.mimetype == "text/html", (path, r.status_code)
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
