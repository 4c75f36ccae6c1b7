"""InspectionPresenter: form checks, indicators, on-the-spot verdicts, corrections,
photos and questions, on a store filled by the real server; then the server agrees."""
from __future__ import annotations

from datetime import date, datetime

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
    ("", "mg/kg", "请输入测量值"),
    ("1..5", "mg/kg", "测量值无法识别"),
    ("15", "km/h", "不能换算"),
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
    corrected = inspection.correct(first.id, "18")
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
