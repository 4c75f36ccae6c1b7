"""A supervisor's day in a real browser (Debian Chromium via Playwright) at 1440 and 375 px:
filter the work list, bulk-approve, return one with a comment, export XLSX and open it with
openpyxl, print the 现场笔录 and render its PDF to PNG with poppler. Screenshots go to
tests/_artifacts/day-*.png; nothing is fetched from outside the live server."""
from __future__ import annotations

import io
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from console_kit import jpeg_bytes, seed, wait_js
from openpyxl import load_workbook
from server_testkit import PASSWORD, Api, dispose_app, finding, inspection_item, make_app
from werkzeug.serving import make_server

from server.accounts.models import User
from server.kernel.auth import Principal
from server.kernel.extensions import db
from server.photos.service import store_photo

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORTS = {"desktop": (1440, 900), "phone": (375, 740)}
COMPANIES = ("北京朝阳区示例百货有限公司", "北京市朝阳区童趣服装店", "北京欣欣母婴用品有限公司")


@pytest.fixture
def live(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'server.db'}", GBFIELD_BLOB_DIR=str(tmp_path / "blobs"))
    api = Api(app)
    shas = []
    with app.test_request_context():
        user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
        for colour in ((60, 120, 170), (170, 90, 60)):
            data, sha = jpeg_bytes(colour)
            store_photo(data, sha, Principal(user.id, user.username, "inspector", "110105",
                                             "/110000/110100/110105/", None, "t"))
            shas.append(sha)
        db.session.commit()
    ids = seed(api, photos=shas)
    extra = [inspection_item(company_name=name, inspected_on=f"2025-06-0{2 + i}", product_name="婴幼儿纯棉睡袋",
                             address=f"北京市朝阳区建国路{88 + i}号", findings=[finding(measured=str(8 + i))])
             for i, name in enumerate(COMPANIES)]
    assert {x["status"] for x in api.push(extra, "insp_chaoyang").json["results"]} == {"applied"}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", ids
    finally:
        server.shutdown()
        thread.join(timeout=5)
        dispose_app(app)


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_supervisors_day(live, device, tmp_path):
    from playwright.sync_api import sync_playwright

    base, ids = live
    width, height = VIEWPORTS[device]
    seen: list[str] = []
    shot = str(ARTIFACTS / "day-{}-" f"{device}.png")
    ARTIFACTS.mkdir(exist_ok=True)
    scrolls = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                          accept_downloads=True)
            page = context.new_page()
            page.on("request", lambda r: seen.append(r.url))
            page.set_default_timeout(20000)
            page.goto(base + "/console/login?next=/console/inspections/")
            page.fill("input[name=username]", "sup_chaoyang")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/console/inspections/")
            assert page.locator("a.rowlink").count() == 5
            scrolls["list"] = _scroll_width(page)
            list_box_overflow = page.evaluate(
                "(() => { const e = document.querySelector('.table-wrap'); return e.scrollWidth - e.clientWidth })()")
            page.screenshot(path=shot.format("list"), full_page=True)

            # filter: what passed in the first week of June, by the keyboard-reachable form
            page.click(".more-filters > summary")
            page.select_option("select[name=outcome]", "pass")
            page.fill("input[name=date_from]", "2025-06-02")
            page.fill("input[name=date_to]", "2025-06-07")
            page.click(".filters button[type=submit]")
            page.wait_for_url("**outcome=pass**")
            assert page.locator("a.rowlink").count() == 3
            page.screenshot(path=shot.format("filtered"), full_page=True)

            # bulk approve two of them: one result per inspection
            boxes = page.locator("input[name=ids]")
            boxes.nth(0).check()
            boxes.nth(1).check()
            page.fill("input[name=comment]", "抽查无异常")
            page.click(".bulk-bar button[type=submit]")
            page.wait_for_url("**/bulk-approve")
            result = page.locator("table.bulk-results").inner_text()
            summary = page.locator(".list-count").inner_text()
            page.screenshot(path=shot.format("bulk"), full_page=True)
            page.click("a.btn-primary")
            page.wait_for_url("**outcome=pass**")
            assert page.locator("input[name=ids]").count() == 1       # the two approved cannot be ticked again

            # return the disagreement with a comment
            page.goto(base + f"/console/inspections/{ids['disagree']}")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            wait_js(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
            scrolls["detail"] = _scroll_width(page)
            page.screenshot(path=shot.format("detail"), full_page=True)
            page.emulate_media(media="print")
            page.screenshot(path=shot.format("detail-print"), full_page=True)
            page.emulate_media(media="screen")
            page.click("label.oc-returned")
            page.fill("textarea[name=comment]", "请复测甲醛含量并补拍吊牌照片。")
            page.click("#review button[type=submit]")
            page.wait_for_url("**/console/inspections/")
            flash = page.locator(".flash-success").inner_text()

            # the photo viewer
            page.goto(base + f"/console/inspections/{ids['disagree']}/photos/2")
            wait_js(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
            page.click("a[rel=next]")
            page.wait_for_url("**/photos/3**")
            viewer = page.locator(".page-head").inner_text()
            page.screenshot(path=shot.format("photo"), full_page=True)

            # export what the list shows as XLSX and open it
            page.goto(base + "/console/inspections/?outcome=pass")
            with page.expect_download() as info:
                page.click(".export-links a:has-text('检查项 XLSX')")
            download = info.value
            xlsx = tmp_path / "findings.xlsx"
            download.save_as(xlsx)

            # print the 现场笔录: the PDF the button opens, rendered to PNG
            page.goto(base + f"/console/inspections/{ids['disagree']}")
            href = page.locator(".doc-actions a").first.get_attribute("href")
            answer = context.request.get(base + href)
            pdf = answer.body()
        finally:
            browser.close()
    assert result.count("✓ 通过") == 2 and "通过 2 条，共 2 条" in summary
    assert "退回修改" in flash
    assert "第 3 张" in viewer
    rows = list(load_workbook(io.BytesIO(xlsx.read_bytes())).active.values)
    assert rows[0][0] == "检查日期" and len(rows) == 1 + 4     # the findings of the 4 passing inspections
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf" and pdf.startswith(b"%PDF")
    pdf_path = tmp_path / "onsite.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf_path),
                    str(ARTIFACTS / f"day-onsite-{device}")], check=True)
    assert list(ARTIFACTS.glob(f"day-onsite-{device}*.png"))
    limit = width if device == "desktop" else width + 1
    assert max(scrolls.values()) <= limit, scrolls
    assert list_box_overflow <= 0, list_box_overflow      # 375 px: cards, not a table scrolled sideways
    assert seen and all(u.startswith(base) for u in seen), [u for u in seen if not u.startswith(base)]
