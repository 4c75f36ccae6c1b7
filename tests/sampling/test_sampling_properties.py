"""Invariants of every draw, over generated directories, rosters, histories and plans
(hypothesis, derandomized so CI is deterministic): verify matches its own draw; sizes keep
to the plan; no assigned inspector has a conflict, was there last time, lacks a competence,
comes from outside the target's area, or exceeds the cap."""
from __future__ import annotations

from conftest import DISTRICTS, credit_code
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sampling import Enterprise, Inspector, Plan, run_draw, verify
from sampling.model import covers

enterprises = st.lists(st.tuples(st.sampled_from(DISTRICTS), st.sampled_from(("C17", "C18")),
                                 st.sampled_from("ABCD")), min_size=1, max_size=40)
inspectors = st.lists(st.tuples(st.sampled_from(DISTRICTS + ("110000",)),
                                st.sampled_from((("textile",), ("textile", "food"), ("food",)))),
                      min_size=0, max_size=12)
plans = st.fixed_dictionaries({
    "strata": st.sampled_from(([], ["risk_class"], ["jurisdiction", "industry"])),
    "ratio": st.sampled_from(("0.1", "0.25", "0.5", "1")),
    "minimum": st.integers(0, 2),
    "per_target": st.integers(2, 3),
    "cap": st.one_of(st.none(), st.integers(1, 4)),
})


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(enterprises, inspectors, plans, st.data())
def test_every_draw_keeps_the_rules_and_verifies(rows, people, spec, data):
    directory = [Enterprise(credit_code(n, d), f"企业{n}", d, ind, risk) for n, (d, ind, risk) in enumerate(rows)]
    codes = [e.credit_code for e in directory]
    roster = [Inspector(f"JC{n:02d}", area, comp,
                        tuple(data.draw(st.lists(st.sampled_from(codes), max_size=2, unique=True))))
              for n, (area, comp) in enumerate(people)]
    history = {c: data.draw(st.lists(st.sampled_from([i.code for i in roster]), max_size=2, unique=True))
               for c in data.draw(st.lists(st.sampled_from(codes), max_size=3, unique=True))} if roster else {}
    plan = Plan.from_dict({"id": "p", "name": "n", "strata": spec["strata"],
                           "allocation": {"ratio": spec["ratio"], "minimum": spec["minimum"]},
                           "items": [{"id": "1", "name": "x", "competence": "textile", "legal_basis": "y"}],
                           "inspectors_per_target": spec["per_target"], "max_targets_per_inspector": spec["cap"]})
    seed = data.draw(st.binary(min_size=32, max_size=32)).hex()
    doc = run_draw(plan, directory, roster, history, seed)
    assert verify(doc).matches
    result = doc["result"]
    assert sum(s["population"] for s in result["strata"]) == len(directory)
    for s in result["strata"]:
        assert min(s["population"], spec["minimum"]) <= s["sample"] <= s["population"]
    by_code = {i.code: i for i in roster}
    by_credit = {e.credit_code: e for e in directory}
    load = {}
    for t in result["targets"]:
        assert len(set(t["inspectors"])) == len(t["inspectors"]) == spec["per_target"] - t["shortfall"]
        for code in t["inspectors"]:
            inspector = by_code[code]
            assert t["credit_code"] not in inspector.conflicts
            assert code not in history.get(t["credit_code"], [])
            assert "textile" in inspector.competences
            assert covers(inspector.jurisdiction, by_credit[t["credit_code"]].jurisdiction)
            load[code] = load.get(code, 0) + 1
    if spec["cap"] is not None:
        assert all(n <= spec["cap"] for n in load.values())
