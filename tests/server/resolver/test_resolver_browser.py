"""The resolver page in a real browser (Debian Chromium via Playwright) on a phone and a
10-inch tablet: Chinese text visible, no sideways scrolling, nothing fetched from outside."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from registry_kit import BABY, EBIKE
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORTS = {"phone": (375, 812), "tablet": (1280, 800)}
LOT = "%E6%89%B9%E6%AC%A1A"
#: vertical gaps (px) between consecutive cards of the same column of the page layout
LEFT_COLUMN_GAPS = """() => {
  const cards = [...document.querySelectorAll('.layout > *')].map(e => e.getBoundingClientRect());
  const gaps = [];
  for (const a of cards) for (const b of cards)
    if (b.top > a.top && Math.abs(b.left - a.left) < 2 && b.top - a.bottom >= 0)
      gaps.push(b.top - a.bottom);
  return gaps.length ? Math.min(...gaps) : 0;
}"""


@pytest.fixture(scope="module")
def live_base(resolver_app):
    resolver_app.config["GBFIELD_PUBLIC_URL"] = ""          # links point at the live server
    server = make_server("127.0.0.1", 0, resolver_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        resolver_app.config["GBFIELD_PUBLIC_URL"] = "http://gbfield.test"


@pytest.mark.browser
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_product_page_on_phone_and_tablet(live_base, device):
    from playwright.sync_api import sync_playwright

    width, height = VIEWPORTS[device]
    seen: list[str] = []
    pages = {"baby": f"/01/{BABY}/10/{LOT}/21/S001?17=261231", "ebike": f"/01/{EBIKE}",
             "standard": "/s/GB%2018401-2010", "notfound": "/01/06900000000014"}
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.on("request", lambda r: seen.append(r.url))
            ARTIFACTS.mkdir(exist_ok=True)
            for name, path in pages.items():
                page.goto(live_base + path, timeout=15000)
                results[name] = {"text": page.inner_text("body"),
                                 "scroll": page.evaluate("document.documentElement.scrollWidth"),
                                 "font": page.evaluate("getComputedStyle(document.body).fontFamily"),
                                 "gaps": page.evaluate(LEFT_COLUMN_GAPS)}
                page.screenshot(path=str(ARTIFACTS / f"resolver-{name}-{device}.png"), full_page=True)
        finally:
            browser.close()
    baby = results["baby"]["text"]
    for text in ("婴儿纯棉连体衣 59cm", "GB 18401-2010", "GB 31701-2015", "A类", "批次A", "消费者可以检查"):
        assert text in baby, text
    assert "GB 17761-2024" in results["ebike"]["text"] and "CCC" in results["ebike"]["text"]
    assert "未找到该商品" in results["notfound"]["text"]
    assert "PingFang SC" in results["baby"]["font"]
    assert all(r["scroll"] <= width for r in results.values()), {k: r["scroll"] for k, r in results.items()}
    # cards stacked in a column sit close together (no hole left by the taller column beside them)
    assert all(r["gaps"] < 40 for r in results.values()), {k: r["gaps"] for k, r in results.items()}
    assert all(u.startswith(live_base) for u in seen), [u for u in seen if not u.startswith(live_base)]
