"""sync.protocol.schema: one typed schema per pushed entity, field by field, with the
error code, the `details` text and a message in each language."""
import json
from pathlib import Path

import pytest

import sync.protocol
from assets.messages import LANGUAGES
from sync.protocol import (
    FINDING,
    INSPECTION,
    PUSHABLE_ENTITIES,
    QUESTION,
    RECORDS,
    SIGNATURE,
    TASK,
    ErrorCode,
    ProtocolError,
    PushItem,
    check_record,
)

CASES = Path(__file__).resolve().parents[2] / "protocol_cases" / "push_items.json"
PUSH = json.loads(CASES.read_text(encoding="utf-8"))
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def inspection(**extra):
    return {"id": "i1", "inspected_on": "2025-06-01", **extra}


def only_error(entity, data, **kw):
    checked = check_record(entity, data, **kw)
    assert len(checked.errors) == 1, checked.errors
    return checked.errors[0]


@pytest.mark.parametrize("extra, path, code, detail", [
    ({"company_name": ["x"]}, "data.company_name", "validation_failed", "must be a string"),
    ({"company_name": "厂" * 201}, "data.company_name", "validation_failed", "at most 200 characters"),
    ({"credit_code": "91110105MA01ABCD01"}, "data.credit_code", "invalid_credit_code", "checksum"),
    ({"credit_code": "12345"}, "data.credit_code", "invalid_credit_code", "format"),
    ({"gtin": "6901234567891"}, "data.gtin", "invalid_gtin", "checksum"),
    ({"gtin": "69012345"}, "data.gtin", "invalid_gtin", "checksum"),
    ({"gtin": "12"}, "data.gtin", "invalid_gtin", "format"),
    ({"gtin": 6901234567892}, "data.gtin", "validation_failed", "must be a string"),
    ({"inspected_on": "2025-13-45"}, "data.inspected_on", "validation_failed", "YYYY-MM-DD"),
    ({"manufactured_on": "去年"}, "data.manufactured_on", "validation_failed", "YYYY-MM-DD"),
    ({"started_at": "9点"}, "data.started_at", "validation_failed", "ISO 8601 date-time"),
    ({"position": {"lat": "x"}}, "data.position", "validation_failed", "{lat, lon}"),
    ({"position": {"lat": 91, "lon": 0}}, "data.position", "validation_failed", "out of range"),
    ({"position": {"lat": "NaN", "lon": 0}}, "data.position", "validation_failed", "out of range"),
    ({"photos": "abc"}, "data.photos", "validation_failed", "must be a list"),
    ({"photos": [SHA, "not-a-hash"]}, "data.photos.1", "validation_failed", "not a SHA-256"),
    ({"photos": [SHA] * 101}, "data.photos", "validation_failed", "at most 100 items"),
    ({"products": {"gtin": "1"}}, "data.products", "validation_failed", "must be a list"),
    ({"products": [{"gtin": "6901234567892"}, "x"]}, "data.products.1", "validation_failed", "must be an object"),
    ({"products": [{"gtin": "12"}]}, "data.products.0.gtin", "invalid_gtin", "format"),
    ({"findings": [{"id": "f", "indicator_id": "x", "measured": 1.5}]}, "data.findings.0.measured",
     "validation_failed", "must be a string"),
    ({"findings": [{"id": "f", "indicator_id": "x"}]}, "data.findings.0.measured", "validation_failed", "required"),
])
def test_inspection_field_errors(extra, path, code, detail):
    error = only_error("inspection", inspection(**extra))
    assert (error.path, error.code, error.detail) == (path, code, detail)
    for language in LANGUAGES:
        assert error.message(language).strip()
    assert error.message("zh-CN") != error.message("en")


def test_messages_name_the_field_and_the_expected_check_character():
    error = only_error("inspection", inspection(credit_code="91110105MA01ABCD01"))
    assert "统一社会信用代码校验位错误" in error.message() and "应为 0" in error.message()
    assert "should be 0" in error.message("en")
    error = only_error("inspection", inspection(gtin="6901234567891"))
    assert "应为 2，实为 1" in error.message() and "should be 2, got 1" in error.message("en")
    error = only_error("inspection", {**inspection(), "findings": [{"id": "f", "indicator_id": "x",
                                                                      "measured": "1", "unit": ["mg/kg"]}]})
    assert "data.findings.0.unit" in error.message() and "文本" in error.message()


def test_values_are_normalised_and_unknown_keys_kept():
    checked = check_record("inspection", inspection(
        credit_code="91110105ma01abcd00", photos=[SHA.upper(), {"sha256": SHA}],
        position={"lat": 39.9, "lon": "116.4"}, extra_field={"kept": True}))
    assert checked.ok
    assert checked.values["credit_code"] == "91110105MA01ABCD00"
    assert checked.values["photos"] == [SHA, SHA]
    assert checked.values["position"] == {"lat": "39.9", "lon": "116.4"}
    assert checked.values["extra_field"] == {"kept": True}
    assert INSPECTION.unknown(checked.values) == ["extra_field"]


@pytest.mark.parametrize("value", [None, ""])
def test_absent_null_and_empty_are_not_given(value):
    assert check_record("inspection", inspection(credit_code=value, gtin=value)).ok
    error = only_error("inspection", inspection(inspected_on=value))
    assert (error.path, error.detail) == ("data.inspected_on", "required")


def test_item_id_must_match():
    error = only_error("question", {"id": "q2", "text": "?"}, item_id="q1")
    assert (error.path, error.detail) == ("data.id", "must equal the item id")


@pytest.mark.parametrize("data, path, detail", [
    ({"id": "q", "text": "   "}, "data.text", "must not be blank"),
    ({"id": "q", "text": "问" * 4001}, "data.text", "at most 4000 characters"),
    ({"id": "q", "text": "?", "clause": {"n": 4}}, "data.clause", "must be a string"),
])
def test_question_field_errors(data, path, detail):
    error = only_error("question", data)
    assert (error.path, error.detail) == (path, detail)


@pytest.mark.parametrize("data, path, detail", [
    ({"revision": 0}, "data.revision", "must be an integer ≥ 1"),
    ({"revision": True}, "data.revision", "must be an integer ≥ 1"),
    ({"device_verdict": "pass"}, "data.device_verdict", "must be an object"),
    ({"measured": "1" * 61}, "data.measured", "at most 60 characters"),
    ({"product_class": ["A"]}, "data.product_class", "must be a string"),
])
def test_finding_field_errors(data, path, detail):
    base = {"id": "f", "inspection_id": "i", "revision": 1, "indicator_id": "x", "measured": "1"}
    error = only_error("finding", {**base, **data})
    assert (error.path, error.detail) == (path, detail)


def test_the_drift_is_resolved_in_the_schema():
    assert {"started_at", "ended_at", "products", "position", "photos", "findings"} <= set(INSPECTION.names)
    assert "product_class" in FINDING.names
    assert set(PUSHABLE_ENTITIES) == set(RECORDS) == {"inspection", "finding", "question", "signature", "order"}
    assert not hasattr(sync.protocol, "RECORD_FIELDS")   # no second view of the fields: read RECORDS
    assert QUESTION.required == ("id", "text")


@pytest.mark.parametrize("case", [c for c in PUSH["invalid"] if "error" in c], ids=lambda c: c["name"])
def test_shared_invalid_cases_carry_their_error_code(case):
    with pytest.raises(ProtocolError) as info:
        PushItem.from_json(case["item"])
    assert info.value.code == case["error"]
    assert info.value.errors and info.value.errors[0].code == case["error"]


def test_push_item_keeps_data_as_sent_and_values_normalised():
    item = PushItem.from_json({"mutation_id": "8f0c6a52-3a4b-4c1e-9d61-0d2b8f4a1e01", "entity": "inspection",
                               "id": "i1", "base_version": 0,
                               "data": inspection(credit_code="91110105ma01abcd00")})
    assert item.data["credit_code"] == "91110105ma01abcd00"
    assert item.values["credit_code"] == "91110105MA01ABCD00"
    assert item.to_json()["data"] == item.data


def test_every_error_code_of_the_schema_is_in_the_code_table():
    codes = {v for k, v in vars(ErrorCode).items() if k.isupper()}
    samples = [inspection(credit_code="1"), inspection(gtin="1"), inspection(company_name=1)]
    for data in samples:
        assert {e.code for e in check_record("inspection", data).errors} <= codes


# ---- 完成检查: what the tablet adds to an inspection and a finding, and signatures --------

COMPLETED = inspection(completed_at="2025-06-01T10:30:00+08:00", site="仓库二楼", record_hash=SHA.upper(),
                       party={"legal_representative": "张三", "opinion": "无异议"}, inspection_type="sampling",
                       officers=[{"name": "李四", "certificate_no": "11010012345"},
                                 {"name": "王五", "certificate_no": "11010012346"}],
                       position={"lat": 39.9087, "lon": 116.3975, "accuracy_m": 8.5,
                                 "fixed_at": "2025-06-01T09:00:00+08:00", "source": "gps"})


def test_a_completed_inspection_follows_the_schema_and_keeps_its_fix():
    checked = check_record("inspection", COMPLETED)
    assert checked.ok, checked.errors
    assert checked.values["record_hash"] == SHA
    assert checked.values["position"] == {"lat": "39.9087", "lon": "116.3975", "accuracy_m": 8.5,
                                          "fixed_at": "2025-06-01T09:00:00+08:00", "source": "gps"}
    assert checked.values["party"]["opinion"] == "无异议"


@pytest.mark.parametrize("extra, path, detail", [
    ({"completed_at": "下午"}, "data.completed_at", "ISO 8601 date-time"),
    ({"site": "位" * 301}, "data.site", "at most 300 characters"),
    ({"party": "张三"}, "data.party", "must be an object"),
    ({"party": {"phone": 138}}, "data.party.phone", "must be a string"),
    ({"officers": [{"name": "李四"}]}, "data.officers.0.certificate_no", "required"),
    ({"officers": [{"name": " ", "certificate_no": "1"}]}, "data.officers.0.name", "must not be blank"),
    ({"inspection_type": "raid"}, "data.inspection_type", "one of inspection, sampling"),
    ({"record_hash": "abc"}, "data.record_hash", "not a SHA-256"),
    ({"position": {"lat": 1, "lon": 2, "accuracy_m": -1}}, "data.position.accuracy_m", "a number 0–100000"),
    ({"position": {"lat": 1, "lon": 2, "accuracy_m": True}}, "data.position.accuracy_m", "a number 0–100000"),
])
def test_completion_field_errors(extra, path, detail):
    error = only_error("inspection", inspection(**extra))
    assert (error.path, error.detail) == (path, detail)
    assert path in error.message("zh-CN") and path in error.message("en")


def test_a_finding_names_its_sample_and_claimed_grade():
    base = {"id": "f", "inspection_id": "i", "revision": 1, "indicator_id": "x", "measured": "2"}
    assert check_record("finding", {**base, "sample": 2, "claimed_grade": "1级"}).ok
    assert only_error("finding", {**base, "sample": 0}).path == "data.sample"
    assert only_error("finding", {**base, "claimed_grade": "一" * 11}).path == "data.claimed_grade"


SIGNED = {"id": "s1", "inspection_id": "i1", "role": "party", "record_hash": SHA,
          "signed_at": "2025-06-01T10:30:00+08:00", "signer_name": "张三", "image": SHA}


def test_a_signature_follows_the_schema():
    assert SIGNATURE.required == ("id", "inspection_id", "role", "record_hash", "signed_at")
    assert check_record("signature", SIGNED, item_id="s1").ok
    refused = {**SIGNED, "image": None, "refused": True, "witness_name": "赵六", "witness_image": SHA}
    assert check_record("signature", refused).ok


@pytest.mark.parametrize("extra, path, detail", [
    ({"role": "boss"}, "data.role", "one of officer, party, witness"),
    ({"record_hash": None}, "data.record_hash", "required"),
    ({"image": "photo.png"}, "data.image", "not a SHA-256"),
    ({"refused": "yes"}, "data.refused", "true or false"),
    ({"signed_at": "now"}, "data.signed_at", "ISO 8601 date-time"),
])
def test_signature_field_errors(extra, path, detail):
    error = only_error("signature", {**SIGNED, **extra})
    assert (error.path, error.detail) == (path, detail)
    assert error.message("zh-CN") != error.message("en")


ORDER_OK = {"id": "o1", "inspection_id": "i1", "credit_code": "91110105ma01abcd00", "finding_ids": ["f1"],
            "requirement": "限期整改", "deadline": "2026-03-12"}


@pytest.mark.parametrize("data, path, detail", [
    ({**ORDER_OK, "finding_ids": "f1"}, "data.finding_ids", "must be a list"),
    ({**ORDER_OK, "finding_ids": [""]}, "data.finding_ids.0", "must be a string"),
    ({**ORDER_OK, "finding_ids": None}, "data.finding_ids", "required"),
    ({**ORDER_OK, "finding_ids": []}, "data.finding_ids", "at least 1 items"),
    ({**ORDER_OK, "requirement": "  "}, "data.requirement", "must not be blank"),
    ({**ORDER_OK, "deadline": "12/03/2026"}, "data.deadline", "YYYY-MM-DD"),
    ({**ORDER_OK, "credit_code": "91110105MA01ABCD01"}, "data.credit_code", "checksum"),
])
def test_order_field_errors(data, path, detail):
    error = only_error("order", data)
    assert (error.path, error.detail) == (path, detail)
    for language in LANGUAGES:
        assert error.message(language)


def test_an_order_is_normalised_and_a_task_checked():
    assert check_record("order", ORDER_OK).values["credit_code"] == "91110105MA01ABCD00"
    task = {"id": "t1", "kind": "planned", "state": "assigned", "enterprise": {"credit_code": "x"},
            "inspectors": ["JC1"], "items": [{"id": "a", "name": "b"}], "due": "2026-04-01"}
    assert TASK.check(task).ok
    assert [e.path for e in TASK.check({**task, "inspectors": "JC1"}).errors] == ["data.inspectors"]
    cancelled = {**task, "state": "cancelled", "cancel_reason": "企业已注销"}
    assert TASK.check(cancelled).ok
    assert [e.path for e in TASK.check({**cancelled, "cancel_reason": "x" * 501}).errors] == ["data.cancel_reason"]
    products = {**task, "products": [{"gtin": "06901234567892", "name": "婴儿纯棉连体衣"}]}
    assert TASK.check(products).ok
    assert TASK.check({**products, "products": [{"gtin": "06901234567893"}]}).errors[0].path.startswith("data.products")
