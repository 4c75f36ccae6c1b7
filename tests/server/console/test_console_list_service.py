"""listing.list_inspections with the company/credit-code text filter done in SQL, the total
(count_inspections) and the per-row summaries computed in bulk; the JSON API keeps its shape."""
from __future__ import annotations

import pytest
from console_kit import jpeg_bytes, seed, sign_in
from server_testkit import finding, inspection_item
from sqlalchemy import event

from server.inspections import listing, review
from server.kernel.auth import Principal
from server.kernel.extensions import db
from server.photos.service import store_photo

SUP = Principal(0, "sup_chaoyang", "supervisor", "110105", "/110000/110100/110105/", None, "t")
ADMIN = Principal(0, "admin", "admin", "110000", "/110000/", None, "t")


@pytest.fixture
def ids(api):
    return seed(api)


@pytest.mark.parametrize("who,args,expected", [
    (SUP, {}, {"disagree", "plain"}),
    (SUP, {"q": "纺织"}, {"plain"}),
    (SUP, {"q": "91110105ma01abcd00"}, {"disagree", "plain"}),          # case-insensitive
    (SUP, {"q": "%"}, set()),                                           # LIKE wildcards are escaped
    (SUP, {"q": "婴童", "disagreement": True}, {"disagree"}),
    (SUP, {"q": "婴童", "disagreement": False}, set()),
    (SUP, {"status": "approved"}, set()),
    (ADMIN, {"q": "婴童"}, {"disagree", "haidian"}),
    (ADMIN, {}, {"disagree", "plain", "haidian"}),
])
def test_filters_and_count_agree(app, ids, who, args, expected):
    with app.app_context():
        rows = listing.list_inspections(who, limit=100, **args)
        total = listing.count_inspections(who, **args)
    assert {name for name, ident in ids.items() if ident in {r["id"] for r in rows}} == expected
    assert total == len(rows) == len(expected)


def test_count_ignores_paging_and_pages_do_not_overlap(app, ids):
    with app.app_context():
        first = listing.list_inspections(ADMIN, limit=2, offset=0)
        rest = listing.list_inspections(ADMIN, limit=2, offset=2)
        assert listing.count_inspections(ADMIN) == 3
    assert len(first) == 2 and len(rest) == 1
    assert not {r["id"] for r in first} & {r["id"] for r in rest}


def test_summaries_match_the_detail_and_use_a_fixed_number_of_queries(app, api):
    data, sha = jpeg_bytes()
    with app.test_request_context():
        from server.accounts.models import User
        user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
        store_photo(data, sha, Principal(user.id, user.username, "inspector", "110105",
                                         "/110000/110100/110105/", None, "t"))
        db.session.commit()
    items = [inspection_item(findings=[finding(measured=str(10 + i), photos=[sha, "cd" * 32]),
                                       finding(measured="30", outcome="fail")])
             for i in range(6)]
    assert {x["status"] for x in api.push(items, "insp_chaoyang").json["results"]} == {"applied"}
    with app.app_context():
        statements = []

        def listener(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            rows = listing.list_inspections(SUP, limit=100, summary=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(statements) <= 4                   # list, findings, photos (+ nothing per row)
        for row in rows:
            detail = review.get_inspection(SUP, row["id"])
            status = detail["photo_status"]
            latest = {f["id"]: f for f in sorted(detail["findings"], key=lambda f: f["revision"])}
            fails = sum((f["server_verdict"] or {}).get("outcome") == "fail" for f in latest.values())
            assert row["summary"] == {"findings": len(latest), "fail": fails,
                                      "photos_referenced": len(status["referenced"]),
                                      "photos_missing": len(status["missing"])}
            assert row["summary"]["photos_missing"] == 1 and row["summary"]["photos_referenced"] == 2


def test_api_list_keeps_its_shape(api, ids):
    r = api.call("GET", "/api/v1/inspections/?limit=10", "sup_chaoyang")
    assert r.status_code == 200 and isinstance(r.json, list) and len(r.json) == 2
    assert "summary" not in r.json[0] and {"id", "status", "company_name"} <= set(r.json[0])


def test_api_list_filters_by_company_text(api, ids):
    r = api.call("GET", "/api/v1/inspections/?q=%E7%BA%BA%E7%BB%87", "sup_chaoyang")   # q=纺织
    assert r.status_code == 200 and [x["id"] for x in r.json] == [ids["plain"]]


def test_console_list_shows_the_total_and_pages(client, ids, monkeypatch):
    from server.inspections import console as views_inspections

    monkeypatch.setattr(views_inspections, "PAGE_SIZE", 1)
    sign_in(client, "sup_chaoyang")
    page = client.get("/console/inspections/?q=91110105").get_data(as_text=True)
    assert "共 2 条" in page and "第 1/2 页" in page
