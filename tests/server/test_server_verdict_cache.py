"""server.rulesets.provider: a verdict is judged once per what decides it (rule set,
indicator, value, unit, date, class), the same as judging afresh, and judged again after
a publication."""
from __future__ import annotations

from datetime import date

import pytest
from server_testkit import dispose_app, make_app

from rules.ruleset import RuleSet
from server.rulesets.service import judge, provider

ON = date(2025, 6, 1)


@pytest.fixture
def counted(sqlite_url, monkeypatch):
    """(app, calls): `calls` counts the rule engine's judgements."""
    app = make_app(sqlite_url)
    calls = []
    original = RuleSet.judge_indicator

    def counting(self, *args, **kw):
        calls.append(args[:2])
        return original(self, *args, **kw)
    monkeypatch.setattr(RuleSet, "judge_indicator", counting)
    yield app, calls
    dispose_app(app)


def first_numeric(snapshot) -> str:
    return next(i.id for i in snapshot.ruleset_on(ON).catalog.indicators() if i.kind == "limit" and i.unit)


def test_the_same_value_is_judged_once_and_gives_the_same_verdict(counted):
    app, calls = counted
    with app.app_context():
        snapshot = judge()
        ident = first_numeric(snapshot)
        first = snapshot.judge(ident, "16.5", None, on=ON, product_class=None)
        again = judge().judge(ident, "16.5", None, on=ON, product_class=None)
        assert len(calls) == 1
        assert again == first and again.verdict["steps"]
        fresh = snapshot.ruleset_on(ON).judge_indicator(ident, "16.5", None, on=ON).to_dict()
        assert again.verdict == fresh
        again.verdict["steps"].append("changed by a caller")
        again.verdict["outcome"] = "changed"
        third = judge().judge(ident, "16.5", None, on=ON, product_class=None)
        assert third == first                       # a caller's copy is its own


@pytest.mark.parametrize("change", [{"measured": "16.6"}, {"unit": "m/s"}, {"on": date(2025, 6, 2)},
                                    {"product_class": "B"}], ids=lambda c: next(iter(c)))
def test_anything_that_decides_the_verdict_is_judged_again(counted, change):
    app, calls = counted
    with app.app_context():
        snapshot = judge()
        ident = first_numeric(snapshot)
        base = {"measured": "16.5", "unit": None, "on": ON, "product_class": None}
        snapshot.judge(ident, base["measured"], base["unit"], on=base["on"], product_class=base["product_class"])
        given = {**base, **change}
        snapshot.judge(ident, given["measured"], given["unit"], on=given["on"], product_class=given["product_class"])
        assert len(calls) == 2


def test_a_publication_forgets_the_verdicts(counted):
    app, calls = counted
    with app.app_context():
        ident = first_numeric(judge())
        judge().judge(ident, "1", None, on=ON, product_class=None)
        provider().invalidate()                    # what publishing an interpretation calls
        judge().judge(ident, "1", None, on=ON, product_class=None)
        assert len(calls) == 2
