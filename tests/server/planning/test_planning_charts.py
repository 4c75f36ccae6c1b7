"""Compliance charts are self-contained SVG: no script, nothing fetched from elsewhere, the
stratum names and rates in the text, flagged strata in red."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from sampling import StratumCount, estimate
from server.planning.charts import RED, compliance_chart, failures_chart


def _estimate():
    return estimate([StratumCount("risk_class=A", 400, 20, 19), StratumCount("risk_class=D", 40, 12, 5),
                     StratumCount("risk_class=B", 100, 0, 0)])


def test_compliance_chart_is_self_contained_svg():
    svg = compliance_chart(_estimate(), {"risk_class=A": "A类（低风险）", "risk_class=D": "D类（高风险）"})
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    for element in root.iter():
        assert not element.tag.endswith("script")
        for name, value in element.attrib.items():
            if name.endswith("href") or name == "src":
                assert not value.startswith(("http", "//")), (name, value)
    for text in ("A类（低风险）", "D类（高风险）", "总体", "95.0%", "41.7%"):
        assert text in svg
    assert RED in svg                              # D is flagged
    assert "risk_class=B" not in svg               # no results: no bar


def test_failures_chart_orders_by_count():
    svg = failures_chart([("pH值", 4), ("甲醛含量", 7), ("异味", 1)], top=2)
    ET.fromstring(svg)
    assert "甲醛含量" in svg and "pH值" in svg and "异味" not in svg
