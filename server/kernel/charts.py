"""Server-side SVG charts (pygal) shared by the features: one look, no JavaScript, nothing
loaded from elsewhere (the console runs on intranets with no internet), CJK labels.

    chart = pygal.HorizontalBar(style=STYLE, js=[], ...)   # js=[]: no tooltip script URL
    svg(chart) -> str                                        # without pygal's inline <script>
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pygal
from pygal.style import Style

from server.kernel.limits import csp_nonce

FONT = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
BLUE, RED, GREY, GREEN = "#1f5fa8", "#c0392b", "#7f8c8d", "#2e8b57"
STYLE = Style(font_family=FONT, background="white", plot_background="white", foreground="#222",
              foreground_strong="#111", foreground_subtle="#bbb", colors=(BLUE, RED, GREY, GREEN),
              label_font_size=13, major_label_font_size=13, title_font_size=16, value_font_size=12,
              tooltip_font_size=12, legend_font_size=13)


def svg(chart: pygal.graph.graph.Graph) -> str:
    """Render `chart` as SVG text without the inline <script> pygal adds (the chart is
    static; a strict Content-Security-Policy would refuse the script); its <style> carries
    the request's CSP nonce (server.kernel.limits) and style attributes become SVG
    presentation attributes (a CSP without 'unsafe-inline' ignores them). Raises nothing."""
    tree = chart.render_tree()
    nonce = csp_nonce()
    for parent in list(tree.iter()):
        for child in list(parent):
            name = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if name == "script":
                parent.remove(child)
            elif name == "style" and nonce:
                child.set("nonce", nonce)
    for element in tree.iter():          # style="opacity: 0" → opacity="0": a CSP ignores style attributes
        declared = element.attrib.pop("style", None)
        for part in (declared or "").split(";"):
            prop, _, value = part.partition(":")
            if prop.strip() and value.strip():
                element.set(prop.strip(), value.strip())
    return ET.tostring(tree, encoding="unicode")


def label_margin(labels, font_size: int = 13) -> int:
    """Return a left margin wide enough for CJK labels (pygal measures Latin widths)."""
    return 10 + int(max((len(str(x)) for x in labels), default=4) * font_size * 0.95)
