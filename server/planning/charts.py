"""Server-side SVG charts for the compliance report (pygal; no JavaScript, nothing loaded
from elsewhere, so the report prints and works on an intranet with no internet).

    compliance_chart(estimate, labels)    # rate per stratum and overall, 95 % interval bars
    failures_chart([("甲醛含量", 7), ...])  # most frequent failed indicators
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

import pygal
from pygal.style import Style

from sampling import Estimate

FONT = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
BLUE, RED, GREY = "#1f5fa8", "#c0392b", "#7f8c8d"
_STYLE = Style(font_family=FONT, background="white", plot_background="white", foreground="#222",
               foreground_strong="#111", foreground_subtle="#bbb", colors=(BLUE, RED, GREY),
               label_font_size=13, major_label_font_size=13, title_font_size=17, value_font_size=12,
               tooltip_font_size=12)


def _svg(chart: pygal.graph.graph.Graph) -> str:
    """Render without the inline <script> pygal always adds (its tooltip config): the chart is
    static, and a page with a strict Content-Security-Policy would refuse the script."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return ET.tostring(tree, encoding="unicode")


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
