"""An expert's day in a real browser (Debian Chromium via Playwright) at 1440 and 375 px:
the queue, a question with who asked it and from which inspection, the publish form in
words (修约值比较法, the clause's requirement ticked by name), the publication and the
re-verdict flag it raises. Screenshots go to tests/_artifacts/expert-*.png."""
from __future__ import annotations

import threading

import pytest
from console_kit import seed
from server_testkit import FORMALDEHYDE_A, PASSWORD, Api, dispose_app, make_app, uid
from test_console_browser_day import ARGS, ARTIFACTS, VIEWPORTS
from werkzeug.serving import make_server

QUESTION = "婴儿连体衣甲醛实测 20.4 mg/kg，按修约值比较是否合格？"


@pytest.fixture
def live(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'server.db'}", GBFIELD_BLOB_DIR=str(tmp_path / "blobs"))
    api = Api(app)
    ids = seed(api)
    qid = uid()
    r = api.push([{"mutation_id": uid(), "entity": "question", "id": qid, "base_version": 0,
                   "data": {"id": qid, "text": QUESTION, "indicator_id": FORMALDEHYDE_A,
                            "inspection_id": ids["disagree"]}}], "insp_chaoyang")
    assert r.json["results"][0]["status"] == "applied", r.json
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", qid
    finally:
        server.shutdown()
        thread.join(timeout=5)
        dispose_app(app)


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_an_experts_day(live, device):
    from playwright.sync_api import sync_playwright

    base, qid = live
    width, height = VIEWPORTS[device]
    seen: list[str] = []
    shot = str(ARTIFACTS / "expert-{}-" f"{device}.png")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.on("request", lambda r: seen.append(r.url))
            page.set_default_timeout(20000)
            page.goto(base + "/console/login")
            page.fill("input[name=username]", "expert")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/console/**")
            page.goto(base + "/console/questions/")
            queue = page.locator("main").inner_text()
            page.screenshot(path=shot.format("queue"), full_page=True)
            page.click(f"a[href*='{qid}']")
            page.wait_for_url(f"**/console/questions/{qid}")
            context = page.locator(".question-context").inner_text()
            page.fill("form[action$='/answer'] textarea[name=text]", "按 GB/T 8170 修约至整数后与限值比较：20，合格。")
            page.click("form[action$='/answer'] button[type=submit]")
            page.wait_for_url(f"**/console/questions/{qid}")
            page.fill("input[name=title]", "婴幼儿纺织品甲醛按修约值比较法判定")
            page.fill("input[name=effective]", "2024-01-01")
            page.select_option("select[name=effect_key]", "method")
            page.select_option("select[name=method_value]", "rounded")
            page.screenshot(path=shot.format("publish"), full_page=True)
            page.click("form[action$='/publish'] button[type=submit]")
            page.wait_for_url(f"**/console/questions/{qid}")
            flash = page.locator(".flash-success").inner_text()
            scroll = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=shot.format("published"), full_page=True)
        finally:
            browser.close()
    assert "纺织品" in queue and QUESTION[:10] in queue
    assert "北京示例婴童服饰有限公司" in context and "甲醛含量" in context
    assert "已发布解释" in flash
    assert scroll <= width + 1
    assert seen and all(u.startswith(base) for u in seen), [u for u in seen if not u.startswith(base)]
