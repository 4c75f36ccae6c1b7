"""Server-side SVG charts for the compliance report (pygal; no JavaScript, nothing loaded
from elsewhere, so the report prints and works on an intranet with no internet).

    compliance_chart(estimate, labels)    # rate per stratum and overall, 95 % interval bars
    failures_chart([("甲醛含量", 7), ...])  # most frequent failed indicators
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pygal

from sampling import Estimate
from server.kernel.charts import BLUE, GREY, RED
from server.kernel.charts import STYLE as _STYLE
from server.kernel.charts import svg as _svg


def _percent(value: float) -> float:
    return round(value * 100, 1)


def compliance_chart(estimate: Estimate, labels: Mapping[str, str] | None = None, *,
                     title: str = "合规率估计（95% 置信区间）", width: int = 900, height: int = 420) -> str:
    """Return an SVG bar chart: one bar per covered stratum plus the overall estimate, each
    with its interval; flagged strata in red. `labels` maps stratum labels to display names."""
    labels = labels or {}
    chart = pygal.Bar(style=_STYLE, js=[], width=width, height=height, range=(0, 100), show_legend=False,
                      title=title, print_values=True, value_formatter=lambda v: f"{v:.1f}%",
                      disable_xml_declaration=True, truncate_label=-1, y_title="合规率（%）")
    names, values = [], []
    for s in estimate.strata:
        if s.interval is None:
            continue
        names.append(labels.get(s.count.label, s.count.label))
        values.append({"value": _percent(s.interval.rate), "color": RED if s.flagged else BLUE,
                       "ci": {"low": _percent(s.interval.low), "high": _percent(s.interval.high)},
                       "label": f"检查 {s.count.inspected} / 总体 {s.count.population}"})
    if estimate.overall is not None:
        names.append("总体")
        values.append({"value": _percent(estimate.overall.rate), "color": GREY,
                       "ci": {"low": _percent(estimate.overall.low), "high": _percent(estimate.overall.high)},
                       "label": f"检查 {estimate.inspected} / 总体 {estimate.population}"})
    chart.x_labels = names
    chart.add("合规率", values)
    return _svg(chart)


def failures_chart(failures: Sequence[tuple[str, int]], *, title: str = "不合格项目（次）",
                   width: int = 900, height: int = 360, top: int = 10) -> str:
    """Return an SVG horizontal bar chart of the `top` most frequent failed items."""
    rows = sorted(failures, key=lambda pair: (-pair[1], pair[0]))[:top]
    # pygal measures labels with Latin metrics; a CJK character is about one em wide
    widest = max((len(name) for name, _ in rows), default=4)
    chart = pygal.HorizontalBar(style=_STYLE, js=[], width=width, height=min(height, 80 + 44 * len(rows)),
                                margin_left=10 + int(widest * _STYLE.label_font_size * 0.5),
                                show_legend=False, title=title, print_values=True,
                                value_formatter=lambda v: f"{v:.0f}", disable_xml_declaration=True,
                                truncate_label=-1, min_scale=1, max_scale=5)
    chart.x_labels = [name for name, _ in reversed(rows)]
    chart.add("不合格", [{"value": count, "color": RED} for _, count in reversed(rows)])
    return _svg(chart)
