"""The public FAQ in a real browser (Debian Chromium via Playwright), phone-sized."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.server.interpretations.samples import EBIKE_SPEED, INFANT_CLASS_A

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.mark.browser
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_faq_pages_render_on_a_phone(api, app):
    from playwright.sync_api import sync_playwright

    first = api.call("POST", "/api/v1/interpretations/", "expert", json=INFANT_CLASS_A).json["interpretation"]
    api.call("POST", f"/api/v1/interpretations/{first['id']}/versions", "expert",
             json={**INFANT_CLASS_A, "effective": "2025-01-01", "text": INFANT_CLASS_A["text"] + "口水巾同样适用。"})
    api.call("POST", "/api/v1/interpretations/", "expert", json=EBIKE_SPEED)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    requests_seen: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
            page.on("request", lambda r: requests_seen.append(r.url))
            page.goto(f"{base}/faq/", timeout=15000)
            assert page.locator("h2").count() == 2
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "faq-index.png"), full_page=True)
            page.click(f"text={INFANT_CLASS_A['title']}")
            page.wait_for_url(f"**/faq/{first['id']}")
            assert "第2版" in page.inner_text("dl.facts")
            assert page.locator(".history li").count() == 1
            width = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(ARTIFACTS / "faq-detail.png"), full_page=True)
            browser.close()
    finally:
        server.shutdown()
    assert width <= 390, "the page scrolls sideways on a phone"
    assert all(u.startswith(base) for u in requests_seen), [u for u in requests_seen if not u.startswith(base)]
