"""The compliance report (白皮书) of a plan: what its random draw says about the whole
directory, where compliance is weakest, which items fail most — as data, text and charts.

    report = compliance_report(plan_json, draw_result, outcomes, failures, labels=...)
    report.estimate       # sampling.Estimate (per stratum and overall, 95 % intervals)
    report.findings       # Chinese sentences for the page and the print
    report.charts         # {"compliance": svg, "failures": svg}

`outcomes` maps each reviewed target's credit code to compliant (True) or not; `failures`
counts failed indicators or items by name. Needs no database: the planning service
gathers the inputs, the console and the public page show the same report.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from sampling import Estimate, estimate
from sampling.model import RISK_CLASSES
from sampling.results import stratum_counts
from server.kernel.limits import csp_nonce
from server.planning.charts import compliance_chart, failures_chart

FIELD_NAMES = {"jurisdiction": "辖区", "industry": "行业", "risk_class": "信用风险"}


def stratum_names(draw_result: Mapping[str, Any], jurisdictions: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return {stratum label: display name}: "risk_class=D" -> "信用风险高（D类）",
    "jurisdiction=110105|risk_class=A" -> "朝阳区 · 信用风险低（A类）"."""
    jurisdictions = jurisdictions or {}
    out = {}
    for stratum in draw_result.get("strata", []):
        parts = []
        for name, value in (stratum.get("values") or {}).items():
            if name == "risk_class":
                parts.append(RISK_CLASSES.get(value, value))
            elif name == "jurisdiction":
                parts.append(jurisdictions.get(value, value))
            else:
                parts.append(f"{FIELD_NAMES.get(name, name)} {value}")
        out[stratum["label"]] = " · ".join(parts) or "全部"
    return out


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


@dataclass
class Report:
    plan: dict[str, Any]
    estimate: Estimate
    labels: dict[str, str]
    failures: list[tuple[str, int]]
    drawn: int
    findings: list[str] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (no charts): plan id and name, estimate, labels, failures, findings."""
        return {"plan": {"id": self.plan.get("id"), "name": self.plan.get("name")},
                "estimate": self.estimate.to_dict(), "labels": self.labels, "drawn": self.drawn,
                "failures": [{"item": n, "count": c} for n, c in self.failures], "findings": self.findings}


def _findings(est: Estimate, labels: Mapping[str, str], failures: Sequence[tuple[str, int]], drawn: int) -> list[str]:
    lines = []
    if est.overall is None:
        return [f"本计划抽取 {drawn} 户，尚无经审核的检查结果，暂不能估计合规率。"]
    lines.append(f"本计划从 {est.population} 户检查对象中随机抽取并完成审核 {est.inspected} 户（共抽取 {drawn} 户），"
                 f"据此估计总体合规率为 {_pct(est.overall.rate)}，95% 置信区间 {_pct(est.overall.low)}～"
                 f"{_pct(est.overall.high)}。")
    flagged = [s for s in est.strata if s.flagged]
    for s in flagged:
        lines.append(f"{labels.get(s.count.label, s.count.label)} 合规率 {_pct(s.interval.rate)}（区间 "
                     f"{_pct(s.interval.low)}～{_pct(s.interval.high)}），显著低于总体水平，建议列为重点监管领域。")
    if not flagged:
        weakest = est.weakest(1)
        if weakest:
            s = weakest[0]
            lines.append(f"合规率最低的是 {labels.get(s.count.label, s.count.label)}（{_pct(s.interval.rate)}），"
                         f"但与总体的差异尚不显著。")
    if est.uncovered:
        names = "、".join(labels.get(u, u) for u in est.uncovered)
        lines.append(f"{names} 尚无经审核的结果，未计入总体估计。")
    top = sorted(failures, key=lambda pair: (-pair[1], pair[0]))[:3]
    if top:
        lines.append("不合格最多的项目：" + "、".join(f"{n}（{c} 次）" for n, c in top) + "。")
    return lines


def compliance_report(plan_json: Mapping[str, Any], draw_result: Mapping[str, Any], outcomes: Mapping[str, bool],
                      failures: Sequence[tuple[str, int]] = (), *, labels: Mapping[str, str] | None = None,
                      confidence: float = 0.95) -> Report:
    """Build the report; raises sampling.DrawFormatError for a malformed draw result."""
    names = dict(labels or stratum_names(draw_result))
    est = estimate(stratum_counts(draw_result, outcomes), confidence=confidence)
    report = Report(plan=dict(plan_json), estimate=est, labels=names, failures=list(failures),
                    drawn=len(draw_result.get("targets", [])))
    report.findings = _findings(est, names, report.failures, report.drawn)
    report.charts["compliance"] = compliance_chart(est, names, title=f"{plan_json.get('name', '')} 合规率估计（95% 置信区间）")
    if report.failures:
        report.charts["failures"] = failures_chart(report.failures)
    return report


_ENV = Environment(loader=PackageLoader("server.planning", "templates"), autoescape=select_autoescape())
_ENV.globals["csp_nonce"] = csp_nonce      # its <style>: the page it is shown in (an iframe srcdoc) has a strict CSP


def render_report_html(report: Report, *, generated_on: str | None = None) -> str:
    """Return the printable A4 HTML page of the report (the console and the public page
    serve it; charts inline, nothing loaded from elsewhere)."""
    return _ENV.get_template("planning/report.html").render(report=report, generated_on=generated_on)
