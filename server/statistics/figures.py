"""Live compliance figures for a period, computed when asked (a review or a push shows at
once, not a night later): per standard, indicator, jurisdiction or month, with the
compliance rate (pass ÷ (pass + fail)), fail and disagreement counts, and the charts."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import pygal

from server.accounts import service as accounts
from server.catalog import service as catalog
from server.inspections import service as inspections
from server.kernel.auth import Principal
from server.kernel.charts import BLUE, GREY, RED, STYLE, label_margin, svg

DIMENSIONS = ("standard", "indicator", "jurisdiction", "month")
MAX_DAYS = 800


def figures(principal: Principal, start: date, end: date, by: str) -> list[dict]:
    """Return one row per group of `by` (a DIMENSIONS value) for the newest revision of each
    finding of inspections on days [start, end] in the caller's subtree:
    {key, label, inspections, findings, passed, failed, inconclusive, disagreements, rate}
    (rate None when nothing passed or failed), most findings first (months in order).
    Raises ValueError for an unknown dimension."""
    if by not in DIMENSIONS:
        raise ValueError(by)
    rows = [r for r in inspections.finding_outcomes(start, end) if principal.in_subtree(r[3])]
    keys = _keys(rows, by)
    groups: dict[str, dict] = {}
    for (inspection_id, day, code, _path, indicator_id, server, device, disagrees), key in zip(rows, keys):
        entry = groups.setdefault(key, {"key": key, "ids": set(), "findings": 0, "passed": 0, "failed": 0,
                                        "inconclusive": 0, "disagreements": 0})
        outcome = server or device
        entry["ids"].add(inspection_id)
        entry["findings"] += 1
        entry["passed"] += outcome == "pass"
        entry["failed"] += outcome == "fail"
        entry["inconclusive"] += outcome not in ("pass", "fail")
        entry["disagreements"] += bool(disagrees)
    labels = _labels(by, groups)
    out = []
    for entry in groups.values():
        entry["inspections"] = len(entry.pop("ids"))
        judged = entry["passed"] + entry["failed"]
        entry["rate"] = entry["passed"] / judged if judged else None
        entry["label"] = labels.get(entry["key"], entry["key"])
        out.append(entry)
    if by == "month":
        return sorted(out, key=lambda e: e["key"])
    return sorted(out, key=lambda e: (-e["findings"], e["key"]))


def _keys(rows: list[tuple], by: str) -> list[str]:
    if by == "month":
        return [r[1].strftime("%Y-%m") for r in rows]
    if by == "jurisdiction":
        return [r[2] for r in rows]
    if by == "indicator":
        return [r[4] for r in rows]
    standards = catalog.indicator_standards({r[4] for r in rows})
    return [standards.get(r[4], r[4].split("-")[0]) for r in rows]


def _labels(by: str, groups: dict) -> dict[str, str]:
    if by == "jurisdiction":
        return accounts.jurisdiction_names(groups)
    if by == "indicator":
        return {k: f"{v['name']}（{v['edition_id']} {v['clause']}）" for k, v in catalog.indicator_info(groups).items()}
    if by == "standard":
        titles = catalog.standard_titles(groups)
        return {k: f"{k} {titles[k]}" if k in titles else k for k in groups}
    return {}


def month_bounds(key: str) -> tuple[date, date]:
    """Return the first and last day of month "YYYY-MM"."""
    first = date.fromisoformat(key + "-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def rate_chart(rows: Iterable[dict], links: list[str], *, title: str, rate_word: str) -> str:
    """Return an SVG horizontal bar chart of each group's compliance rate (%), each bar a
    link to the inspections behind it; groups below 80 % in red."""
    rows = list(rows)[:20]
    labels = [r["label"][:40] for r in rows]
    chart = pygal.HorizontalBar(style=STYLE, js=[], width=900, height=90 + 34 * max(1, len(rows)),
                                margin_left=label_margin(labels), show_legend=False, title=title,
                                print_values=True, value_formatter=lambda v: f"{v:.1f}%", range=(0, 100),
                                disable_xml_declaration=True, truncate_label=-1)
    chart.x_labels = list(reversed(labels))
    values = [{"value": round(r["rate"] * 100, 1) if r["rate"] is not None else None,
               "color": RED if r["rate"] is not None and r["rate"] < 0.8 else BLUE,
               "xlink": {"href": link}, "label": f"{r['passed']}/{r['passed'] + r['failed']}"}
              for r, link in zip(rows, links)]
    chart.add(rate_word, list(reversed(values)))
    return svg(chart)


def trend_chart(rows: list[dict], links: list[str], *, title: str, rate_word: str, fail_word: str) -> str:
    """Return an SVG line chart of the monthly compliance rate with the failed findings as
    bars on a second axis; each point a link to that month's inspections."""
    chart = pygal.Line(style=STYLE, js=[], width=900, height=360, title=title, range=(0, 100),
                       secondary_range=(0, max([r["failed"] for r in rows] + [1])), dots_size=4,
                       disable_xml_declaration=True, legend_at_bottom=True, print_values=False)
    chart.x_labels = [r["key"] for r in rows]
    chart.add(rate_word, [{"value": round(r["rate"] * 100, 1) if r["rate"] is not None else None,
                           "xlink": {"href": link}, "color": BLUE} for r, link in zip(rows, links)])
    chart.add(fail_word, [{"value": r["failed"], "xlink": {"href": link}} for r, link in zip(rows, links)],
              secondary=True, stroke_style={"dasharray": "4,3"}, dots_size=3)
    chart.config.colors = (BLUE, RED, GREY)
    return svg(chart)
