"""verify() re-runs a published draw: an untouched draw matches; changing any one input
(or the result, the seed, the commitment) is caught and the report says what differs."""
from __future__ import annotations

import copy
import json

import pytest
from conftest import SEED

from sampling import DrawFormatError, run_draw, verify
from sampling.canonical import sha256_hex


@pytest.fixture
def doc(plan, directory, roster):
    target_history = {}
    return json.loads(json.dumps(run_draw(plan, directory, roster, target_history, SEED), ensure_ascii=False))


def test_untouched_draw_matches(doc):
    report = verify(doc)
    assert report.matches, report.lines()
    assert report.targets == len(doc["result"]["targets"]) == 12
    assert report.lines()[0].startswith("一致")


def _first_target(doc):
    return doc["result"]["targets"][0]


def _drawn(doc):
    return {t["credit_code"] for t in doc["result"]["targets"]}


def change_directory_risk(doc):
    entry = next(e for e in doc["inputs"]["directory"] if e["credit_code"] not in _drawn(doc))
    entry["risk_class"] = "D" if entry["risk_class"] != "D" else "A"


def change_directory_drop(doc):
    doc["inputs"]["directory"] = [e for e in doc["inputs"]["directory"]
                                  if e["credit_code"] != _first_target(doc)["credit_code"]]


def change_roster_conflict(doc):
    target = _first_target(doc)
    inspector = next(i for i in doc["inputs"]["roster"] if i["code"] == target["inspectors"][0])
    inspector["conflicts"] = [target["credit_code"]]


def change_roster_competence(doc):
    doc["inputs"]["roster"][0]["competences"] = ["food"]


def change_history(doc):
    target = _first_target(doc)
    doc["inputs"]["history"] = [{"credit_code": target["credit_code"], "inspectors": target["inspectors"][:1]}]


def change_items(doc):
    doc["plan"]["items"][0]["competence"] = "food"


def change_ratio(doc):
    doc["plan"]["allocation"]["ratio"] = "0.3"


def change_override(doc):
    doc["plan"]["allocation"]["overrides"] = []


def change_strata(doc):
    doc["plan"]["strata"] = ["jurisdiction"]
    doc["plan"]["allocation"]["overrides"] = []


def change_scope(doc):
    doc["plan"]["scope"]["jurisdictions"] = ["110105"]


def change_per_target(doc):
    doc["plan"]["inspectors_per_target"] = 3


def change_algorithm(doc):
    doc["algorithm"] = "gbfield-draw/0"


def change_seed(doc):
    doc["seed"] = "1e" * 32


def change_result_target(doc):
    drawn = _drawn(doc)
    doc["result"]["targets"][0]["credit_code"] = next(e["credit_code"] for e in doc["inputs"]["directory"]
                                                      if e["credit_code"] not in drawn)


def change_result_inspector(doc):
    spare = next(i["code"] for i in doc["inputs"]["roster"] if i["code"] not in _first_target(doc)["inspectors"])
    _first_target(doc)["inspectors"][0] = spare


def change_result_exclusion(doc):
    _first_target(doc)["excluded"] = []
    _first_target(doc)["excluded"].append({"inspector": "JC001", "reason": "conflict"})


def change_commitment(doc):
    doc["commitment"]["roster_sha256"] = "0" * 64


def change_input_and_its_digest(doc):
    """The forger recomputes the digest too: the commitment digest published before the draw
    no longer fits (checked in the test with expected_commitment)."""
    change_directory_risk(doc)
    doc["commitment"]["directory_sha256"] = sha256_hex(doc["inputs"]["directory"])
    doc["commitment_sha256"] = sha256_hex(doc["commitment"])


CHANGES = {
    "directory: a risk class": (change_directory_risk, "directory_sha256"),
    "directory: an enterprise removed": (change_directory_drop, "directory_sha256"),
    "roster: a conflict of interest": (change_roster_conflict, "roster_sha256"),
    "roster: a competence": (change_roster_competence, "roster_sha256"),
    "history: the last inspectors": (change_history, "history_sha256"),
    "plan: an item": (change_items, "plan_sha256"),
    "plan: the ratio": (change_ratio, "plan_sha256"),
    "plan: a stratum ratio": (change_override, "plan_sha256"),
    "plan: the strata": (change_strata, "plan_sha256"),
    "plan: the scope": (change_scope, "plan_sha256"),
    "plan: inspectors per target": (change_per_target, "plan_sha256"),
    "the algorithm version": (change_algorithm, "algorithm"),
    "the seed": (change_seed, "seed"),
    "result: a target": (change_result_target, "target "),
    "result: an inspector": (change_result_inspector, "target "),
    "result: an exclusion": (change_result_exclusion, "target "),
    "the commitment": (change_commitment, "roster_sha256"),
    "an input and its digest": (change_input_and_its_digest, "commitment_sha256"),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_changed_input_is_caught(doc, name):
    change, part = CHANGES[name]
    published_before = doc["commitment_sha256"]
    changed = copy.deepcopy(doc)
    change(changed)
    report = verify(changed, expected_commitment=published_before)
    assert not report.matches
    assert any(d.part.startswith(part) for d in report.differences), [d.part for d in report.differences]
    assert report.lines()[0].startswith("不一致")
    json.dumps(report.to_dict(), ensure_ascii=False)


def test_changed_input_is_caught_by_the_rerun_alone(doc):
    """Even with every digest recomputed to fit, the re-run exposes a result that the
    published inputs do not give."""
    changed = copy.deepcopy(doc)
    change_roster_conflict(changed)
    changed["commitment"]["roster_sha256"] = sha256_hex(changed["inputs"]["roster"])
    changed["commitment_sha256"] = sha256_hex(changed["commitment"])
    report = verify(changed)
    assert [d.part for d in report.differences] == [f"target {_first_target(doc)['credit_code']}"]


@pytest.mark.parametrize("bad", [None, [], {"format": "other"}, {"format": "gbfield-draw"}])
def test_not_a_draw_document(bad):
    with pytest.raises(DrawFormatError):
        verify(bad)


def test_malformed_inputs_are_a_difference_not_a_crash(doc):
    changed = copy.deepcopy(doc)
    changed["inputs"]["directory"][0] = {"credit_code": 1}
    report = verify(changed)
    assert not report.matches
