"""An admin's day in a real browser (Debian Chromium via Playwright) at 1440 and 375 px: a
supervisor locked out after five wrong passwords is found by the users list's state filter
and unlocked (and signs in again); a new officer is created, gets a new one-time password,
is disabled; a district is added; an approved inspection is reopened with a reason that the
history then shows. Screenshots: tests/_artifacts/admin-*.png."""
from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from console_kit import seed
from server_testkit import PASSWORD, Api, dispose_app, make_app
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORTS = {"desktop": (1440, 900), "phone": (375, 740)}


@pytest.fixture
def live(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'server.db'}", GBFIELD_BLOB_DIR=str(tmp_path / "blobs"))
    api = Api(app)
    ids = seed(api)
    r = api.call("POST", f"/api/v1/inspections/{ids['plain']}/reviews", "sup_chaoyang", json={"outcome": "approved"})
    assert r.status_code == 201, r.json
    tablet = app.test_client()
    for _ in range(5):
        tablet.post("/api/v1/auth/login", json={"username": "sup_haidian", "password": "wrong-password"})
    assert tablet.post("/api/v1/auth/login", json={"username": "sup_haidian", "password": PASSWORD}).status_code == 429
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", ids, tablet
    finally:
        server.shutdown()
        thread.join(timeout=5)
        dispose_app(app)


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists() or shutil.which("chromium") is None,
                    reason="Debian chromium not installed")
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_an_admins_day(live, device):
    from playwright.sync_api import sync_playwright

    base, ids, tablet = live
    width, height = VIEWPORTS[device]
    shot = str(ARTIFACTS / "admin-{}-" f"{device}.png")
    ARTIFACTS.mkdir(exist_ok=True)
    scrolls, seen = {}, []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            page = browser.new_context(viewport={"width": width, "height": height}).new_page()
            page.on("request", lambda r: seen.append(r.url))
            page.set_default_timeout(20000)
            page.goto(base + "/console/login?next=/console/users/")
            page.fill("input[name=username]", "admin")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/console/users/")
            scrolls["users"] = _scroll_width(page)
            page.screenshot(path=shot.format("users"), full_page=True)

            # who is locked out? unlock them, after the confirmation page
            page.select_option("select[name=state]", "locked")
            page.click(".filters button[type=submit]")
            page.wait_for_url("**state=locked**")
            locked = page.locator("table.users tbody tr").all_inner_texts()
            page.click("#user-sup_haidian a.btn")
            page.wait_for_url("**/sup_haidian/unlock")
            page.screenshot(path=shot.format("unlock-confirm"), full_page=True)
            page.click(".confirm-actions button[type=submit]")
            page.wait_for_url("**/console/users/sup_haidian")
            unlocked = page.locator(".flash-success").inner_text()
            signed_in = tablet.post("/api/v1/auth/login", json={"username": "sup_haidian",
                                                                "password": PASSWORD}).status_code

            # a new officer for Haidian: create, a one-time password, then disable
            page.goto(base + "/console/users/")
            page.fill("#create input[name=username]", "insp_haidian3")
            page.fill("#create input[name=display_name]", "海淀区执法人员 陈晨")
            page.select_option("#create select[name=role]", "inspector")
            page.select_option("#create select[name=jurisdiction]", "110108")
            page.fill("#create input[name=password]", "first-password-1")
            page.click("#create button[type=submit]")
            page.wait_for_url("**/console/users/insp_haidian3")
            scrolls["user"] = _scroll_width(page)
            page.screenshot(path=shot.format("user"), full_page=True)
            page.click("a:has-text('重置密码')")
            page.wait_for_url("**/insp_haidian3/reset")
            page.click(".confirm-actions button[type=submit]")
            new_password = page.locator("#new-password .big-code").inner_text()
            page.screenshot(path=shot.format("password"), full_page=True)
            new_login = tablet.post("/api/v1/auth/login", json={"username": "insp_haidian3",
                                                                "password": new_password}).status_code
            page.goto(base + "/console/users/insp_haidian3/disable")
            page.click(".confirm-actions button[type=submit]")
            page.wait_for_url("**/console/users/insp_haidian3")
            state = page.locator(".page-head .badge").inner_text()
            after_disable = tablet.post("/api/v1/auth/login", json={"username": "insp_haidian3",
                                                                    "password": new_password}).status_code

            # a district is added to the tree
            page.goto(base + "/console/jurisdictions/")
            page.fill("#create input[name=code]", "110106")
            page.fill("#create input[name=name]", "丰台区")
            page.select_option("#create select[name=parent]", "110100")
            page.click("#create button[type=submit]")
            page.wait_for_url("**/console/jurisdictions/")
            added = page.locator("#division-110106").count()
            scrolls["jurisdictions"] = _scroll_width(page)
            page.screenshot(path=shot.format("jurisdictions"), full_page=True)

            # an approved inspection reopened with a reason
            page.goto(base + f"/console/inspections/{ids['plain']}")
            page.click("#reopen a.btn")
            page.wait_for_url("**/reopen")
            page.fill("textarea[name=reason]", "企业提交的产品合格证与现场样品不符，请复核后重新提交。")
            page.screenshot(path=shot.format("reopen"), full_page=True)
            page.click(".confirm-actions button[type=submit]")
            page.wait_for_url(f"**/console/inspections/{ids['plain']}")
            history = page.locator("ol.activity").inner_text()
            badge = page.locator(".page-head .badge").first.inner_text()
            page.screenshot(path=shot.format("reopened"), full_page=True)

            page.goto(base + "/console/audit/")
            audit_text = page.locator("table.audit").inner_text()
            scrolls["audit"] = _scroll_width(page)
            page.screenshot(path=shot.format("audit"), full_page=True)
        finally:
            browser.close()
    assert len(locked) == 1 and "sup_haidian" in locked[0]
    assert "已解除 sup_haidian 的登录锁定" in unlocked and signed_in == 200
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", new_password) and new_login == 200
    assert state == "已停用" and after_disable == 401
    assert added == 1
    assert "重新打开已通过的检查" in history and "合格证与现场样品不符" in history and "退回" in badge
    for word in ("解除登录锁定", "创建账户", "重置密码", "停用账户", "添加辖区", "重新打开已通过的检查"):
        assert word in audit_text, word
    limit = width if device == "desktop" else width + 1
    assert max(scrolls.values()) <= limit, scrolls
    assert seen and all(u.startswith(base) for u in seen), [u for u in seen if not u.startswith(base)]
