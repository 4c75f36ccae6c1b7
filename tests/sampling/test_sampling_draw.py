"""The draw: sizes per stratum, exclusions, inspectors per target, reproducibility, and that
the published specification (HMAC-SHA256 keys, smallest keys drawn) is what the code does."""
from __future__ import annotations

import hashlib
import hmac
import random

import pytest
from conftest import SEED, credit_code, make_directory, make_roster

from sampling import (
    Enterprise,
    Inspector,
    Plan,
    PlanError,
    SeedError,
    commit_draw,
    reveal_draw,
    run_draw,
)
from sampling.errors import SamplingError


def _targets(doc):
    return {t["credit_code"]: t for t in doc["result"]["targets"]}


def test_stratum_sizes_follow_ratio_override_and_ceiling(plan, directory, roster):
    result = run_draw(plan, directory, roster, {}, SEED)["result"]
    sizes = {s["label"]: (s["population"], s["sample"]) for s in result["strata"]}
    # A, B: 12 each at 25 % -> 3; C: 8 at 25 % -> 2; D: 8 at the 50 % override -> 4
    assert sizes == {"risk_class=A": (12, 3), "risk_class=B": (12, 3), "risk_class=C": (8, 2), "risk_class=D": (8, 4)}
    assert len(result["targets"]) == 12
    by_stratum = {}
    for t in result["targets"]:
        by_stratum[t["stratum"]] = by_stratum.get(t["stratum"], 0) + 1
    assert by_stratum == {k: v[1] for k, v in sizes.items()}


def test_spec_smallest_hmac_keys_are_drawn(plan, directory, roster):
    """Re-derive the draw from the documented formula alone, without the package."""
    doc = run_draw(plan, directory, roster, {}, SEED)
    secret = bytes.fromhex(SEED)
    drawn = set()
    for risk in "ABCD":
        members = [e for e in directory if e.risk_class == risk]
        keyed = sorted((hmac.new(secret, f"target\x1f{e.credit_code}".encode(), hashlib.sha256).hexdigest(),
                        e.credit_code) for e in members)
        size = {"A": 3, "B": 3, "C": 2, "D": 4}[risk]
        drawn |= {code for _, code in keyed[:size]}
    assert set(_targets(doc)) == drawn
    target = doc["result"]["targets"][0]
    ranked = sorted((hmac.new(secret, f"inspector\x1f{target['credit_code']}\x1f{i.code}".encode(),
                              hashlib.sha256).hexdigest(), i.code)
                    for i in roster if _same_district(i, target["credit_code"]))
    assert target["inspectors"] == [code for _, code in ranked[:2]]


def _same_district(inspector, code):
    return code[2:8] == inspector.jurisdiction


def test_same_inputs_same_draw_and_order_does_not_matter(plan, directory, roster):
    first = run_draw(plan, directory, roster, {}, SEED)
    shuffled_dir, shuffled_roster = directory[:], roster[:]
    random.Random(7).shuffle(shuffled_dir)
    random.Random(8).shuffle(shuffled_roster)
    assert run_draw(plan, shuffled_dir, shuffled_roster, {}, SEED) == first


def test_another_seed_gives_another_draw(plan, directory, roster):
    assert set(_targets(run_draw(plan, directory, roster, {}, SEED))) != \
        set(_targets(run_draw(plan, directory, roster, {}, "a1" * 32)))


def test_at_least_two_inspectors_from_the_targets_district(plan, directory, roster):
    for t in run_draw(plan, directory, roster, {}, SEED)["result"]["targets"]:
        assert len(t["inspectors"]) == 2 and len(set(t["inspectors"])) == 2
        assert all(_same_district(next(i for i in roster if i.code == c), t["credit_code"]) for c in t["inspectors"])


def test_conflict_of_interest_and_previous_visit_are_excluded_and_recorded(plan, directory, roster):
    doc = run_draw(plan, directory, roster, {}, SEED)
    target = doc["result"]["targets"][0]
    first, second = target["inspectors"]
    code = target["credit_code"]
    roster2 = [Inspector(i.code, i.jurisdiction, i.competences, (code,) if i.code == first else ())
               for i in roster]
    again = _targets(run_draw(plan, directory, roster2, {code: [second]}, SEED))[code]
    assert first not in again["inspectors"] and second not in again["inspectors"]
    assert {"inspector": first, "reason": "conflict"} in again["excluded"]
    assert {"inspector": second, "reason": "previous"} in again["excluded"]
    assert len(again["inspectors"]) == 2


def test_competence_excludes_for_the_whole_plan(plan_json, directory, roster):
    plan_json["items"].append({"id": "F-01", "name": "食品标签", "competence": "food", "legal_basis": "《食品安全法》"})
    plan = Plan.from_dict(plan_json)
    result = run_draw(plan, directory, roster, {}, SEED)["result"]
    excluded = {e["inspector"]: e for e in result["roster_excluded"]}
    assert set(excluded) == {i.code for i in roster if "food" not in i.competences}
    assert excluded["JC001"]["missing"] == ["food"]
    # only JC000 and JC004 (both 110105) do food: 110108 targets are short of inspectors
    for t in result["targets"]:
        assert set(t["inspectors"]) <= {"JC000", "JC004"}
        assert t["shortfall"] == (2 if t["credit_code"][2:8] == "110108" else 0)
    assert result["shortfalls"] == sum(1 for t in result["targets"] if t["shortfall"])


def test_capacity_spreads_the_work(plan_json, directory, roster):
    plan_json["max_targets_per_inspector"] = 3
    result = run_draw(Plan.from_dict(plan_json), directory, roster, {}, SEED)["result"]
    load = {}
    for t in result["targets"]:
        for c in t["inspectors"]:
            load[c] = load.get(c, 0) + 1
    assert max(load.values()) <= 3
    assert any(t["at_capacity"] for t in result["targets"])     # the cap did bite
    assert sum(load.values()) == sum(2 - t["shortfall"] for t in result["targets"])


def test_count_allocation_is_proportional_with_largest_remainder(plan_json, directory, roster):
    plan_json["allocation"] = {"count": 10}
    result = run_draw(Plan.from_dict(plan_json), directory, roster, {}, SEED)["result"]
    sizes = {s["label"]: s["sample"] for s in result["strata"]}
    # shares 10*12/40 = 3, 3, 2, 2 exactly
    assert sizes == {"risk_class=A": 3, "risk_class=B": 3, "risk_class=C": 2, "risk_class=D": 2}
    plan_json["allocation"] = {"count": 11}
    sizes = {s["label"]: s["sample"] for s in
             run_draw(Plan.from_dict(plan_json), directory, roster, {}, SEED)["result"]["strata"]}
    # 3.3, 3.3, 2.2, 2.2 -> floors 3,3,2,2 = 10; the one left goes to the largest remainder, ties by label: A
    assert sizes == {"risk_class=A": 4, "risk_class=B": 3, "risk_class=C": 2, "risk_class=D": 2}


def test_count_larger_than_population_is_refused(plan_json, directory, roster):
    plan_json["allocation"] = {"count": 41}
    with pytest.raises(PlanError, match="超过"):
        run_draw(Plan.from_dict(plan_json), directory, roster, {}, SEED)


def test_scope_limits_the_population(plan_json, directory, roster):
    plan_json["scope"] = {"jurisdictions": ["110108"], "industries": ["C17"], "risk_classes": ["A", "B"]}
    result = run_draw(Plan.from_dict(plan_json), directory, roster, {}, SEED)["result"]
    inside = [e for e in directory if e.jurisdiction == "110108" and e.industry == "C17" and e.risk_class in "AB"]
    assert result["population"] == len(inside)
    assert {t["credit_code"] for t in result["targets"]} <= {e.credit_code for e in inside}


def test_commit_holds_no_seed_and_reveal_checks_it(plan, directory, roster):
    committed = commit_draw(plan, directory, roster, {}, SEED)
    assert "seed" not in committed and "result" not in committed
    assert committed["commitment"]["seed_sha256"] == hashlib.sha256(bytes.fromhex(SEED)).hexdigest()
    with pytest.raises(SeedError):
        reveal_draw(committed, "ab" * 32)
    assert reveal_draw(committed, SEED)["result"] == run_draw(plan, directory, roster, {}, SEED)["result"]


@pytest.mark.parametrize("seed", ["", "xyz", "0f" * 31, "0f" * 33])
def test_malformed_seed_is_refused(plan, directory, roster, seed):
    with pytest.raises(SeedError, match="64"):
        commit_draw(plan, directory, roster, {}, seed)


def test_published_roster_has_no_names_or_id_numbers(plan, directory):
    roster = [Inspector("JC001", "110105", ("textile",), (), name="王小明", id_number="11010519491231002X"),
              Inspector("JC002", "110105", ("textile",))]
    doc = run_draw(plan, directory, roster, {}, SEED)
    text = str(doc)
    assert "王小明" not in text and "11010519491231002X" not in text
    assert doc["inputs"]["roster"][0] == {"code": "JC001", "jurisdiction": "110105", "competences": ["textile"],
                                          "conflicts": []}


def test_duplicate_directory_entry_is_refused(plan, roster):
    e = Enterprise(credit_code(1), "甲", "110105", "C18", "A")
    with pytest.raises(SamplingError, match="重复"):
        commit_draw(plan, [e, e], roster, {}, SEED)


def test_city_level_inspector_covers_its_districts(plan, directory):
    roster = [Inspector("SJ01", "110000", ("textile",)), Inspector("SJ02", "110100", ("textile",)),
              Inspector("SH01", "310000", ("textile",))]
    for t in run_draw(plan, directory, roster, {}, SEED)["result"]["targets"]:
        assert sorted(t["inspectors"]) == ["SJ01", "SJ02"]


def test_big_directory_draws_quickly():
    directory = make_directory(5000)
    plan = Plan.from_dict({"id": "p", "name": "n", "items": [{"id": "1", "name": "x", "competence": "textile",
                                                            "legal_basis": "y"}],
                           "allocation": {"ratio": "0.05"}, "strata": ["jurisdiction", "risk_class"]})
    result = run_draw(plan, directory, make_roster(40), {}, SEED)["result"]
    assert len(result["targets"]) == sum(s["sample"] for s in result["strata"]) == 8 * 32   # 8 strata of 625, ceil(31.25)
