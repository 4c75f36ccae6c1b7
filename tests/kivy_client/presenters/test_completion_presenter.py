"""完成检查 through the presenters on a store synced from the real server: what is missing,
the summary and the 现场笔录 preview (Chinese text on the rendered page), legal labels,
signatures drawn as strokes, a refusal with a witness, the lock, and the server holding
the completed inspection once synced."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tablet_kit import DEMO_GTIN, FORMALDEHYDE_A

from kivy_client.presenters import InspectionPresenter, PresenterError, ScanPresenter, SyncPresenter
from kivy_client.presenters.completion import CompletionPresenter, OfficerEntry
from kivy_client.presenters.onsite import OfficerProfile, PartyDetails

ODOUR = "GB 18401-2010/4.1/odour"
PROFILE = OfficerProfile("李检查", "11010520190123", "北京市朝阳区市场监督管理局")


def stroke(k=0):
    return [[(0.1 + i / 40, 0.5 + ((i + k) % 7) / 30) for i in range(30)]]


@pytest.fixture
def inspection(synced_store, tmp_path):
    presenter = InspectionPresenter(synced_store, photo_dir=tmp_path / "photos",
                                    today=lambda: date(2025, 6, 1), now=lambda: datetime(2025, 6, 1, 10, 30))
    presenter.use_resolution(ScanPresenter(synced_store, today=lambda: date(2025, 6, 1)).scan(DEMO_GTIN))
    presenter.start(address="北京市朝阳区示例路1号")
    presenter.select(FORMALDEHYDE_A)
    presenter.record("15")
    presenter.select(ODOUR)
    presenter.record("无异味")
    return presenter


@pytest.fixture
def done(synced_store, inspection, tmp_path):
    return CompletionPresenter(synced_store, inspection, profile=PROFILE, folder=tmp_path / "docs",
                               now=lambda: datetime(2025, 6, 1, 11, 5, tzinfo=UTC))


def test_begin_shows_summary_preview_and_what_is_missing(done, inspection):
    done.begin()
    assert done.state == "ready" and done.summary.fails == 0 and len(done.summary.findings) == 2
    assert done.problems == () and done.pages and done.pages[0].stat().st_size > 20_000
    assert done.store.records.get("inspection", inspection.inspection_id)["data"]["ended_at"] == "2025-06-01T11:05:00+00:00"
    missing = [p.message for p in done.missing()]
    assert any("需要 1 名执法人员签名" in m for m in missing) and any("当事人签名" in m for m in missing)


def test_a_failing_finding_without_evidence_blocks_completion(done, inspection):
    inspection.select(FORMALDEHYDE_A)
    inspection.correct("25")
    done.begin()
    assert any(p.kind == "evidence" and "缺少照片、说明" in p.message for p in done.problems)
    with pytest.raises(PresenterError, match="缺少照片"):
        done.finish()


def test_legal_labels_are_found_and_the_officer_warned(done):
    done.begin()
    done.update(situation="该店涉嫌销售不合格产品。")
    assert [h.word for h in done.labels] == ["涉嫌"] and done.labels[0].field == "situation"


def test_sign_complete_lock_and_the_server_holds_it(done, inspection, wsgi_factory, tmp_path):
    from PIL import Image

    done.begin()
    done.update(party=PartyDetails(legal_representative="陈晓明", on_site_person="刘芳", on_site_role="店长",
                                   opinion="对检查情况无异议。"))
    with pytest.raises(PresenterError, match="请在签名框内签名"):
        done.sign("officer:0", [[(0.5, 0.5)]])
    done.sign("officer:0", stroke())
    done.sign("party", stroke(3))
    assert done.missing() == ()
    pdf = done.finish()
    assert done.state == "done" and inspection.locked and pdf.exists() and pdf.read_bytes()[:4] == b"%PDF"
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "现场笔录" in text.replace(" ", "") and "北京市朝阳区市场监督管理局" in text and "甲醛含量" in text and "刘芳" in text
    with Image.open(done.pages[0]) as page:
        assert page.size[0] > 700
    with pytest.raises(PresenterError, match="只能更正"):
        inspection.start(address="改了地址")
    sync = SyncPresenter(done.store, transport_factory=wsgi_factory)
    assert sync.sync() and sync.state == "done", sync.message
    held = done.store.records.get("inspection", inspection.inspection_id)
    assert held["version"] >= 2


def test_a_refusal_is_recorded_with_a_witness(done):
    done.begin()
    done.sign("officer:0", stroke())
    done.refuse("当事人拒绝签名", witness_name="张见证")
    assert any("由见证人签名" in p.message for p in done.missing())
    done.sign("witness", stroke(5))
    assert done.missing() == ()
    done.finish()
    signed = [r["data"] for r in done.store.records.all("signature").values()
              if r["data"]["inspection_id"] == done.inspection_id]
    party = next(s for s in signed if s["role"] == "party")
    assert party["refused"] and party["witness_name"] == "张见证" and len(party["witness_image"]) == 64


def test_sampling_needs_a_second_officer(done):
    done.begin()
    done.update(sampling=True)
    assert [s for s, _ in done.slots()] == ["officer:0", "officer:1", "party"]
    done.sign("officer:0", stroke())
    with pytest.raises(PresenterError, match="请先填写该执法人员"):
        done.sign("officer:1", stroke(1))
    done.update(officers=[OfficerEntry("王建国", "11010520210456")])
    done.sign("officer:0", stroke())
    done.sign("officer:1", stroke(1))
    done.sign("party", stroke(2))
    assert done.missing() == ()



def test_completing_drops_an_open_correct_or_second_sample_question(done, inspection):
    """Found by the presenters' state machine: the question "correct, or a second sample?"
    asked before 完成检查 stayed open after the lock; answering "second sample" then failed."""
    inspection.select(ODOUR)
    assert inspection.record("有异味") is None and inspection.duplicate is not None
    done.begin()
    done.sign("officer:0", stroke())
    done.sign("party", stroke(3))
    done.finish()
    assert inspection.locked and inspection.duplicate is None
    with pytest.raises(PresenterError, match="没有待确认"):
        inspection.resolve_duplicate("sample")


def test_the_order_to_correct_is_the_order_entity_and_prints_on_the_record(done, inspection, wsgi_factory,
                                                                          server, tmp_path):
    """The completion screen's 责令改正 goes through the order entity of the enforcement
    cycle (device.tasks → server/planning), not a field of the inspection; it is printed
    on the 现场笔录 and changed (not doubled) when the officer edits it before signing."""
    import subprocess

    from PIL import Image

    done.begin()
    with pytest.raises(PresenterError, match="不合格的检测结果"):
        done.update(orders=[{"text": "限期整改甲醛含量", "deadline": "2099-06-15"}])
    inspection.select(FORMALDEHYDE_A)
    failed = inspection.correct("25")
    inspection.add_note("复测仍超标")
    photo = tmp_path / "capture.jpg"
    Image.new("RGB", (320, 240), (90, 100, 110)).save(photo)
    inspection.attach_photo(photo, failed.id)
    done.begin()
    with pytest.raises(PresenterError, match="整改期限"):
        done.update(orders=[{"text": "限期整改甲醛含量"}])
    with pytest.raises(PresenterError, match="不能早于"):
        done.update(orders=[{"text": "限期整改甲醛含量", "deadline": "2025-05-31"}])
    soon, later = (str(date.today() + timedelta(days=d)) for d in (14, 20))   # the server's clock is real
    done.update(orders=[{"text": "限期整改甲醛含量", "deadline": soon}])
    done.update(orders=[{"text": "限期整改甲醛含量，下架同批次产品", "deadline": later}])
    orders = [r["data"] for r in done.store.records.all("order").values()]
    assert [(o["requirement"], o["deadline"], o["finding_ids"]) for o in orders] == [
        ("限期整改甲醛含量，下架同批次产品", later, [failed.id])]
    assert "orders" not in done.store.records.get("inspection", inspection.inspection_id)["data"]
    done.sign("officer:0", stroke())
    done.sign("party", stroke(3))
    pdf = done.finish()
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "下架同批次产品" in words.replace("\n", "")
    sync = SyncPresenter(done.store, transport_factory=wsgi_factory)
    assert sync.sync() and sync.state == "done", sync.message
    from server.kernel.extensions import db
    from server.planning.models import Order

    with server.app_context():
        row = db.session.get(Order, orders[0]["id"])
        assert row is not None and row.inspection_id == inspection.inspection_id and row.state == "open"
        assert row.requirement == "限期整改甲醛含量，下架同批次产品" and row.finding_ids == [failed.id]
