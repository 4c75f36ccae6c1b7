"""Live figures: by standard, indicator, jurisdiction and month, computed when asked (a
review or push shows at once), numbers linked to the inspections behind them, SVG charts
without scripts, unreadable or reversed dates said aloud, and the same figures exported."""
from __future__ import annotations

import csv
import io
import re

import pytest
from console_kit import seed, sign_in
from openpyxl import load_workbook
from server_testkit import finding, inspection_item

PERIOD = "from=2025-05-01&to=2025-07-31"


@pytest.fixture
def ids(api):
    return seed(api)


@pytest.mark.parametrize("by,label", [("standard", "GB 18401"), ("indicator", "甲醛含量"),
                                      ("jurisdiction", "朝阳区"), ("month", "2025-06")])
def test_figures_by_each_dimension(client, ids, by, label):
    sign_in(client, "sup_chaoyang")
    page = client.get(f"/console/figures/?{PERIOD}&by={by}").get_data(as_text=True)
    assert label in page and "<svg" in page and "<script" not in page
    assert "66.7%" in page                      # 2 of 3 judged findings pass in chaoyang
    assert "海淀" not in page                   # another district stays out
    links = re.findall(r'href="(/console/inspections/\?[^"]+)"', page)
    assert links and all("date_from=2025-0" in link for link in links)


def test_a_new_push_shows_at_once(client, api, ids):
    sign_in(client, "sup_chaoyang")
    before = client.get(f"/console/figures/?{PERIOD}").get_data(as_text=True)
    api.push([inspection_item(inspected_on="2025-07-02", findings=[finding(measured="30", outcome="fail")])],
             "insp_chaoyang")
    after = client.get(f"/console/figures/?{PERIOD}").get_data(as_text=True)
    assert "66.7%" in before and "50.0%" in after


def test_the_fail_link_leads_to_the_failing_inspections(client, ids):
    sign_in(client, "sup_chaoyang")
    page = client.get(f"/console/figures/?{PERIOD}&by=standard").get_data(as_text=True)
    link = re.search(r'class="fail-count" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    listed = client.get(link).get_data(as_text=True)
    assert ids["disagree"] in listed and ids["plain"] not in listed


@pytest.mark.parametrize("query,note", [("from=2025-13-01", "无法识别"), ("from=2025-08-01&to=2025-05-01", "颠倒"),
                                        ("from=2020-01-01&to=2025-07-31", "最长")])
def test_bad_periods_are_said(client, ids, query, note):
    sign_in(client, "sup_chaoyang")
    assert note in client.get(f"/console/figures/?{query}").get_data(as_text=True)


def test_empty_period_and_access(app, ids):
    client = app.test_client()
    sign_in(client, "sup_chaoyang")
    assert "没有检查记录" in client.get("/console/figures/?from=2024-01-01&to=2024-01-31").get_data(as_text=True)
    expert = app.test_client()
    sign_in(expert, "expert")
    assert expert.get("/console/figures/").status_code == 403


def test_figures_export(client, ids):
    sign_in(client, "sup_chaoyang")
    rows = list(csv.reader(io.StringIO(client.get(f"/console/figures/export.csv?{PERIOD}&by=month")
                                       .get_data().decode("utf-8-sig"))))
    assert rows[0][0] == "分组" and rows[1][0] == "2025-06" and rows[1][6] == "66.7"
    sheet = load_workbook(io.BytesIO(client.get(f"/console/figures/export.xlsx?{PERIOD}").get_data())).active
    values = list(sheet.values)
    assert values[1][0].startswith("GB 18401") and values[1][2] == 3
