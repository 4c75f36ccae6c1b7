"""InspectionPresenter: form checks, indicators, on-the-spot verdicts, corrections,
photos and questions, on a store filled by the real server; then the server agrees."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tablet_kit import DEMO_GTIN, FORMALDEHYDE_A

from kivy_client.presenters import InspectionPresenter, PresenterError, ScanPresenter, SyncPresenter

GOOD_CREDIT = "91110105MA01ABCD00"


@pytest.fixture
def inspection(synced_store, tmp_path):
    presenter = InspectionPresenter(synced_store, inspector="李检查", photo_dir=tmp_path / "photos",
                                    today=lambda: date(2025, 6, 1), now=lambda: datetime(2025, 6, 1, 10, 30))
    presenter.use_resolution(ScanPresenter(synced_store, today=lambda: date(2025, 6, 1)).scan(DEMO_GTIN))
    return presenter


def test_scan_prefills_form_and_lists_key_indicators_first(inspection):
    assert inspection.form["credit_code"] == GOOD_CREDIT and inspection.form["gtin"] == DEMO_GTIN
    rows = inspection.indicators
    assert rows[0].key and FORMALDEHYDE_A in [r.id for r in rows]
    keys = [r.key for r in rows]
    assert keys == sorted(keys, reverse=True) and not all(keys)
    assert all("/B" not in r.id and "/C" not in r.id for r in rows)   # class A product
    formaldehyde = next(r for r in rows if r.id == FORMALDEHYDE_A)
    assert formaldehyde.units[0] == "mg/kg" and "%" in formaldehyde.units


@pytest.mark.parametrize("credit,fragment", [
    ("91110105MA01ABCD01", "校验位错误：应为 0"),
    ("9111010", "应为18位"),
    ("", "应为18位"),
])
def test_bad_credit_code_is_refused_readably(inspection, credit, fragment):
    with pytest.raises(PresenterError, match=fragment):
        inspection.start(credit_code=credit)
    assert inspection.inspection_id is None and fragment in inspection.message


@pytest.mark.parametrize("measured,unit,outcome", [
    ("15", "mg/kg", "pass"),
    ("20.4", "mg/kg", "fail"),
    ("0.0015", "%", "pass"),
])
def test_verdict_on_the_spot(inspection, measured, unit, outcome):
    inspection.start(address="北京市朝阳区示例路1号")
    inspection.select(FORMALDEHYDE_A)
    view = inspection.record(measured, unit)
    assert view.outcome == outcome and view.steps and view.limit_text == "≤20"
    assert inspection.last is view


@pytest.mark.parametrize("measured,unit,fragment", [
    ("", "mg/kg", "请输入检测结果"),
    ("1..5", "mg/kg", "不是数值，请输入数字"),
    ("abc", "mg/kg", "不是数值，请输入数字"),
    ("15", "km/h", "不能换算为 mg/kg"),
])
def test_bad_value_is_refused_and_nothing_recorded(inspection, measured, unit, fragment):
    inspection.start()
    inspection.select(FORMALDEHYDE_A)
    with pytest.raises(PresenterError, match=fragment):
        inspection.record(measured, unit)
    assert inspection.store.outbox.counts()["pending"] == 1      # only the inspection


def test_record_needs_inspection_and_indicator(inspection):
    with pytest.raises(PresenterError, match="请先保存检查信息"):
        inspection.record("15")
    inspection.start()
    with pytest.raises(PresenterError, match="请先选择指标"):
        inspection.record("15")


def test_correction_photo_question_then_server_agrees(inspection, wsgi_factory, tmp_path):
    from PIL import Image

    inspection.start()
    inspection.select(FORMALDEHYDE_A)
    first = inspection.record("20.4")
    corrected = inspection.correct("18", finding_id=first.id)
    assert (corrected.revision, corrected.outcome) == (2, "pass")
    capture = tmp_path / "capture.jpg"
    Image.new("RGB", (640, 480), (120, 160, 200)).save(capture)
    sha = inspection.attach_photo(str(capture))
    assert inspection.last.photos == [sha] and (inspection.photo_dir / f"{sha}.jpg").exists()
    qid = inspection.ask("连体衣的罗纹领口按哪一类判定？")
    assert inspection.store.records.get("question", qid)["data"]["clause"] == "4.1"
    with pytest.raises(PresenterError, match="问题内容不能为空"):
        inspection.ask("  ")

    sync = SyncPresenter(inspection.store, transport_factory=wsgi_factory)
    assert sync.sync() and sync.state == "done", sync.message
    assert sync.attention() == [] and sync.last.photos == 0        # WSGI transport: no photo step
    server_view = inspection.store.records.get("finding", first.id)
    assert server_view["version"] >= 2


ODOUR = "GB 18401-2010/4.1/odour"


def test_a_correction_goes_to_the_finding_chosen_not_the_last_one(inspection):
    """Found: with 甲醛含量 selected, 更正 19.8 was written into the 异味 finding (the last one)."""
    inspection.start()
    inspection.select(FORMALDEHYDE_A)
    formaldehyde = inspection.record("20.6")
    inspection.select(ODOUR)
    odour = inspection.record("无异味")
    inspection.select(FORMALDEHYDE_A)                    # the officer goes back to 甲醛含量
    assert inspection.chosen.id == formaldehyde.id
    fixed = inspection.correct("19.8")
    assert fixed.id == formaldehyde.id and (fixed.revision, fixed.outcome) == (2, "pass")
    assert [(r.revision, r.measured, r.outcome) for r in fixed.superseded] == [(1, "20.6", "fail")]
    assert inspection.store.records.get("finding", odour.id)["data"]["measured"] == "无异味"
    inspection.choose_finding(odour.id)
    assert inspection.selected.id == ODOUR and inspection.chosen.id == odour.id


def test_judging_the_same_indicator_again_asks_correct_or_second_sample(inspection):
    """Found: 判定 again added a second formaldehyde finding, both standing side by side."""
    inspection.start()
    inspection.select(FORMALDEHYDE_A)
    first = inspection.record("19.8")
    assert inspection.record("20.6") is None
    prompt = inspection.duplicate
    assert (prompt.finding_id, prompt.sample, prompt.next_sample) == (first.id, 1, 2)
    assert "样品1已有结果 19.8 mg/kg" in prompt.question(inspection.findings[first.id])
    assert len(inspection.findings) == 1 and inspection.store.records.revisions(first.id)[-1]["revision"] == 1
    corrected = inspection.resolve_duplicate("correct")
    assert (corrected.id, corrected.revision, corrected.outcome) == (first.id, 2, "fail")
    assert inspection.record("18") is None
    second = inspection.resolve_duplicate("sample")
    assert second.id != first.id and second.sample == 2 and second.outcome == "pass"
    assert [f.sample for f in inspection.ordered_findings()] == [1, 2]
    with pytest.raises(PresenterError, match="没有待确认"):
        inspection.resolve_duplicate("sample")


def test_saving_the_form_again_edits_the_same_inspection(inspection):
    """Found: re-saving the form (to fix an address typo) created a duplicate inspection."""
    first = inspection.start(address="北京市朝阳区示列路1号")
    before = set(inspection.store.records.all("inspection"))
    assert inspection.start(address="北京市朝阳区示例路1号") == first
    assert set(inspection.store.records.all("inspection")) == before
    data = inspection.store.records.get("inspection", first)["data"]
    assert data["address"] == "北京市朝阳区示例路1号" and data["started_at"]
    items = [i for i in inspection.store.outbox.items() if i["id"] == first]
    assert [i["data"]["address"] for i in items] == ["北京市朝阳区示列路1号", "北京市朝阳区示例路1号"]


@pytest.mark.parametrize("typed,fragment", [("没有异味", "请从列表中选择：无异味 / 有异味"), ("abc", "请从列表中选择")])
def test_a_word_limit_takes_its_answers_only(inspection, typed, fragment):
    """Found: "没有异味" against 无异味 was judged 不合格 — free text compared exactly."""
    inspection.start()
    row = inspection.select(ODOUR)
    assert row.input == "choice" and row.choices == ("无异味", "有异味")
    with pytest.raises(PresenterError, match=fragment):
        inspection.record(typed)
    assert inspection.findings == {} and inspection.chosen is None
    assert inspection.record("无异味").outcome == "pass"


def test_indicators_say_which_input_they_take(inspection):
    rows = {r.id: r for r in inspection.indicators}
    assert rows[FORMALDEHYDE_A].input == "number" and rows[FORMALDEHYDE_A].units[0] == "mg/kg"
    fastness = next(r for r in rows.values() if "colour-fastness" in r.id)
    assert fastness.input == "grade" and "3-4" in fastness.choices


def test_the_watermark_names_the_officer_enrolled_in_this_session(tmp_path):
    """Found: the photo watermark's 检查员 was empty in the session the tablet was enrolled in."""
    from device import memory_store

    store = memory_store()
    presenter = InspectionPresenter(store, photo_dir=tmp_path)       # as the app makes it, before enrolment
    assert presenter.watermark("r").inspector == ""
    store.state.save_credentials({"server_url": "http://x", "token": "t", "device_id": "d",
                                  "user": {"username": "insp_chaoyang", "display_name": "李检查"}})
    assert presenter.watermark("r").lines()[2] == "检查员：李检查"


def test_time_and_place_come_from_the_location_service(synced_store, tmp_path):
    import json

    from kivy_client.services.location import ReplayLocation

    track = tmp_path / "track.json"
    track.write_text(json.dumps([{"lat": 39.92163, "lon": 116.48712, "accuracy": 35.0},
                                 {"lat": 39.921641, "lon": 116.487133, "accuracy": 8.0}]))
    gps = ReplayLocation(track, clock=lambda: datetime(2025, 6, 1, 2, 0, tzinfo=UTC))
    gps.start()
    gps.poll(all=True)
    presenter = InspectionPresenter(synced_store, photo_dir=tmp_path, location=gps,
                                    now=lambda: datetime(2025, 6, 1, 2, 1, tzinfo=UTC))
    presenter.use_resolution(ScanPresenter(synced_store, today=lambda: date(2025, 6, 1)).scan(DEMO_GTIN))
    iid = presenter.start(site="仓库二楼")
    data = synced_store.records.get("inspection", iid)["data"]
    assert data["position"] == {"lat": "39.921641", "lon": "116.487133", "accuracy_m": 8.0,
                                "fixed_at": "2025-06-01T02:00:00+00:00", "source": "replay"}
    assert data["started_at"] == "2025-06-01T02:01:00+00:00" and data["site"] == "仓库二楼"
    assert "（±8 m）" in presenter.position_text() and "仓库二楼" in presenter.watermark(iid).place


def test_no_position_on_a_desktop_says_so(synced_store, tmp_path):
    presenter = InspectionPresenter(synced_store, photo_dir=tmp_path)
    assert presenter.position is None and "请手动填写检查地点" in presenter.position_text()
