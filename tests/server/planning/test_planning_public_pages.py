"""The public self-check pages and the product page's links to them and to the results."""
from __future__ import annotations

import pytest

GTIN = "06901234567892"      # a demo product with GB 18401 (infant, class A)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_selfcheck_page_and_pdf(api):
    page = api.client.get(f"/selfcheck/{GTIN}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "合规自查清单" in text and "GB 18401" in text and "甲醛" in text
    pdf = api.client.get(f"/selfcheck/{GTIN}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert api.client.get("/selfcheck/06901234567891").status_code == 404      # not registered / bad check digit


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_product_page_links_to_results_and_selfcheck(api):
    text = api.client.get(f"/01/{GTIN}").get_data(as_text=True)
    assert f'/selfcheck/{GTIN}' in text and "/results/?q=91110105MA01ABCD00" in text
    assert "该企业的抽查结果公示" in text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_home_page_links_to_published_results_and_selfcheck_lists(app, api):
    from server.kernel import uow
    from server.planning import service as planning

    home = api.client.get("/").get_data(as_text=True)
    assert "抽查结果公示" in home and "尚无公示的抽查结果" in home and f"/selfcheck/{GTIN}" in home
    assert 'href="/results.csv"' in home and 'href="/results/"' in home
    with app.app_context(), uow.unit_of_work():
        planning.demo_cycle()
    home = api.client.get("/").get_data(as_text=True)
    [plan] = planning_plans(app)
    assert f'href="/results/{plan["id"]}"' in home and f"{plan['rows']} 条结果" in home
    english = api.client.get("/?lang=en").get_data(as_text=True)
    assert "Published inspection results" in english and "self-check list" in english


def planning_plans(app):
    from server.planning import service as planning
    with app.app_context():
        return planning.published_plans()
