"""The printable compliance report in a real browser: nothing is fetched, the page prints
to A4 (Chromium's own PDF), and its first printed page is saved as a PNG to look at."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_planning_report import PLAN, _draw

from server.planning.report import compliance_report, render_report_html

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _html() -> str:
    result = _draw()
    outcomes = {t["credit_code"]: t["stratum"] == "risk_class=A" or i % 3 == 0 for i, t in enumerate(result["targets"])}
    report = compliance_report({**PLAN, "starts": "2026-03-01", "ends": "2026-05-31"}, result, outcomes,
                               [("甲醛含量", 5), ("pH值", 2), ("耐水色牢度（变色、沾色）", 1)])
    return render_report_html(report, generated_on="2026-06-10")


def test_html_is_self_contained():
    html = _html()
    assert "<script" not in html and "src=\"http" not in html and "href=\"http" not in html
    assert "信用风险高（D类）（重点）" in html and "71.5%" in html


@pytest.mark.browser
def test_report_prints_to_a4(tmp_path):
    from playwright.sync_api import sync_playwright

    requests_seen: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 800, "height": 1100})
        page.on("request", lambda r: requests_seen.append(r.url))
        page.set_content(_html(), wait_until="load")
        assert page.locator("svg").count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 800
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "compliance-report.png"), full_page=True)
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        browser.close()
    assert [u for u in requests_seen if not u.startswith(("about:", "data:"))] == []
    if shutil.which("pdftoppm"):
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "A4" in pages and int(next(line.split()[-1] for line in pages.splitlines()
                                          if line.startswith("Pages:"))) <= 2
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf),
                        str(ARTIFACTS / "compliance-report-print")], check=True)
