"""记录 and evidence photos: past inspections with their review status (a real supervisor
return pulled from the server), opened again and corrected; photos taken from a path or
the newest image of the camera folder, shown with their upload state."""
from __future__ import annotations

import os
from datetime import date, datetime

import pytest
from tablet_kit import DEMO_GTIN, FORMALDEHYDE_A

from kivy_client.presenters import (
    InspectionPresenter,
    PresenterError,
    RecordsPresenter,
    ScanPresenter,
    SyncPresenter,
)


def _presenter(store, tmp_path, **kw) -> InspectionPresenter:
    return InspectionPresenter(store, inspector="张三", photo_dir=tmp_path / "photos",
                               today=lambda: date(2025, 6, 1), now=lambda: datetime(2025, 6, 1, 9, 0), **kw)


def _inspect(store, tmp_path, measured: str, **kw) -> InspectionPresenter:
    insp = _presenter(store, tmp_path, **kw)
    insp.use_resolution(ScanPresenter(store, today=lambda: date(2025, 6, 1)).scan(DEMO_GTIN))
    insp.start(address="北京市朝阳区示例路1号")
    insp.select(FORMALDEHYDE_A)
    insp.record(measured)
    return insp


def _image(path, colour=(90, 140, 200)):
    from PIL import Image

    Image.new("RGB", (320, 240), colour).save(path)
    return path


def test_returned_inspection_is_listed_opened_and_corrected(synced_store, server, wsgi_factory, tmp_path):
    from server_testkit import Api
    from tablet_kit import complete

    insp = _inspect(synced_store, tmp_path, "20.4")
    insp.add_note("吊牌批号 B2025，复测")
    insp.take_photo(str(_image(tmp_path / "evidence.jpg")))
    records = RecordsPresenter(synced_store)

    def own_row():   # the server module is shared: other tests' inspections are pulled too
        return next(r for r in records.rows() if r.id == insp.inspection_id)
    row = own_row()
    assert (row.status, row.findings, row.fails, row.pending) == ("draft", 1, 1, 3)
    assert row.status_label() == "草稿（未上传）" and row.status_label("en") == "draft (not sent)"
    complete(insp, tmp_path / "docs")                  # 完成检查: signed, locked, no longer a draft
    sync = SyncPresenter(synced_store, transport_factory=wsgi_factory)
    assert sync.sync() and sync.state == "done", sync.message
    assert own_row().status == "submitted"
    r = Api(server).call("POST", f"/api/v1/inspections/{insp.inspection_id}/reviews", "sup_chaoyang",
                         json={"outcome": "returned", "comment": "请复测甲醛"})
    assert r.status_code in (200, 201), r.json
    sync.sync()
    row = own_row()
    assert (row.status, row.review_comment, row.correctable) == ("returned", "请复测甲醛", True)

    reopened = _presenter(synced_store, tmp_path)
    reopened.load(row.id)
    assert reopened.form["credit_code"] == "91110105MA01ABCD00" and FORMALDEHYDE_A in [i.id for i in reopened.indicators]
    (finding,) = reopened.findings.values()
    assert reopened.last is finding and finding.outcome == "fail"
    fixed = reopened.correct("18", finding_id=finding.id)
    assert (fixed.revision, fixed.outcome) == (3, "pass")          # 1 measured, 2 its note, 3 the correction
    assert sync.sync() and sync.state == "done", sync.message
    row = own_row()
    # the correction sent it back for review: the server marks it "resubmitted" and the
    # tablet learns that at the same sync
    assert (row.status, row.fails, row.pending) == ("resubmitted", 0, 0)
    assert synced_store.records.get("finding", finding.id)["version"] == 3


def test_records_newest_first_and_unknown_open(synced_store, tmp_path):
    old = _presenter(synced_store, tmp_path)
    old.today = lambda: date(2025, 5, 1)
    old.use_resolution(ScanPresenter(synced_store, today=lambda: date(2025, 6, 1)).scan(DEMO_GTIN))
    old.start(company_name="旧企业")
    new = _inspect(synced_store, tmp_path, "15")
    ids = [r.id for r in RecordsPresenter(synced_store).rows()]
    assert ids.index(new.inspection_id) < ids.index(old.inspection_id)
    with pytest.raises(PresenterError, match="没有该检查记录"):
        old.load("no-such-inspection")


def test_photo_from_path_and_camera_folder_with_states(synced_store, tmp_path):
    camera = tmp_path / "DCIM"
    camera.mkdir()
    insp = _inspect(synced_store, tmp_path, "18", camera_folder=camera)
    with pytest.raises(PresenterError, match="相机文件夹里没有照片"):
        insp.take_photo("")
    with pytest.raises(PresenterError, match="找不到照片文件"):
        insp.take_photo(str(tmp_path / "missing.jpg"))
    first = insp.take_photo(str(_image(tmp_path / "typed.jpg")))
    older, newer = _image(camera / "IMG_1.jpg", (10, 10, 10)), _image(camera / "IMG_2.jpg", (200, 30, 30))
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_700_000_100, 1_700_000_100))
    second = insp.take_photo("")
    finding = insp.last
    assert finding.photos == [first, second]                 # the selected indicator's finding
    views = insp.photos()
    assert [v.sha256 for v in views] == [first, second] and {v.record_id for v in views} == {finding.id}
    assert all(v.thumbnail.endswith(".thumb.jpg") and v.label() == "待上传" for v in views)
    synced_store.photos.mark_uploaded(first)
    synced_store.photos.note_failure(second, "照片已损坏 / corrupt", rejected=True)
    labels = [v.label() for v in insp.photos()]
    assert labels == ["已上传", "失败：照片已损坏 / corrupt"]
    assert insp.photos()[0].label("en") == "uploaded"


def test_photo_needs_an_inspection_and_a_source(synced_store, tmp_path, monkeypatch):
    monkeypatch.delenv("GBFIELD_CAMERA_DIR", raising=False)
    insp = _presenter(synced_store, tmp_path)
    with pytest.raises(PresenterError, match="请先保存检查信息"):
        insp.take_photo("")
    assert insp.photos() == []
    insp.start(company_name="某企业", credit_code="91110105MA01ABCD00")
    with pytest.raises(PresenterError, match="GBFIELD_CAMERA_DIR"):
        insp.take_photo("")
    monkeypatch.setenv("GBFIELD_CAMERA_DIR", str(tmp_path))
    _image(tmp_path / "shot.png")
    sha = _presenter(synced_store, tmp_path).camera_folder and insp.attach_photo(tmp_path / "shot.png")
    assert [v.record_id for v in insp.photos()] == [insp.inspection_id] and insp.photos()[0].sha256 == sha
