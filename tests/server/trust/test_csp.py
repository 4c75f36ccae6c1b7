"""The Content-Security-Policy without 'unsafe-inline': no template carries an inline style
attribute, an inline event handler, or a <style>/<script> block without the request's
nonce; every HTML answer's inline blocks (the charts' SVG <style> too) carry the nonce its
header names; and in a real browser the console, the FAQ, the public results and the API
documentation run with no CSP violation (screenshots tests/_artifacts/csp-*.png)."""
from __future__ import annotations

import re
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from server_testkit import PASSWORD, Api, dispose_app, make_app
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "server" / "console"))
from console_kit import jpeg_bytes, seed, wait_js

TEMPLATES = sorted(p for p in (ROOT / "server").rglob("templates/**/*.html"))
STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
BLOCK = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
ARTIFACTS = ROOT / "tests" / "_artifacts"


def inline_problems(text: str) -> list[str]:
    """Return what a strict CSP would refuse in `text` (a template or an HTML answer)."""
    problems = [f"style attribute: {m.group(0).strip()}" for m in STYLE_ATTR.finditer(text)]
    problems += [f"inline handler: {m.group(0).strip()}" for m in HANDLER.finditer(text)]
    for m in BLOCK.finditer(text):
        attrs = m.group(2)
        if m.group(1).lower() == "script" and "src=" in attrs:
            continue
        if "nonce=" not in attrs:
            problems.append(f"<{m.group(1)}> without a nonce")
    return problems


def test_the_templates_carry_nothing_inline_that_the_csp_refuses():
    assert len(TEMPLATES) > 30
    found = {str(p.relative_to(ROOT)): inline_problems(p.read_text(encoding="utf-8")) for p in TEMPLATES}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_check_finds_what_it_looks_for():
    assert len(inline_problems('<p style="x"></p><a onclick="f()"></a><style></style><script>1</script>')) == 4
    assert inline_problems('<style nonce="n"></style><script src="a.js"></script><script nonce="n"></script>') == []


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The real app with inspections, a photo, the nightly figures; served on loopback."""
    from server.accounts.models import User
    from server.kernel.auth import Principal
    from server.kernel.extensions import db
    from server.photos.service import store_photo

    folder = tmp_path_factory.mktemp("csp")
    app = make_app(f"sqlite:///{folder / 'csp.db'}", GBFIELD_BLOB_DIR=str(folder / "blobs"))
    api = Api(app)
    data, sha = jpeg_bytes((60, 120, 170))
    with app.test_request_context():
        user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
        store_photo(data, sha, Principal(user.id, user.username, "inspector", "110105",
                                         "/110000/110100/110105/", None, "t"))
        db.session.commit()
    ids = seed(api, photos=[sha])
    _nightly_statistics(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, api, f"http://127.0.0.1:{server.server_port}", ids
    finally:
        server.shutdown()
        thread.join(timeout=5)
        dispose_app(app)


def _nightly_statistics(app) -> None:
    from server.jobs import tasks
    from server.kernel.runtime import dispose_apps

    config = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
              "GBFIELD_BLOB_DIR": app.config["GBFIELD_BLOB_DIR"]}
    try:
        tasks.compliance_stats(datetime(2025, 6, 1, 18, 0, tzinfo=UTC), config=config)
    finally:
        dispose_apps()


PAGES = ["/console/compliance/?from=2025-05-01&to=2025-06-30", "/console/figures/?from=2025-05-01&to=2025-06-30",
         "/console/inspections/{disagree}/photos/1?zoom=2", "/console/inspections/{disagree}/photos/2?zoom=2",
         "/console/inspections/{disagree}", "/faq/",
         "/api/v1/docs", "/", "/results/"]


def _console_client(app):
    client = app.test_client()
    page = client.get("/console/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post("/console/login", data={"username": "sup_chaoyang", "password": PASSWORD, "csrf_token": token})
    assert r.status_code in (302, 303)
    return client


@pytest.mark.parametrize("path", PAGES)
def test_every_inline_block_carries_the_nonce_the_header_names(world, path):
    app, _, _, ids = world
    r = _console_client(app).get(path.format(**ids))
    assert r.status_code == 200 and r.mimetype == "text/html", (path, r.status_code)
    csp = r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    body = r.get_data(as_text=True)
    assert inline_problems(body) == []
    assert set(re.findall(r'nonce="([^"]*)"', body)) <= {nonce}
    again = _console_client(app).get(path.format(**ids)).headers["Content-Security-Policy"]
    assert again != csp                                  # a new nonce on every answer


@pytest.mark.browser
def test_pages_run_in_the_browser_with_no_csp_violation(world):
    from playwright.sync_api import sync_playwright

    _, _, base, ids = world
    ARTIFACTS.mkdir(exist_ok=True)
    violations: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("console", lambda m: violations.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text else None)
        page.set_default_timeout(15000)
        try:
            page.goto(base + "/console/login")
            page.fill("input[name=username]", "sup_chaoyang")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/console/**")
            for n, path in enumerate(PAGES):
                page.goto(base + path.format(**ids))
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(ARTIFACTS / f"csp-{n}.png"), full_page=True)
            page.goto(base + "/console/compliance/?from=2025-05-01&to=2025-06-30")
            fail = page.locator("table.stats tbody svg.bar .bar-fail").first.bounding_box()
            whole = page.locator("table.stats tbody svg.bar").first.bounding_box()
            fill = page.evaluate("getComputedStyle(document.querySelector('svg.bar .bar-pass')).fill")
            page.goto(base + "/console/figures/?from=2025-05-01&to=2025-06-30")
            chart_fill = page.evaluate("(() => { const r = document.querySelector('svg .plot .reactive, svg rect.rect');"
                                       " return r ? getComputedStyle(r).fill : null; })()")
            for number in (1, 2):                  # the photo that arrived (the other one never did)
                page.goto(base + f"/console/inspections/{ids['disagree']}/photos/{number}?zoom=2")
                if page.locator(".viewer-frame img").count():
                    break
            img = page.locator(".viewer-frame img").bounding_box()
            frame = page.locator(".viewer-frame").bounding_box()
            page.goto(base + "/api/v1/docs")
            wait_js(page, "document.querySelectorAll('#swagger-ui-container .opblock').length > 10", 20)
        finally:
            browser.close()
    assert violations == []
    assert 0 < fail["width"] < whole["width"] and fill == "rgb(58, 154, 95)"
    assert chart_fill not in (None, "rgb(0, 0, 0)")      # the chart's own CSS (nonce) applied
    assert img["width"] > frame["width"] * 1.5           # zoom 2 through a class, not a style attribute
