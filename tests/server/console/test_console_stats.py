"""Console 合规统计: figures made by the real nightly job (server.jobs.tasks.compliance_stats),
summed per standard inside the supervisor's subtree, rates, CSS bars, the empty state and
bad periods."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from console_kit import sign_in
from server_testkit import finding, inspection_item

from server.statistics.console import per_standard

PERIOD = "/console/compliance/?from=2025-05-01&to=2025-06-30"


@pytest.fixture
def nightly(app, api):
    """Push chaoyang's and haidian's inspections (2025-06-01) and run the nightly job once."""
    from server.jobs import tasks
    from server.kernel.runtime import dispose_apps

    chaoyang, haidian = api.device("insp_chaoyang"), api.device("insp_haidian")
    r = api.push([inspection_item(findings=[finding(measured="15"), finding(measured="25", outcome="fail")]),
                  inspection_item(findings=[finding(measured="30", outcome="pass")])], token=chaoyang)
    assert [x["status"] for x in r.json["results"]] == ["applied", "applied"], r.json
    r = api.push([inspection_item(jurisdiction="110108", findings=[finding(measured="10")])], token=haidian)
    assert r.json["results"][0]["status"] == "applied", r.json
    config = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
              "GBFIELD_BLOB_DIR": app.config["GBFIELD_BLOB_DIR"]}
    night = datetime(2025, 6, 2, 2, 0, tzinfo=timezone(timedelta(hours=8))).astimezone(UTC)
    try:
        assert tasks.compliance_stats(night, config=config) == {"rows": 2}
        yield
    finally:
        dispose_apps()


def _first_word(cell: str) -> str:
    words = re.sub(r"<[^>]+>", " ", cell).split()
    return words[0] if words else ""


def _rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[_first_word(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
            for row in re.findall(r'<tr class="stat-row">(.*?)</tr>', body, re.DOTALL)]


def test_supervisor_sees_the_subtrees_figures_with_rates_and_bars(client, nightly):
    sign_in(client, "sup_chaoyang")
    page = client.get(PERIOD).get_data(as_text=True)
    # standard, inspections, findings, pass, fail, inconclusive, fail rate, disagreement rate
    assert _rows(page) == [["GB", "2", "3", "1", "2", "0", "66.7%", "33.3%", ""]]
    assert re.findall(r'class="nowrap std-code">([^<]+)<', page) == ["GB 18401"]
    assert 'class="bar-pass" x="0" width="33.33"' in page and 'class="bar-fail" x="33.33" width="66.67"' in page   # SVG widths (no style attributes: the CSP)
    assert "最近一次计算：2025-06-02 02:00" in page


def test_admin_sums_every_district_per_standard(client, nightly):
    sign_in(client, "admin")
    assert _rows(client.get(PERIOD).get_data(as_text=True)) == [["GB", "3", "4", "2", "2", "0", "50.0%", "25.0%", ""]]


@pytest.mark.parametrize("who,query", [("sup_pudong", PERIOD), ("sup_chaoyang", "/console/compliance/?from=2025-07-01")])
def test_no_figures_says_when_they_are_computed(client, nightly, who, query):
    sign_in(client, who)
    r = client.get(query)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "所选期间没有统计数据" in page and "gbfield scheduler" in page
    assert 'class="stat-row"' not in page


def test_never_computed_is_said_plainly(client):
    sign_in(client, "sup_chaoyang")
    page = client.get("/console/compliance/").get_data(as_text=True)
    assert "尚未计算过" in page and "所选期间没有统计数据" in page


@pytest.mark.parametrize("query", ["from=2025-07-01&to=2025-06-01", "from=garbage&to=2025-13-45", "from=0001-01-01"])
def test_bad_periods_fall_back_without_errors(client, query):
    sign_in(client, "sup_chaoyang")
    r = client.get(f"/console/compliance/?{query}")
    assert r.status_code == 200


@pytest.mark.parametrize("rows,expected", [
    ([], []),
    ([{"standard_code": "GB 1", "inspections": 1, "findings": 0, "passed": 0, "failed": 0, "inconclusive": 0,
       "disagreements": 0}], [("GB 1", None, None)]),
    ([{"standard_code": "GB 2", "inspections": 1, "findings": 4, "passed": 1, "failed": 1, "inconclusive": 2,
       "disagreements": 1},
      {"standard_code": "GB 2", "inspections": 2, "findings": 4, "passed": 3, "failed": 1, "inconclusive": 0,
       "disagreements": 0}], [("GB 2", 2 / 6, 1 / 8)]),
])
def test_per_standard_sums_and_rates(rows, expected):
    got = per_standard(rows)
    assert [(r["standard_code"], r["fail_rate"], r["disagreement_rate"]) for r in got] == expected
    for r in got:
        assert sum(r["bar"].values()) in (0, pytest.approx(100))
