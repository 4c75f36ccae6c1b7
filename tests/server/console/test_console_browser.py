"""The console in a real browser (Debian Chromium via Playwright) at desktop and 10-inch
tablet sizes: sign in, filter to disagreements, open one, return it with a comment, see the
flash. Screenshots go to tests/_artifacts/console-*.png; nothing is fetched from outside."""
from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from console_kit import jpeg_bytes, seed, wait_js
from server_testkit import PASSWORD, Api, dispose_app, make_app
from werkzeug.serving import make_server

from server.accounts.models import User
from server.kernel.auth import Principal
from server.kernel.extensions import db
from server.photos.service import store_photo

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORTS = {"desktop": (1440, 900), "tablet": (1280, 800)}




@pytest.fixture
def live(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'server.db'}", GBFIELD_BLOB_DIR=str(tmp_path / "blobs"))
    api = Api(app)
    data, sha = jpeg_bytes((60, 120, 170))
    with app.test_request_context():
        user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
        store_photo(data, sha, Principal(user.id, user.username, "inspector", "110105",
                                         "/110000/110100/110105/", None, "t"))
        db.session.commit()
    ids = seed(api, photos=[sha])
    api.device("insp_chaoyang")                                 # one tablet already in the list
    _nightly_statistics(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", ids
    finally:
        server.shutdown()
        thread.join(timeout=5)
        dispose_app(app)


def _nightly_statistics(app) -> None:
    """Run the real nightly statistics job over the seeded inspections (dated 2025-06-01)."""
    from server.jobs import tasks
    from server.kernel.runtime import dispose_apps

    config = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
              "GBFIELD_BLOB_DIR": app.config["GBFIELD_BLOB_DIR"]}
    try:
        assert tasks.compliance_stats(datetime(2025, 6, 1, 18, 0, tzinfo=UTC), config=config)["rows"] == 2
    finally:
        dispose_apps()


def _open(pw, width, height, seen):
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    page.on("request", lambda r: seen.append(r.url))
    page.set_default_timeout(15000)
    return browser, page


@pytest.mark.browser
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_enrol_a_tablet_and_read_the_statistics_in_the_browser(live, device):
    from playwright.sync_api import sync_playwright

    base, _ids = live
    width, height = VIEWPORTS[device]
    seen: list[str] = []
    shot = ARTIFACTS / "console-{}-" f"{device}.png"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser, page = _open(pw, width, height, seen)
        try:
            page.goto(base + "/console/login?next=/console/devices/")
            page.fill("input[name=username]", "sup_chaoyang")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/console/devices/")
            assert page.locator("table.devices tbody tr").count() == 1
            page.screenshot(path=str(shot).format("devicelist"), full_page=True)
            page.select_option("select[name=username]", "insp_chaoyang")
            page.fill("input[name=device_label]", "朝阳一所-平板3")
            page.click(".enrol-panel button[type=submit]")
            wait_js(page, "(() => { const i = document.querySelector('img.qr');"
                                   " return i && i.complete && i.naturalWidth > 0; })()")
            qr_box = page.locator("img.qr").bounding_box()
            expiry = page.locator(".expiry").inner_text()
            scrolls = [page.evaluate("document.documentElement.scrollWidth")]
            page.screenshot(path=str(shot).format("devices"), full_page=True)
            page.goto(base + "/console/compliance/?from=2025-05-01&to=2025-06-30")
            bars = page.locator("table.stats tbody .bar").count()
            fail_width = page.locator("table.stats tbody .bar-fail").first.bounding_box()["width"]
            scrolls.append(page.evaluate("document.documentElement.scrollWidth"))
            page.screenshot(path=str(shot).format("stats"), full_page=True)
        finally:
            browser.close()
    assert qr_box["width"] >= 280 and qr_box["x"] >= 0 and qr_box["x"] + qr_box["width"] <= width
    assert "分钟" in expiry and "失效" in expiry
    assert bars == 1 and fail_width > 10
    assert max(scrolls) <= width
    assert seen and all(u.startswith(base) for u in seen), [u for u in seen if not u.startswith(base)]


@pytest.mark.browser
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_review_a_disagreement_in_the_browser(live, device):
    from playwright.sync_api import sync_playwright

    base, ids = live
    width, height = VIEWPORTS[device]
    seen: list[str] = []
    shot = ARTIFACTS / "console-{}-" f"{device}.png"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.on("request", lambda r: seen.append(r.url))
            page.set_default_timeout(15000)
            page.goto(base + "/console/inspections/")
            assert "/console/login" in page.url
            page.screenshot(path=str(shot).format("login"))
            page.fill("input[name=username]", "sup_chaoyang")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/console/inspections/")
            page.screenshot(path=str(shot).format("list"), full_page=True)
            page.check("input[name=disagreement]")
            page.click(".filters button[type=submit]")
            page.wait_for_url("**disagreement=1**")
            assert page.locator("a.rowlink").count() == 1
            page.click("a.rowlink")
            page.wait_for_url(f"**/console/inspections/{ids['disagree']}**")
            font = page.evaluate("getComputedStyle(document.body).fontFamily")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            wait_js(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
            page.screenshot(path=str(shot).format("detail"), full_page=True)
            page.click("label.oc-returned")
            page.click("#review button[type=submit]")          # no comment: the form says why
            assert page.locator(".field-error").inner_text().startswith("退回修改或不予通过必须填写意见")
            page.click("label.oc-returned")
            page.fill("textarea[name=comment]", "请补拍吊牌照片，并复测甲醛含量。")
            page.click("#review button[type=submit]")
            page.wait_for_url("**disagreement=1**")
            flash = page.locator(".flash-success").inner_text()
            page.screenshot(path=str(shot).format("flash"), full_page=True)
        finally:
            browser.close()
    assert "已审核" in flash and "退回修改" in flash
    assert "PingFang SC" in font
    assert scroll <= width
    assert seen and all(u.startswith(base) for u in seen), [u for u in seen if not u.startswith(base)]
