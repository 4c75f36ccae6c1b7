"""The demo year: deterministic, dated relative to today, four districts of two cities,
every review state, photos through the tablet's watermark pipeline, questions answered and
open, a publication that re-judges findings, figures and 回头看 reminders at load."""
from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime

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


#: what the demo loads for DEMO_SEED on the server clock FIXED_NOW (with the two fixed
#: inspections of load_demo's default): a faster load must load the same rows
FIXED_NOW = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
YEAR_COUNTS = {"answers": 8, "flags": 13, "inspections": 360, "photos": 95, "published": 2, "questions": 12,
               "rechecks": 8, "reviews": 388, "stats_rows": 394}
STATUSES = {"approved": 320, "draft": 2, "rejected": 25, "resubmitted": 3, "returned": 1, "submitted": 20}
OUTCOMES = {"fail": 136, "pass": 678}
DISTRICT_COUNTS = {"110105": 100, "110108": 90, "310104": 90, "310115": 91}
#: sha256 of the sorted inspection and finding rows below (ids left out: planning's are random)
INSPECTIONS_DIGEST = "d16bd9ffeeb27a4729c44b70c61b02debb44f0316b002c34542e50d1866c9dc7"
FINDINGS_DIGEST = "6fa39265565806aebf5f8ed6ea498058b067606f0b5e512f9764c93a243df3e7"


def _digest(db, *columns) -> str:
    rows = sorted(tuple(map(str, row)) for row in db.session.execute(select(*columns)).all())
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_loaded_year_shows_on_every_page_and_is_stable_for_its_seed(tmp_path, monkeypatch):
    from cli.demo_photos import demo_photos
    from server.app.demo import load_demo
    from server.inspections.models import Finding, Flag, Inspection
    from server.kernel import clock
    from server.kernel.extensions import db
    from server.photos.models import Photo
    from server.statistics.models import ComplianceStat
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    app = make_app(f"sqlite:///{tmp_path / 'year.db'}", GBFIELD_BLOB_DIR=str(tmp_path / "blobs"))
    try:
        with app.app_context():
            summary = load_demo(year=True, photo_maker=demo_photos)
            year = summary["year"]
            statuses = dict(db.session.execute(select(Inspection.status, func.count()).group_by(Inspection.status)).all())
            assert {k: v for k, v in year.items() if k != "plan"} == YEAR_COUNTS
            assert statuses == STATUSES
            assert dict(db.session.execute(select(Finding.server_outcome, func.count())
                                           .group_by(Finding.server_outcome)).all()) == OUTCOMES
            assert dict(db.session.execute(select(Inspection.jurisdiction_code, func.count())
                                           .group_by(Inspection.jurisdiction_code)).all()) == DISTRICT_COUNTS
            assert _digest(db, Inspection.jurisdiction_code, Inspection.status, Inspection.version,
                           Inspection.updated_at, Inspection.inspected_on, Inspection.company_name) \
                == INSPECTIONS_DIGEST, "the demo's inspections changed for its fixed seed"
            assert _digest(db, Finding.indicator_id, Finding.measured, Finding.revision, Finding.server_outcome,
                           Finding.created_at) == FINDINGS_DIGEST, "the demo's findings changed for its fixed seed"
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
            again = load_demo(year=True, photo_maker=demo_photos)["year"]
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
