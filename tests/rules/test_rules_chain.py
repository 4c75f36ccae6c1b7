"""rules.chain (lineage, amendments, test methods, together, required-by, self-check list)
and rules.together (one verdict for standards met together), on a small catalog."""
from __future__ import annotations

from datetime import date

import pytest

from rules.catalog import Catalog
from rules.chain import (
    resolve,
    self_check_list,
    standard_chain,
    standard_refs,
    together_editions,
    unresolved,
)
from rules.together import judge_together
from rules.verdict import Verdict

ON = date(2026, 12, 1)


def _ed(code, year, effective, **extra):
    ed = {"id": f"{code}-{year}", "year": year, "title": f"{code} 标题", "effective": effective,
          "source": {"title": "t"}, "clauses": [{"number": "4", "title": "要求"}],
          "indicators": [{"id": f"{code}-{year}/4/x", "clause": "4", "name": "x", "limit": "≤1", "unit": None,
                          "test_method": extra.pop("test_method", None)}]}
    ed.update(extra)
    return ed


def _std(code, *editions):
    return {"code": code, "title": f"{code} 标题", "field": "textile", "mandatory": True, "editions": list(editions)}


CATALOG = Catalog.from_dicts([
    _std("GB 100",
         _ed("GB 100", 2010, "2011-01-01", replaces=["GB 100-2001"], replaced_by="GB 100-2025"),
         _ed("GB 100", 2025, "2027-01-01", replaces=["GB 100-2010"],
             relations=[{"type": "replaces_part", "target": "GB 300-2005", "title": "旧三百"}])),
    _std("GB 200", _ed("GB 200", 2015, "2016-01-01", test_method="GB/T 9-2009 5.1; GB/T 8",
                       relations=[{"type": "together", "target": "GB 100", "note": "还应符合 GB 100"},
                                  {"type": "test_method", "target": "GB/T 9-2009", "title": "九号方法"},
                                  {"type": "refers", "target": "GB/T 1.1-2020", "title": "标准化工作导则"}],
                       amendments=[{"id": "XG1-2020", "issued": "2020-03-01", "effective": "2020-06-01",
                                    "summary": "修改 4 的限值"}])),
    _std("GB 400", _ed("GB 400", 2020, "2021-01-01", relations=[{"type": "together", "target": "GB 200-2015"}])),
])


@pytest.mark.parametrize("text, refs", [
    ("GB/T 17657-2013 6.3.6", ("GB/T 17657-2013",)),
    ("GB/T 17592; GB/T 23344", ("GB/T 17592", "GB/T 23344")),
    ("GB 5009.12", ("GB 5009.12",)),
    ("FZ/T 81014", ("FZ/T 81014",)),
    ("GB/T 5750.5-2023 第4章", ("GB/T 5750.5-2023",)),
    ("按 GB 17761-2018 5.1", ("GB 17761-2018",)),
    ("目测", ()), (None, ()),
])
def test_standard_refs(text, refs):
    assert standard_refs(text) == refs


@pytest.mark.parametrize("target, on, found", [
    ("GB 100", date(2026, 12, 1), "GB 100-2010"), ("GB 100", date(2027, 1, 1), "GB 100-2025"),
    ("GB 100", date(2000, 1, 1), "GB 100-2010"), ("gb100-2025", ON, "GB 100-2025"),
    ("GB 100-1990", ON, None), ("GB 999", ON, None),
])
def test_resolve(target, on, found):
    ed = resolve(CATALOG, target, on)
    assert (ed.id if ed else None) == found


def test_lineage_covers_every_edition_in_order():
    for edition_id in ("GB 100-2010", "GB 100-2025"):
        history = standard_chain(CATALOG, edition_id, ON).history
        assert [(x.from_edition, x.label, x.target) for x in history] == [
            ("GB 100-2010", "代替", "GB 100-2001"), ("GB 100-2025", "代替", "GB 100-2010"),
            ("GB 100-2025", "部分代替", "GB 300-2005")]
    old = standard_chain(CATALOG, "GB 100-2010", ON).history[0]
    assert old.edition_id is None and old.title == "GB 100 标题"       # the standard's title
    assert standard_chain(CATALOG, "GB 100-2025", ON).history[1].status == "现行"


def test_together_is_transitive_and_resolved_on_the_date():
    links = together_editions(CATALOG, "GB 400-2020", ON)
    assert [(x.from_edition, x.target, x.edition_id) for x in links] == [
        ("GB 400-2020", "GB 200-2015", "GB 200-2015"), ("GB 200-2015", "GB 100", "GB 100-2010")]
    assert together_editions(CATALOG, "GB 400-2020", date(2027, 2, 1))[1].edition_id == "GB 100-2025"


def test_required_by_is_the_reverse():
    assert [x.target for x in standard_chain(CATALOG, "GB 100-2010", ON).required_by] == ["GB 200-2015"]
    assert [x.target for x in standard_chain(CATALOG, "GB 200-2015", ON).required_by] == ["GB 400-2020"]


def test_test_methods_amendments_references():
    chain = standard_chain(CATALOG, "GB 200-2015", ON)
    assert [(x.target, x.title, x.indicator_ids) for x in chain.test_methods] == [
        ("GB/T 9-2009", "九号方法", ("GB 200-2015/4/x",)), ("GB/T 8", None, ("GB 200-2015/4/x",))]
    assert [a.id for a in chain.amendments] == ["XG1-2020"]
    data = chain.to_dict()
    assert data["amendments"][0]["number"] == "GB 200-2015/XG1-2020"
    assert data["references"][0]["label"] == "规范性引用" and data["together"][0]["label"] == "须同时符合"
    assert unresolved(CATALOG, ON) == ("GB 200-2015：检验方法 GB/T 8 不在目录中且未写名称",)


def test_self_check_list_groups_own_then_together():
    groups = self_check_list(CATALOG, "GB 400-2020", ON)
    assert [g.edition_id for g in groups] == ["GB 400-2020", "GB 200-2015", "GB 100-2010"]
    assert groups[0].link is None and groups[2].link.label == "须同时符合"
    assert all(len(g.indicators) == 1 for g in groups)


def _v(outcome, ident, applicable=True):
    return Verdict(outcome, "1", (), "full", "≤1", indicator_ids=(ident,), applicable=applicable)


@pytest.mark.parametrize("verdicts, outcome, word", [
    ({"A": [_v("pass", "a1")], "B": [_v("pass", "b1"), _v("pass", "b2")]}, "pass", None),
    ({"A": [_v("pass", "a1")], "B": [_v("fail", "b1")]}, "fail", "B"),
    ({"A": [_v("pass", "a1")]}, "inconclusive", "B"),
    ({"A": [_v("pass", "a1")], "B": [_v("inconclusive", "b1", applicable=False)]}, "inconclusive", "B"),
    ({"A": [_v("inconclusive", "a1")], "B": [_v("fail", "b1")]}, "fail", "B"),
])
def test_judge_together(verdicts, outcome, word):
    verdict = judge_together(["A", "B"], verdicts, ruleset_version="v")
    assert verdict.outcome == outcome and verdict.method == "combined" and verdict.ruleset_version == "v"
    assert verdict.steps[0] == "须同时符合：A、B"
    if word:
        assert word in verdict.reason
    if outcome == "fail":
        assert any("b1" in s for s in verdict.steps)


def test_judge_together_needs_editions():
    with pytest.raises(ValueError):
        judge_together([], {})
