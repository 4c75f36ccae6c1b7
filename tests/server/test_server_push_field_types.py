"""Regression (found by tests/server/test_server_fuzz.py): push items whose ids or text
fields are lists/objects were a 500 (unhashable ids in the batch loader, a list unit in
the rules engine); they are now that item's `rejected` answer, and the other items of the
batch are still applied."""
import pytest
from server_testkit import finding, finding_item, inspection_item, uid

from server.inspections.models import Inspection
from server.kernel.extensions import db

DEMO_INSPECTION = "5f0c1a2e-0000-4000-8000-000000000001"


@pytest.fixture
def token(api):
    return api.device("insp_chaoyang")


def _results(r):
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.json["results"]


@pytest.mark.parametrize("bad", [[1, 2], {"a": 1}])
@pytest.mark.parametrize("where", ["item id", "inspection field", "finding id", "finding unit",
                                   "finding indicator", "finding ruleset"])
def test_wrong_type_rejects_the_item_not_the_batch(api, token, where, bad):
    f = finding()
    item = inspection_item(findings=[f])
    if where == "item id":
        item["id"] = bad
    elif where == "inspection field":
        item["data"]["company_name"] = bad
    else:
        key = {"finding id": "id", "finding unit": "unit", "finding indicator": "indicator_id",
               "finding ruleset": "ruleset_version"}[where]
        f[key] = bad
    good = inspection_item()
    results = _results(api.push([item, good], token=token))
    assert results[0]["status"] == "rejected" and results[0]["error"] == "validation_failed", results[0]
    assert results[0]["message"]
    assert results[1]["status"] == "applied"
    with api.app.app_context():
        assert db.session.get(Inspection, good["id"]) is not None


@pytest.mark.parametrize("key, bad", [("unit", ["mg/kg"]), ("indicator_id", {"x": 1}),
                                      ("device_verdict", "pass"), ("inspection_id", [1])])
def test_finding_item_with_wrong_type_is_rejected(api, token, key, bad):
    ident = inspection_item()
    assert _results(api.push([ident], token=token))[0]["status"] == "applied"
    item = finding_item(ident["id"], finding())
    item["data"][key] = bad
    result = _results(api.push([item], token=token))[0]
    assert result["status"] == "rejected", result
    assert key in " ".join(result.get("details", {})) or key in result["message"], result


def test_field_type_message_names_the_field(api, token):
    item = inspection_item(findings=[finding(unit=["mg/kg"])])
    result = _results(api.push([item], token=token))[0]
    assert result["details"] == {"data.findings.0.unit": ["must be a string"]}
    assert "data.findings.0.unit" in result["message"] and "文本" in result["message"]


def test_question_with_object_text_is_rejected(api, token):
    ident = uid()
    q = {"mutation_id": uid(), "entity": "question", "id": ident, "base_version": 0,
         "data": {"id": ident, "text": "甲醛？", "clause": {"n": 4}}}
    result = _results(api.push([q], token=token))[0]
    assert result["status"] == "rejected" and "data.clause" in result["details"], result
