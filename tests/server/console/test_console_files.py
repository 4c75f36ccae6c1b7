"""Files from the console: CSV and XLSX of what the list shows (read back with csv and
openpyxl), cells that could run as formulas neutralised, the `exported` events, and the
现场笔录 / inspection report PDFs read back with poppler."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import UTC

import pytest
from console_kit import jpeg_bytes, seed, sign_in
from openpyxl import load_workbook
from server_testkit import finding, inspection_item, uid

from server.evidence.models import EvidenceEvent
from server.kernel.console import tables
from server.kernel.extensions import db


@pytest.fixture
def ids(api):
    ids = seed(api)
    evil = inspection_item(company_name="=HYPERLINK(\"http://x\")有限公司", findings=[finding(measured="-0.25")],
                           inspected_on="2025-06-02")
    ids["evil"] = evil["id"]
    assert api.push([evil], "insp_chaoyang").json["results"][0]["status"] == "applied"
    return ids


def _events(app, kind="exported"):
    with app.app_context():
        return [(e.record_type, e.record_id, e.actor, json.loads(e.details)) for e in
                db.session.execute(db.select(EvidenceEvent).where(EvidenceEvent.kind == kind)
                                   .order_by(EvidenceEvent.seq)).scalars()]


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+86 10", "'+86 10"), ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("-0.25", "-0.25"), ("+3", "+3"), ("-1+1", "'-1+1"), ("甲醛", "甲醛"), (None, ""), (7, 7),
])
def test_neutralise(value, expected):
    assert tables.neutralise(value) == expected


def test_csv_export_is_what_the_filters_show(app, client, ids):
    sign_in(client, "sup_chaoyang")
    r = client.get("/console/inspections/export/inspections.csv?outcome=pass")
    assert r.status_code == 200 and r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    body = r.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["检查日期", "企业"]
    ids_col = {row[-1] for row in rows[1:]}
    assert ids_col == {ids["plain"], ids["evil"]}                  # the failing one is filtered out
    evil = next(row for row in rows if row[-1] == ids["evil"])
    assert evil[1].startswith("'=HYPERLINK")
    assert _events(app)[-1][:3] == ("inspections_list", None, "sup_chaoyang")
    assert _events(app)[-1][3]["filters"] == {"outcome": "pass"} and _events(app)[-1][3]["rows"] == 2


def test_xlsx_findings_export_opens_with_openpyxl(app, client, ids):
    sign_in(client, "sup_chaoyang")
    r = client.get("/console/inspections/export/findings.xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(r.get_data()), read_only=True).active
    rows = list(sheet.values)
    header, data = rows[0], rows[1:]
    assert "指标" in header and "服务器复核" in header
    assert len(data) == 4                                          # 2 + 1 + 1 findings in chaoyang
    measured = {row[header.index("实测值")] for row in data}
    assert {"15", "24", "12", "-0.25"} == measured                # a plain number is left as written
    assert all(not str(cell).startswith("=") for row in data for cell in row if cell is not None)
    assert "不合格" in {row[header.index("服务器复核")] for row in data}
    assert _events(app)[-1][3]["kind"] == "findings" and _events(app)[-1][3]["format"] == "xlsx"


def test_reviews_export_and_english_headers(client, ids):
    sign_in(client, "sup_chaoyang")
    client.get("/console/inspections/?lang=en")
    r = client.get("/console/inspections/export/reviews.csv")
    rows = list(csv.reader(io.StringIO(r.get_data().decode("utf-8-sig"))))
    assert rows[0][0] == "Date" and len(rows) == 1                   # no reviews yet: the header alone


def test_export_scope_and_bad_paths(client, ids):
    sign_in(client, "sup_haidian")
    rows = list(csv.reader(io.StringIO(client.get("/console/inspections/export/inspections.csv")
                                       .get_data().decode("utf-8-sig"))))
    assert {row[-1] for row in rows[1:]} == {ids["haidian"]}
    assert client.get("/console/inspections/export/secrets.csv").status_code == 404
    assert client.get("/console/inspections/export/inspections.pdf").status_code == 404


def _pdftext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("kind,title", [("onsite", "现"), ("report", "现场检查报告")])
def test_printed_records(app, client, api, tmp_path, kind, title):
    from server.kernel.auth import Principal
    from server.photos.service import store_photo

    data, sha = jpeg_bytes()
    ids = seed(api, photos=[sha])
    with app.app_context():
        from server.accounts.models import User
        user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
        store_photo(data, sha, Principal(user.id, user.username, "inspector", "110105", "/110000/110100/110105/",
                                         None, "t"))
        db.session.commit()
    sign_in(client, "sup_chaoyang")
    r = client.get(f"/console/inspections/{ids['disagree']}/{kind}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf" and r.get_data().startswith(b"%PDF")
    text = _pdftext(r.get_data(), tmp_path)
    for expected in (title, "北京市朝阳区市场监督管理局", "北京示例婴童服饰有限公司", "甲醛", ids["disagree"][:8]):
        assert expected in text.replace(" ", ""), expected
    event = _events(app)[-1]
    assert event[:3] == ("inspection", ids["disagree"], "sup_chaoyang") and event[3]["document"] == kind
    assert client.get(f"/console/inspections/{ids['haidian']}/{kind}.pdf").status_code == 404


def test_photo_viewer(app, client, api):
    from server.kernel.auth import Principal
    from server.photos.service import store_photo

    data, sha = jpeg_bytes()
    ids = seed(api, photos=[sha])
    with app.app_context():
        from server.accounts.models import User
        user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
        store_photo(data, sha, Principal(user.id, user.username, "inspector", "110105", "/110000/110100/110105/",
                                         None, "t"))
        db.session.commit()
    sign_in(client, "sup_chaoyang")
    detail = client.get(f"/console/inspections/{ids['disagree']}").get_data(as_text=True)
    assert "insp_chaoyang" in detail and "photos/2" in detail and "未上传" in detail
    first = client.get(f"/console/inspections/{ids['disagree']}/photos/1").get_data(as_text=True)
    assert "第 1 张，共 2 张" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get(f"/console/inspections/{ids['disagree']}/photos/2?zoom=3").get_data(as_text=True)
    assert "第 2 张，共 2 张" in second and 'class="zoom-3"' in second and 'rel="prev"' in second
    assert client.get(f"/console/inspections/{ids['haidian']}/photos/1").status_code == 404


def test_streamed_xlsx_reads_back(tmp_path):
    from datetime import date, datetime

    path = tmp_path / "t.xlsx"
    tables.write_xlsx(str(path), "检查项", ["文本", "数", "日期", "时间", "空", "是否"],
                      [["a<b & c\x01\"'", 3, date(2025, 6, 1), datetime(2025, 6, 1, 1, 30, tzinfo=UTC), None,
                        True], ["=cmd", -0.5, None, None, "", False]])
    sheet = load_workbook(path).active
    rows = list(sheet.values)
    assert sheet.title == "检查项" and rows[0] == ("文本", "数", "日期", "时间", "空", "是否")
    assert rows[1][:4] == ("a<b & c\"'", 3, datetime(2025, 6, 1), datetime(2025, 6, 1, 9, 30))   # Beijing time
    assert rows[1][5] == "是" and rows[2][0] == "'=cmd" and rows[2][1] == -0.5 and rows[2][5] == "否"
    assert sheet.freeze_panes == "A2"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_onsite_record_prints_the_signatures(app, client, api, tmp_path):
    from datetime import datetime

    from server.accounts.models import User
    from server.inspections.models import Signature

    ids = seed(api)
    record = "ab" * 32
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
        at = datetime(2025, 6, 1, 10, 30, tzinfo=UTC)
        for role, data in (("officer", {"signer_name": "王执法", "signer_number": "11010520230001"}),
                           ("party", {"signer_name": "李店长", "refused": True, "refusal_note": "不认可检测结果",
                                      "witness_name": "赵见证"})):
            db.session.add(Signature(id=f"sig-{role}", inspection_id=ids["disagree"], role=role, record_hash=record,
                                     hash_matches=True, refused=bool(data.get("refused")), image_sha256=None,
                                     data={"signed_at": at.isoformat(), **data}, author_id=user.id, created_at=at))
        db.session.commit()
    sign_in(client, "sup_chaoyang")
    r = client.get(f"/console/inspections/{ids['disagree']}/onsite.pdf")
    assert r.status_code == 200
    text = _pdftext(r.get_data(), tmp_path).replace(" ", "")
    for expected in ("王执法", "11010520230001", "拒绝", "赵见证", record[:12]):
        assert expected in text, expected


def test_the_detail_page_shows_signatures_site_sample_and_accuracy(app, client, api):
    from datetime import datetime

    from server.accounts.models import User
    from server.inspections.models import Signature

    ident = uid()
    item = inspection_item(ident, findings=[finding(measured="12", sample=2)], site="朝阳区建国路88号 二层童装区",
                           completed_at="2025-06-01T10:40:00+08:00",
                           position={"lat": 39.9219, "lon": 116.4436, "accuracy_m": 8, "source": "gps"})
    assert api.push([item], "insp_chaoyang").json["results"][0]["status"] == "applied"
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
        at = datetime(2025, 6, 1, 2, 30, tzinfo=UTC)
        for role, matches, data in (("officer", True, {"signer_name": "王执法", "signer_number": "11010520230001"}),
                                    ("party", False, {"signer_name": "李店长", "refused": True,
                                                      "refusal_note": "不认可检测结果", "witness_name": "赵见证"})):
            db.session.add(Signature(id=f"sig-{role}", inspection_id=ident, role=role, record_hash="ab" * 32,
                                     hash_matches=matches, refused=bool(data.get("refused")), image_sha256=None,
                                     data={"signed_at": at.isoformat(), **data}, author_id=user.id, created_at=at))
        db.session.commit()
    sign_in(client, "sup_chaoyang")
    page = client.get(f"/console/inspections/{ident}").get_data(as_text=True)
    for expected in ("二层童装区", "完成检查", "2025-06-01 10:40", "精度 ± 8 米", "样品 2", "执法人员", "王执法",
                     "执法证号 11010520230001", "与所签记录一致", "拒绝签名：不认可检测结果", "见证人 赵见证",
                     "签名后记录有改动"):
        assert expected in page, expected
