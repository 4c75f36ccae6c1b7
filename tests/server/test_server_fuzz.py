"""Property-based fuzzing of the whole HTTP surface: bad input never gets a 500.

The API part loads the app's own OpenAPI document (`/api/v1/openapi.json`) with
schemathesis and runs every operation in-process (WSGI), once with an admin's user
token and once with an inspector's device token, in positive (documented) and negative
(violating) modes. Path parameters come both generated and filled with ids that exist in
the demo data, so the fuzzer reaches past the "not found" answers. Checks: no 5xx, the
status code, content type and response body are documented, and every 4xx carries the
one error body `{status, error, message, details}`.

Nothing is excluded from the schemathesis run. Bodies the OpenAPI document cannot
describe get dedicated properties below: push items (free-form `data`), tus headers
(tus is headers and a byte stream, not JSON), the protocol and Authorization headers,
and the public pages that take path input (resolver `/01/...`, `/s/...`, FAQ `/faq/...`).
Deterministic: derandomized Hypothesis, no example database.
"""
from __future__ import annotations

import base64
import logging
import uuid
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from server_testkit import dispose_app

from server import create_app
from server.kernel.extensions import db

pytestmark = pytest.mark.slow

API_EXAMPLES = 25          # per operation, per mode, per path-parameter source
PROPERTY_EXAMPLES = 60     # the hand-written properties below
PROTOCOL = {"X-Gbfield-Protocol": "1"}
INSPECTION_IDS = ("5f0c1a2e-0000-4000-8000-000000000001", "5f0c1a2e-0000-4000-8000-000000000002")
GTIN = "06901234567892"
ERROR_KEYS = {"status", "error", "message", "details"}


def fuzz_settings(n: int = API_EXAMPLES):
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """An app on a temp SQLite database holding the full demo data (with inspections)."""
    tmp = tmp_path_factory.mktemp("fuzz")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'fuzz.db'}", "TESTING": True,
                      "GBFIELD_BLOB_DIR": str(tmp / "blobs"), "GBFIELD_PUBLIC_URL": "http://gbfield.test",
                      "GBFIELD_PASSWORD_PROFILE": "cheapest-for-tests"})
    with app.app_context():
        db.create_all()
        from server.app.demo import load_demo
        load_demo()
    yield app
    dispose_app(app)


class Caller:
    """Fresh credentials on demand: an operation may revoke its own token (logout, revoke)."""

    def __init__(self, app, role: str):
        from server.app.demo import DEMO_PASSWORD
        self.client, self.role, self.password = app.test_client(), role, DEMO_PASSWORD

    def login(self, username: str = "admin") -> str:
        r = self.client.post("/api/v1/auth/login", headers=PROTOCOL,
                             json={"username": username, "password": self.password})
        assert r.status_code == 200, r.json
        return r.json["token"]

    def enrol(self, username: str = "insp_chaoyang") -> dict:
        """Enrol a device for `username`; returns the enrol answer (device_id, token)."""
        r = self.call("POST", "/api/v1/devices/enrolments", self.login(), json={"username": username})
        assert r.status_code == 201, r.json
        r = self.client.post("/api/v1/devices/enrol", headers=PROTOCOL,
                             json={"code": r.json["code"], "device_label": "fuzz", "platform": "android",
                                   "password": self.password})
        assert r.status_code == 201, r.json
        return r.json

    def token(self) -> str:
        """A new token of this caller's role (admin user token / inspector device token)."""
        return self.login() if self.role == "admin" else self.enrol()["token"]

    def call(self, method: str, path: str, token: str | None, **kw):
        headers = {**PROTOCOL, **kw.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(path, method=method, headers=headers, **kw)


def known_path_values(caller: Caller) -> dict[str, str]:
    """Path parameter values that exist in the demo data (so operations get past 404)."""
    admin = caller.login()
    r = caller.call("POST", "/api/v1/devices/enrolments", admin, json={"username": "insp_haidian"})
    upload = caller.call("POST", "/api/v1/uploads", caller.token(),
                         headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10",
                                  "Upload-Metadata": "sha256 " + base64.b64encode(b"1" * 64).decode()})
    assert upload.status_code == 201, upload.json
    values = {"inspection_id": INSPECTION_IDS[0], "gtin": GTIN, "code": r.json["code"],
              "device_id": caller.enrol("insp_haidian")["device_id"], "username": "expert",
              "upload_id": upload.headers["Location"].rsplit("/", 1)[-1], "kind": "thumb",
              "sha256": "0" * 64}
    question = str(uuid.uuid4())
    r = caller.call("POST", "/api/v1/sync/push", caller.enrol()["token"], json={"items": [
        {"mutation_id": str(uuid.uuid4()), "entity": "question", "id": question, "base_version": 0,
         "data": {"id": question, "text": "甲醛限值是否适用于婴幼儿围嘴？"}}]})
    assert r.json["results"][0]["status"] == "applied", r.json
    values["question_id"] = question
    with caller.client.application.app_context():
        from server.interpretations.models import InterpretationVersion
        first = db.session.execute(db.select(InterpretationVersion.interpretation_id).limit(1)).scalar()
        if first is not None:
            values["interpretation_id"] = str(first)
    return values


def error_body_shape(ctx, response, case):
    """Every 4xx answer carries `{status, error, message, details}` (not for HEAD: no body)."""
    if not 400 <= response.status_code < 500 or case.method.upper() == "HEAD":
        return None
    body = response.json()
    assert isinstance(body, dict) and set(body) == ERROR_KEYS, f"error body keys {sorted(body)}"
    assert body["status"] == response.status_code, body
    assert isinstance(body["error"], str) and body["error"], body
    assert isinstance(body["message"], str) and body["message"].strip(), body
    assert isinstance(body["details"], dict), body
    return True


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, error_body_shape]


def _strategies(operation, known: dict[str, str]):
    names = [p.name for p in operation.path_parameters]
    fixed = {n: known[n] for n in names if n in known}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        yield f"{mode.value}", operation.as_strategy(generation_mode=mode)
        if fixed:
            yield f"{mode.value}+known-ids", operation.as_strategy(generation_mode=mode, path_parameters=fixed)


def _property(operation, label: str, strategy, extra: dict, failures: list[str], ran: list[int]):
    """Return the Hypothesis test of one operation and strategy (failures are collected)."""
    @fuzz_settings()
    @given(case=strategy)
    def run(case):
        # plain answers: schemathesis reads WSGI bodies as they are (compression has its own tests)
        case.headers = {**(case.headers or {}), **extra, "Accept-Encoding": "identity"}
        ran[0] += 1
        try:
            case.call_and_validate(checks=CHECKS)
        except BaseException as exc:  # collect every failing operation, not the first
            if not isinstance(exc, KeyboardInterrupt):
                failures.append(f"{operation.label} [{label}]: {str(exc)[:1500]}")
            raise
    return run


def _fuzz_operation(caller: Caller, operation, known: dict[str, str], failures: list[str]) -> int:
    """Run every strategy of one operation with a fresh token; returns how many requests ran."""
    extra = {"Authorization": f"Bearer {caller.token()}", **PROTOCOL}
    if operation.path.startswith("/api/v1/uploads"):
        extra["Tus-Resumable"] = "1.0.0"   # without it every tus request stops at 412
    ran = [0]
    for label, strategy in _strategies(operation, known):
        try:
            _property(operation, label, strategy, extra, failures, ran)()
        except Unsatisfiable:
            # negative mode for an operation with nothing to violate (no parameters, or
            # only free strings): there is no invalid request to generate
            assert label.startswith("negative"), f"{operation.label} [{label}] generated nothing"
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            if not failures or operation.label not in failures[-1]:
                failures.append(f"{operation.label} [{label}]: {exc!r}"[:1500])
    return ran[0]


@pytest.mark.parametrize("role", ["admin", "inspector-device"])
def test_every_api_operation_survives_fuzzing(fuzz_app, role, caplog):
    caller = Caller(fuzz_app, "admin" if role == "admin" else "inspector")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)
    known = known_path_values(caller)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40, "the OpenAPI document lost operations"
    with caplog.at_level(logging.CRITICAL):
        counts = {op.label: _fuzz_operation(caller, op, known, failures) for op in operations}
    assert not failures, "\n\n".join(failures)
    assert all(n > 0 for n in counts.values()), {k: v for k, v in counts.items() if not v}


# ---- bodies and headers the OpenAPI document cannot describe --------------------------

JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))
INSPECTION = {"inspected_on": "2025-06-01", "jurisdiction": "110105", "company_name": "x",
              "credit_code": "91110105MA01ABCD00", "gtin": GTIN, "product_class": "A"}
FINDING = {"revision": 1, "indicator_id": "GB 18401-2010/4.1/formaldehyde/A", "measured": "15",
           "unit": "mg/kg", "device_verdict": {"outcome": "pass"}, "ruleset_version": "x"}
ITEM_KEYS = ("mutation_id", "entity", "id", "base_version", "data")


def _assert_error_or_ok(r, what):
    assert r.status_code < 500, (what, r.status_code, r.get_data(as_text=True)[:500])
    if r.status_code >= 400:
        body = r.get_json(silent=True)
        assert isinstance(body, dict) and set(body) == ERROR_KEYS, (what, r.get_data(as_text=True)[:300])


@pytest.fixture(scope="module")
def callers(fuzz_app):
    caller = Caller(fuzz_app, "admin")
    return caller, caller.login(), caller.enrol()["token"]


@fuzz_settings(PROPERTY_EXAMPLES)
@given(field=st.sampled_from([*INSPECTION, "id", "products", "position", "photos", "findings", "started_at"]),
       value=JUNK, item_key=st.sampled_from([*ITEM_KEYS, None]), item_value=JUNK,
       finding_field=st.sampled_from([*FINDING, "id", "inspection_id", "photos", "note"]), finding_value=JUNK)
def test_push_items_with_wrong_types_are_rejected_not_500(callers, field, value, item_key, item_value,
                                                          finding_field, finding_value):
    caller, admin, device = callers
    ident = str(uuid.uuid4())
    finding = {**FINDING, "id": str(uuid.uuid4()), finding_field: finding_value}
    data = {**INSPECTION, "id": ident, "findings": [finding], field: value}
    item = {"mutation_id": str(uuid.uuid4()), "entity": "inspection", "id": ident, "base_version": 0, "data": data}
    if item_key:
        item[item_key] = item_value
    for token in (admin, device):
        r = caller.call("POST", "/api/v1/sync/push", token, json={"items": [item]})
        _assert_error_or_ok(r, item)
    alone = {"mutation_id": str(uuid.uuid4()), "entity": "finding", "id": finding["id"], "base_version": 0,
             "data": {**finding, "inspection_id": INSPECTION_IDS[0]}}
    question = {"mutation_id": str(uuid.uuid4()), "entity": "question", "id": str(uuid.uuid4()),
                "base_version": 0, "data": {"text": value, field: finding_value}}
    r = caller.call("POST", "/api/v1/sync/push", admin, json={"items": [alone, question]})
    _assert_error_or_ok(r, (alone, question))


def _latin1_header(value: str | None) -> bool:
    if value is None:
        return False
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return not any(ch in value for ch in "\r\n\x00")


HEADER = st.one_of(st.none(), st.text(max_size=40), st.from_regex(r"-?[0-9]{1,25}", fullmatch=True),
                   st.sampled_from(["", " ", "0", "-1", "1e9", "0x10", "٣", "sha256 !!!", "sha1 AAAA",
                                    "filename dGVzdA==,filetype aW1hZ2UvanBlZw==", "filename ###",
                                    "sha256 " + base64.b64encode(b"a" * 64).decode()]))


# tus is headers plus a byte stream: schemathesis runs its operations with a valid
# Tus-Resumable header only; this property sends junk Upload-* headers and bodies.
@fuzz_settings(PROPERTY_EXAMPLES)
@given(length=HEADER, metadata=HEADER, offset=HEADER, checksum=HEADER,
       method=st.sampled_from(["HEAD", "PATCH", "DELETE"]), body=st.binary(max_size=64))
def test_tus_with_junk_headers_answers_4xx(callers, length, metadata, offset, checksum, method, body):
    caller, _, device = callers
    headers = {"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"}
    for name, value in (("Upload-Length", length), ("Upload-Metadata", metadata)):
        if _latin1_header(value):
            headers[name] = value
    r = caller.call("POST", "/api/v1/uploads", device, headers=headers)
    _assert_error_or_ok(r, headers)
    location = r.headers.get("Location") or "/api/v1/uploads/" + uuid.uuid4().hex
    for name, value in (("Upload-Offset", offset), ("Upload-Checksum", checksum)):
        if _latin1_header(value):
            headers[name] = value
    r = caller.call(method, location, device, headers=headers, data=body)
    assert r.status_code < 500, (method, headers, r.get_data(as_text=True)[:300])


@fuzz_settings(PROPERTY_EXAMPLES)
@given(protocol=st.text(max_size=30), auth=st.text(max_size=60))
def test_junk_protocol_and_authorization_headers_answer_4xx(callers, protocol, auth):
    caller = callers[0]
    for value in (f"Bearer {auth}", auth):
        headers = {name: v for name, v in (("X-Gbfield-Protocol", protocol), ("Authorization", value))
                   if _latin1_header(v)}
        r = caller.client.get("/api/v1/auth/me", headers=headers)
        _assert_error_or_ok(r, headers)
        assert r.status_code in (401, 426), r.json


# ---- public pages that take path input ------------------------------------------------

SEGMENT = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=400),          # very long
    st.text(alphabet=st.characters(categories=["Cc", "Co", "Zl"], codec="utf-8"), max_size=10),  # control chars
    st.from_regex(r"(%[0-9A-Fa-f]{2}|%[G-Zg-z]{0,2}|[0-9]{1,20}|/|;|\.\.|~)*", fullmatch=True))
PAGE_PREFIXES = ("/01/", "/01/06901234567892/", "/01/06901234567892/10/", "/s/", "/s/GB%2018401-2010/",
                 "/faq/", "/faq/?standard=")


@fuzz_settings(PROPERTY_EXAMPLES * 2)
@given(prefix=st.sampled_from(PAGE_PREFIXES), segment=SEGMENT, encode=st.booleans(),
       query=st.sampled_from(["", "?linkType=all", "?linkType=gs1:pip", "?linkType=%ff", "?linkType=gs1:",
                              "?standard=%00"]),
       accept=st.sampled_from(["text/html", "application/json", "application/linkset+json", "*/*"]))
def test_public_pages_never_500(callers, prefix, segment, encode, query, accept):
    caller = callers[0]
    path = prefix + (quote(segment, safe="") if encode else segment)
    r = caller.client.get(path + ("" if "?" in prefix else query), headers={"Accept": accept})
    assert r.status_code < 500, (path, query, r.get_data(as_text=True)[:300])
    if r.status_code >= 400:
        if r.mimetype == "application/json":
            assert set(r.get_json()) == ERROR_KEYS, r.get_data(as_text=True)[:300]
        else:
            assert r.mimetype == "text/html" and r.get_data(as_text=True).strip(), (path, r.mimetype)
