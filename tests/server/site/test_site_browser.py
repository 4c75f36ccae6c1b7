"""The home page, the search and the error pages in Debian's Chromium (Playwright) at 1440
and 375 px: Chinese first, the search form works, a missing page is a page (not JSON),
no sideways scrolling, nothing fetched from outside the server."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORTS = {"desktop": (1440, 900), "phone": (375, 812)}


@pytest.fixture(scope="module")
def live_base(site_app):
    site_app.config["GBFIELD_PUBLIC_URL"] = ""
    server = make_server("127.0.0.1", 0, site_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_home_search_and_error_pages_in_a_browser(live_base, device):
    from playwright.sync_api import sync_playwright

    width, height = VIEWPORTS[device]
    seen: list[str] = []
    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.on("request", lambda r: seen.append(r.url))
            ARTIFACTS.mkdir(exist_ok=True)

            def snap(name: str) -> None:
                out[name] = {"text": page.inner_text("body"), "url": page.url,
                             "scroll": page.evaluate("document.documentElement.scrollWidth")}
                page.screenshot(path=str(ARTIFACTS / f"site-{name}-{device}.png"), full_page=True)

            page.goto(live_base + "/", timeout=15000)
            snap("home")
            page.fill("#q", "甲醛")
            page.keyboard.press("Enter")
            page.wait_for_url("**/search?q=*")
            snap("search")
            page.click("text=GB 18401-2010")
            page.wait_for_url("**/s/**")
            snap("standard")
            status = page.goto(live_base + "/faq/JS-9999-9999", timeout=15000).status
            snap("notfound")
            out["notfound"]["status"] = status
            page.goto(live_base + "/s/foo", timeout=15000)
            snap("badstandard")
            page.goto(live_base + "/nowhere?lang=en", timeout=15000)
            snap("notfound-en")
            page.goto(live_base + "/?lang=en", timeout=15000)
            snap("home-en")
        finally:
            browser.close()
    assert "强制性国家标准现场核查" in out["home"]["text"] and "谁在使用" in out["home"]["text"]
    assert "甲醛含量" in out["search"]["text"] and "GB 18401-2010" in out["search"]["text"]
    assert "/s/" in out["standard"]["url"] and "官方解释" in out["standard"]["text"]
    assert out["notfound"]["status"] == 404 and "页面不存在" in out["notfound"]["text"]
    assert '"error"' not in out["notfound"]["text"]
    assert "标准编号无法识别" in out["badstandard"]["text"] and "二维码" not in out["badstandard"]["text"]
    assert "Page not found" in out["notfound-en"]["text"] and "页面不存在" not in out["notfound-en"]["text"]
    assert "Who uses it" in out["home-en"]["text"]
    assert all(r["scroll"] <= width for r in out.values()), {k: r["scroll"] for k, r in out.items()}
    assert all(u.startswith(live_base) for u in seen), [u for u in seen if not u.startswith(live_base)]
