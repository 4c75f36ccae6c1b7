"""The OpenAPI document says what the app answers (mismatches found by the fuzz test):
argument errors are 400 (not flask-smorest's 422), pass-through records allow extra
keys, tus and photo routes document their success status and content."""


def _doc(api):
    r = api.client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.json


def test_validation_errors_documented_as_400_never_422(api):
    doc = _doc(api)
    operations = [(p, m, op) for p, ops in doc["paths"].items() for m, op in ops.items() if m != "parameters"]
    assert not [(p, m) for p, m, op in operations if "422" in op["responses"]]
    assert "400" in doc["paths"]["/api/v1/auth/login"]["post"]["responses"]
    r = api.client.post("/api/v1/auth/login", json={"username": ""})
    assert r.status_code == 400 and r.json["error"] == "validation_failed"


def test_pass_through_records_document_extra_keys(api):
    schemas = _doc(api)["components"]["schemas"]
    assert schemas["Inspection"]["additionalProperties"] is True
    assert schemas["Question"]["additionalProperties"] is True


def test_tus_and_photo_success_answers_are_documented(api):
    paths = _doc(api)["paths"]
    assert set(paths["/api/v1/uploads/{upload_id}"]["patch"]["responses"]) == {"204", "default"}
    assert set(paths["/api/v1/uploads"]["post"]["responses"]) == {"201", "default"}
    thumb = paths["/api/v1/photos/{sha256}/{kind}"]["get"]["responses"]["200"]
    assert list(thumb["content"]) == ["image/jpeg"]
