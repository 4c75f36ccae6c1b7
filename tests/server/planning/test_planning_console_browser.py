"""A supervisor's enforcement cycle in a real browser (Debian Chromium via Playwright)
against a live 127.0.0.1 server, with two officers' tablets (the real device engine, in
process) doing the inspections: plan (the form) → commit (the commitment shown before
the reveal) → reveal → verify → tasks → the tablets inspect, one fails and an order is
issued on site → bulk review → the order → the deadline passes (clock moved) → the
回头看 task → passing re-inspection → review → order closed → publish → the public page
→ the report. Screenshots: tests/_artifacts/cycle-*.png."""
from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from planning_kit import PLAN_ID, seed_world
from server_testkit import FORMALDEHYDE_A, PASSWORD, Api, dispose_app, make_app
from werkzeug.serving import make_server

from device import DeviceRecords, DeviceTasks, memory_store
from device.completion import EvidencePolicy, Requirement, Signature, Summary, complete_inspection
from server.jobs import tasks as jobs
from server.kernel import clock
from sync.client import RetryPolicy, SyncClient, WsgiTransport

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
NO_PHOTOS = EvidencePolicy(default=Requirement(photo_on_fail=False, note_on_fail=False))
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


class Tablet:
    def __init__(self, app, api, username):
        self.store = memory_store()
        self.records = DeviceRecords(self.store)
        self.tasks = DeviceTasks(self.store, self.records)
        self.client = SyncClient(self.store, WsgiTransport(app, api.device(username)),
                                 retry=RetryPolicy(max_attempts=1), check_digest=False)

    def sync(self):
        report = self.client.sync()
        assert report.ok, report.errors

    def complete(self, inspection_id, ink):
        summary = Summary.of(self.store, inspection_id, NO_PHOTOS)
        complete_inspection(self.records, inspection_id,
                            [Signature("officer", "张三", ink, signer_number="11010520190123"),
                             Signature("party", "王经理", ink)], expected_hash=summary.record_hash, policy=NO_PHOTOS)


@pytest.fixture
def live(tmp_path, monkeypatch):
    moment = {"now": START}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    url = f"sqlite:///{tmp_path / 'server.db'}"
    app = make_app(url, GBFIELD_BLOB_DIR=str(tmp_path / "blobs"))
    seed_world(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, Api(app), f"http://127.0.0.1:{server.server_port}", moment, url
    finally:
        server.shutdown()
        thread.join(timeout=5)
        dispose_app(app)


def _sign_in(page, base, username="sup_chaoyang", then="/console/plans/"):
    page.goto(f"{base}/console/login?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{then}")


@pytest.mark.browser
def test_a_supervisors_enforcement_cycle(live, tmp_path):
    from playwright.sync_api import sync_playwright

    app, api, base, moment, url = live
    ARTIFACTS.mkdir(exist_ok=True)
    shot = str(ARTIFACTS / "cycle-{}.png")
    ink = tmp_path / "ink.png"
    image = Image.new("RGB", (300, 120), (255, 255, 255))
    image.putpixel((10, 10), (0, 0, 0))
    image.save(ink)
    seen: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            page.on("request", lambda r: seen.append(r.url))
            page.set_default_timeout(20000)
            _sign_in(page, base)
            page.click("a[href='/console/plans/new']")
            page.fill("input[name=id]", PLAN_ID)
            page.fill("input[name=name]", "2026年朝阳区婴幼儿纺织品双随机抽查")
            page.check("input[name=items][value=textile-infant]")
            page.select_option("select[name=jurisdictions]", "110105")
            page.check("input[name=strata][value=risk_class]")
            page.check("input[name=allocation][value=count]")
            page.fill("input[name=amount]", "3")
            page.fill("input[name=starts]", "2026-03-02")
            page.fill("input[name=ends]", "2026-03-31")
            page.screenshot(path=shot.format("plan-new"), full_page=True)
            page.click("form.panel button[type=submit]")
            page.wait_for_url(f"**/console/plans/{PLAN_ID}")

            page.click("text=提交承诺并公布承诺值")
            page.wait_for_selector("#commitment")
            commitment = page.locator("#commitment").inner_text().strip()
            assert len(commitment) == 64 and page.locator("button:has-text('揭晓抽取结果')").count() == 1
            assert commitment in page.locator(".flash-success").inner_text()
            page.screenshot(path=shot.format("plan-committed"), full_page=True)
            page.click("button:has-text('揭晓抽取结果')")
            page.wait_for_selector("text=已抽取 3 个检查对象")
            page.click("text=核验抽取")
            page.wait_for_selector("#verification")
            assert "一致" in page.locator("#verification").inner_text()
            page.screenshot(path=shot.format("plan-verified"), full_page=True)

            page.click("a:has-text('任务')>> nth=1")
            page.wait_for_url("**/console/tasks/**")
            assert "共 3 条" in page.locator(".list-count").inner_text()
            page.screenshot(path=shot.format("tasks"), full_page=True)
            page.locator("a.rowlink").first.click()
            page.wait_for_selector("#cancel")
            page.screenshot(path=shot.format("task"), full_page=True)

            # the tablets: both officers pull the tasks; one inspects, one target fails, an order on site
            one, two = Tablet(app, api, "insp_chaoyang"), Tablet(app, api, "insp_chaoyang2")
            one.sync()
            two.sync()
            tasks = one.tasks.open_tasks()
            assert len(tasks) == 3
            failed = None
            for n, task in enumerate(tasks):
                iid = one.tasks.start_inspection(task["id"], "2026-03-03", product_class="A", category="infant")
                fid = one.records.add_finding(iid, FORMALDEHYDE_A, "64" if n == 0 else "12", "mg/kg")
                if n == 0:
                    failed = task
                    one.tasks.issue_order(iid, [fid], "甲醛含量超标，责令于2026年3月12日前整改", "2026-03-12")
                one.complete(iid, ink)
            one.sync()

            page.goto(base + "/console/tasks/?plan=" + PLAN_ID)
            assert page.locator(".badge.task-in_progress").count() == 3
            # review: the three inspections approved in one go from the work list
            page.goto(base + "/console/inspections/?status=submitted")
            for box in page.locator("input[name=ids]").all():
                box.check()
            page.click(".bulk-bar button[type=submit]")
            page.wait_for_url("**/bulk-approve")
            page.goto(base + "/console/orders/")
            assert page.locator(".badge.order-open").count() == 1
            page.screenshot(path=shot.format("orders-open"), full_page=True)

            # the deadline passes: the morning job makes the 回头看 task; the officer re-inspects
            moment["now"] = datetime(2026, 3, 13, 2, 0, tzinfo=UTC)
            assert len(jobs.reinspections(moment["now"], config={"SQLALCHEMY_DATABASE_URI": url,
                                                                  "TESTING": True})["tasks"]) == 1
            _sign_in(page, base, then="/console/orders/")           # the console session expired meanwhile
            assert page.locator(".badge.order-reinspecting").count() == 1
            page.screenshot(path=shot.format("orders-reinspecting"), full_page=True)
            one.sync()
            [recheck] = one.tasks.open_tasks()
            assert recheck["kind"] == "reinspection"
            iid = one.tasks.start_inspection(recheck["id"], "2026-03-13", product_class="A", category="infant")
            one.records.add_finding(iid, FORMALDEHYDE_A, "11", "mg/kg")
            one.complete(iid, ink)
            one.sync()
            page.goto(base + "/console/inspections/?status=submitted")
            page.locator("input[name=ids]").first.check()
            page.click(".bulk-bar button[type=submit]")
            page.wait_for_url("**/bulk-approve")
            page.goto(base + "/console/orders/")
            assert page.locator(".badge.order-closed").count() == 1
            page.screenshot(path=shot.format("orders-closed"), full_page=True)
            two.sync()
            assert two.tasks.orders_of(failed["enterprise"]["credit_code"])[0]["state"] == "closed"

            # 一公开: publish from the results page, see the public page, withdraw one with a reason
            page.goto(base + f"/console/plans/{PLAN_ID}/results")
            page.click("button:has-text('公示 3 条待公示结果')")
            page.wait_for_selector("text=已公示 3 条结果")
            page.screenshot(path=shot.format("results"), full_page=True)
            page.locator("input[name=reason]").first.fill("企业名称有误，更正后重新公示")
            page.locator("button:has-text('撤回')").first.click()
            page.wait_for_selector(".flash-success")
            assert page.locator(".badge:has-text('待公示')").count() == 1
            page.goto(base + f"/results/{PLAN_ID}")
            page.screenshot(path=shot.format("public"), full_page=True)
            page.goto(base + f"/console/plans/{PLAN_ID}/report")
            page.screenshot(path=shot.format("report"), full_page=True)
            page.goto(base + f"/console/plans/{PLAN_ID}/report")
            page.emulate_media(media="print")
            page.goto(base + f"/console/plans/{PLAN_ID}/results?lang=en")
            page.screenshot(path=shot.format("results-print-en"), full_page=True)
        finally:
            browser.close()
    assert all(u.startswith((base, "data:")) for u in seen), [u for u in seen if not u.startswith(base)]
