"""The compliance report from a real draw: estimate, named strata, flagged weak spots, charts."""
from __future__ import annotations

from stdnum.cn import uscc

from sampling import Enterprise, Inspector, Plan, run_draw
from server.planning.report import compliance_report, stratum_names

PLAN = {"id": "p", "name": "纺织品抽查", "strata": ["risk_class"], "allocation": {"ratio": "0.5"},
        "items": [{"id": "T1", "name": "甲醛", "competence": "textile", "legal_basis": "《产品质量法》"}]}


def _code(n):
    body = f"91110105MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def _draw():
    directory = [Enterprise(_code(n), f"企业{n}", "110105", "C18", "A" if n < 40 else "D") for n in range(60)]
    roster = [Inspector(f"JC{n}", "110105", ("textile",)) for n in range(4)]
    return run_draw(Plan.from_dict(PLAN), directory, roster, {}, "77" * 32)["result"]


def test_names_and_flags_the_weak_stratum():
    result = _draw()
    outcomes = {t["credit_code"]: t["stratum"] == "risk_class=A" or i % 3 == 0
                for i, t in enumerate(result["targets"])}
    report = compliance_report(PLAN, result, outcomes, [("甲醛含量", 5), ("pH值", 2)])
    assert report.labels == {"risk_class=A": "信用风险低（A类）", "risk_class=D": "信用风险高（D类）"}
    assert report.estimate.inspected == 30 and report.estimate.population == 60
    d = next(s for s in report.estimate.strata if s.count.label == "risk_class=D")
    assert d.flagged
    text = "\n".join(report.findings)
    assert "信用风险高（D类）" in text and "显著低于总体" in text and "甲醛含量（5 次）" in text
    assert "信用风险高（D类）" in report.charts["compliance"] and "甲醛含量" in report.charts["failures"]
    assert report.to_dict()["estimate"]["overall"]["rate"] == round(report.estimate.overall.rate, 4)


def test_no_results_yet():
    report = compliance_report(PLAN, _draw(), {})
    assert report.estimate.overall is None and "暂不能估计" in report.findings[0]
    assert "failures" not in report.charts


def test_names_for_jurisdiction_strata():
    names = stratum_names({"strata": [{"label": "jurisdiction=110105|industry=C18",
                                       "values": {"jurisdiction": "110105", "industry": "C18"}}]},
                          {"110105": "朝阳区"})
    assert names == {"jurisdiction=110105|industry=C18": "朝阳区 · 行业 C18"}
