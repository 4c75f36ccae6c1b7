"""The demo year: deterministic, dated relative to today, four districts of two cities,
every review state, photos through the tablet's watermark pipeline, questions answered and
open, a publication that re-judges findings, figures and 回头看 reminders at load."""
from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from server_testkit import dispose_app, make_app
from sqlalchemy import func, select

import assets
from server.app.demo_year import DISTRICTS, year_plan


@pytest.fixture(scope="module")
def products(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'plan.db'}")
    from server.registry.service import list_products
    with app.app_context():
        items = list_products(None, limit=500)["items"]
    dispose_app(app)
    return items


def test_plan_is_deterministic_and_relative_to_today(products):
    catalog = assets.load_catalog()
    one = year_plan(products, catalog, today=date(2026, 12, 1), seed=7)
    two = year_plan(products, catalog, today=date(2026, 12, 1), seed=7)
    assert [i.data for i in one.inspections] == [i.data for i in two.inspections]
    later = year_plan(products, catalog, today=date(2027, 3, 1), seed=7)
    days = [date.fromisoformat(i.data["inspected_on"]) for i in later.inspections]
    assert max(days) <= date(2027, 3, 1) and min(days) >= date(2026, 3, 1)
    assert (date(2027, 3, 1) - max(days)).days < 7      # the nightly job's last 7 days see work


def test_plan_covers_four_districts_of_two_cities_and_every_outcome(products):
    plan = year_plan(products, assets.load_catalog(), today=date(2026, 12, 1))
    assert len(plan.inspections) >= 300
    codes = {i.data["jurisdiction"] for i in plan.inspections}
    assert codes == {d[0] for d in DISTRICTS} and {c[:2] for c in codes} == {"11", "31"}
    outcomes = {r[1] for i in plan.inspections for r in i.reviews}
    assert outcomes == {"approved", "returned", "rejected"}
    assert any(i.resubmit_at for i in plan.inspections)
    assert any(i.data.get("status") == "draft" for i in plan.inspections)
    assert any(not i.reviews for i in plan.inspections)
    assert sum(1 for i in plan.inspections if i.photos) >= 60
    assert any(q["answer"] for q in plan.questions) and any(not q["answer"] for q in plan.questions)


def test_loaded_year_shows_on_every_page(tmp_path):
    from cli.demo_photos import demo_photo
    from server.app.demo import load_demo
    from server.inspections.models import Flag, Inspection
    from server.kernel.extensions import db
    from server.photos.models import Photo
    from server.statistics.models import ComplianceStat
    app = make_app(f"sqlite:///{tmp_path / 'year.db'}", GBFIELD_BLOB_DIR=str(tmp_path / "blobs"))
    try:
        with app.app_context():
            summary = load_demo(year=True, photo_maker=demo_photo)
            year = summary["year"]
            statuses = dict(db.session.execute(select(Inspection.status, func.count()).group_by(Inspection.status)).all())
            assert {"submitted", "approved", "returned", "resubmitted", "rejected", "draft"} <= set(statuses)
            assert year["inspections"] >= 300 and year["photos"] >= 60 and year["published"] == 2
            assert year["flags"] > 0 and year["stats_rows"] > 0 and year["rechecks"] > 0
            assert year["plan"]["plan_id"]        # the 双随机 plan, drawn, inspected, published
            flags = list(db.session.execute(select(Flag)).scalars())
            assert {"interpretation_changed", "recheck_reminder"} <= {f.data.get("kind") for f in flags}
            changed = [f.data for f in flags if f.data.get("kind") == "interpretation_changed"]
            # the rounding interpretation turns borderline formaldehyde fails into passes, and the
            # later pH interpretation does not undo it
            assert all("/formaldehyde/" in c["indicator_id"] and c["after"]["outcome"] == "pass" for c in changed)
            assert db.session.execute(select(func.count()).select_from(ComplianceStat)).scalar() == year["stats_rows"]
            photo = db.session.execute(select(Photo)).scalars().first()
            assert photo.original_sha256          # the pipeline's EXIF mark: the real watermark pipeline ran
            again = load_demo(year=True, photo_maker=demo_photo)["year"]
            assert again["inspections"] == 0      # idempotent
        client = app.test_client()
        faq = client.get("/faq/").get_data(as_text=True)
        assert "GB 18401-2010 甲醛含量按修约值比较法判定" in faq
    finally:
        dispose_app(app)


def test_demo_photo_is_watermarked():
    from cli.demo_photos import demo_photo
    jpeg = demo_photo({"taken_at": "2026-11-30 10:00:00", "place": "上海市徐汇区漕溪北路1号",
                       "inspector": "insp_xuhui", "record_id": "abc"}, 3)
    assert jpeg == demo_photo({"taken_at": "2026-11-30 10:00:00", "place": "上海市徐汇区漕溪北路1号",
                               "inspector": "insp_xuhui", "record_id": "abc"}, 3)
    image = Image.open(io.BytesIO(jpeg))
    band = image.crop((0, image.height - 40, 200, image.height)).convert("L")
    low, high = band.getextrema()
    assert low < 60 and high > 200   # dark band with white text
