"""The tablet app in a real offscreen window at 1280×800, driven by touches: sync, scan a
demo GTIN, see the standards, enter a value, see the verdict card, switch language.
Screenshots go to tests/_artifacts/tablet-*.png. Kivy makes one window per process, so
every window test is in this module, marked for one xdist worker; each test still sets up
what it needs (helpers below), so the order or the worker they land on does not matter."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from tablet_kit import DEMO_GTIN, FORMALDEHYDE_A, ODOUR

pytestmark = pytest.mark.xdist_group("kivy")

ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"


@pytest.fixture(scope="module")
def ui(server, device_token, tmp_path_factory):
    from kivy.config import Config

    Config.set("graphics", "width", "1280")
    Config.set("graphics", "height", "800")
    from kivy.core.window import Window

    from device import open_store
    from kivy_client.app import TabletApp
    from sync.client import WsgiTransport

    store = open_store(tmp_path_factory.mktemp("tablet") / "tablet.sqlite")
    store.state.save_credentials({"server_url": "http://gbfield.test", "device_id": "t", "token": device_token,
                                  "user": {"username": "insp_chaoyang"}})
    app = TabletApp(store=store, sync_transport_factory=lambda creds: WsgiTransport(server, creds["token"]))
    Window.size = (1280, 800)
    app._run_prepare()
    pump(3)
    yield app
    app.stop()


def pump(frames: int = 2, until=None, timeout: float = 20.0) -> None:
    """Run the event loop `frames` times, or until `until()` is true (bounded by frames and time)."""
    from kivy.base import EventLoop

    deadline = time.monotonic() + timeout
    for _ in range(frames if until is None else 2000):
        EventLoop.idle()
        if until is not None and until():
            EventLoop.idle()
            return
        if time.monotonic() > deadline:
            break
    assert until is None or until(), "the UI did not reach the expected state in time"


def tap(widget) -> None:
    """Touch the middle of `widget` like a finger (down, up), scrolled into view first as
    a person would (a widget scrolled out of sight cannot be touched)."""
    from kivy.tests.common import UnitTestTouch
    from kivy.uix.scrollview import ScrollView

    pump(2)             # the layout settles before the finger comes down (a screenshot or a new app re-lays it)
    parent, scrolled, held = widget.parent, False, False
    while parent is not None and parent is not parent.parent:
        held = held or isinstance(parent, ScrollView)
        content = parent.children[0] if isinstance(parent, ScrollView) and parent.children else None
        if content is not None and content.height > parent.height:     # only a list longer than its view scrolls
            parent.scroll_to(widget, padding=10, animate=False)
            parent.scroll_y = min(1.0, max(0.0, parent.scroll_y))   # no overscroll to bounce back from
            scrolled = True
        parent = parent.parent
    if scrolled:        # the layout and the scroll (a bounce at the end) settle before the finger comes down
        end, last, still = time.monotonic() + 2.0, None, 0
        while time.monotonic() < end and still < 5:
            pump(1)
            where = tuple(widget.to_window(*widget.center))
            still, last = (still + 1 if where == last else 0), where
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    if held:            # a ScrollView holds a touch for its scroll_timeout before its children see it
        wait(0.3)
        where = widget.to_window(*widget.center)
        if tuple(where) != tuple(touch.pos):     # the list settled under the finger: it follows the button
            touch.touch_move(*where)
            pump(1)
    touch.touch_up()
    wait(0.3) if held else pump(2)


def wait(seconds: float) -> None:
    """Run the event loop for `seconds` (timers such as a ScrollView's fire)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pump(1)


def shoot(name: str) -> None:
    from kivy.core.window import Window

    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"tablet-{name}*.png"):
        old.unlink()
    Window.screenshot(name=str(ARTIFACTS / f"tablet-{name}.png"))


def screen(app, name):
    return app.root.ids.sm.get_screen(name)


def texts(widget) -> str:
    return " ".join(str(getattr(w, "text", "")) for w in widget.walk())


def ensure_synced(app) -> None:
    """Sync once through the presenter when the store holds no catalog yet."""
    if app.store.state.cursor == 0:
        app.sync_presenter.sync()
        pump(until=lambda: app.sync_presenter.state in ("done", "error"))


def look_up(app, text: str):
    ensure_synced(app)
    tap(app.root.ids.nav_scan)
    scan = screen(app, "scan")
    scan.ids.code.text = text
    tap(scan.ids.look_up)
    return scan


def prepare_verdict(app) -> None:
    """Make sure the inspection screen shows a verdict (scan, start, save, judge 18)."""
    if app.inspection_presenter.last is not None:
        return
    from kivy_client.widgets import FlatButton

    scan = look_up(app, DEMO_GTIN)
    tap(next(w for w in scan.ids.results.walk() if isinstance(w, FlatButton)))
    insp = screen(app, "inspection")
    tap(insp.ids.save)
    insp.choose(FORMALDEHYDE_A)
    insp.ids.measured.text = "18"
    tap(insp.ids.judge)
    assert insp.has_verdict, insp.value_message


def test_home_sync_button_pulls_the_catalog(ui):
    tap(ui.root.ids.nav_home)
    home = screen(ui, "home")
    assert ui.root.current == "home" and home.ids.sync_button.text == "同步"
    assert home.ids.sync_button.height >= 48
    tap(home.ids.sync_button)
    pump(until=lambda: ui.sync_presenter.state in ("done", "error"))
    assert ui.sync_presenter.state == "done", ui.sync_presenter.message
    assert "同步完成" in home.ids.status.text and home.progress == 1.0
    shoot("home")


def test_scan_shows_standards_with_badges(ui):
    scan = look_up(ui, DEMO_GTIN)
    assert ui.root.current == "scan"
    shown = texts(scan.ids.results)
    assert "婴儿纯棉连体衣" in shown and "GB 18401-2010" in shown and "GB 31701-2015" in shown
    assert "现行" in shown and "甲醛含量" in shown
    assert "关联标准链" in shown and "须同时符合 GB 18401" in shown and "【待核实】" in shown   # presenters/standard.py
    shoot("scan")
    scan.ids.code.text = "6901234567893"
    tap(scan.ids.look_up)
    assert "校验位错误" in texts(scan.ids.results)


def test_inspection_verdict_card(ui):
    from kivy_client.widgets import FlatButton

    scan = look_up(ui, DEMO_GTIN)
    pending = ui.sync_presenter.outbox_counts()["pending"]
    start = next(w for w in scan.ids.results.walk() if isinstance(w, FlatButton))
    tap(start)
    insp = screen(ui, "inspection")
    assert ui.root.current == "inspection" and insp.ids.credit_code.text == "91110105MA01ABCD00"
    insp.ids.credit_code.text = "91110105MA01ABCD01"
    tap(insp.ids.save)
    assert "校验位错误：应为 0" in insp.ids.form_message.text
    insp.ids.credit_code.text = "91110105MA01ABCD00"
    insp.ids.address.text = "北京市朝阳区示例路1号"
    tap(insp.ids.save)
    assert ui.inspection_presenter.inspection_id and insp.ids.form_message.text == "检查信息已保存"
    first = insp.ids.indicators.children[-1]           # BoxLayout children are reversed
    assert first.text.startswith("★ ")
    insp.choose(FORMALDEHYDE_A)
    pump(2)
    assert insp.ids.unit.text == "mg/kg" and "≤20" in insp.ids.selected_limit.text
    insp.ids.measured.text = "abc1"
    tap(insp.ids.judge)
    assert "不是数值，请输入数字" in insp.ids.value_message.text and not insp.has_verdict
    insp.ids.measured.text = "20.4"
    tap(insp.ids.judge)
    assert insp.ids.verdict_outcome.text.startswith("不合格") and "全数值比较法" in insp.ids.verdict_steps.text
    assert tuple(insp.ids.verdict_card.background) == pytest.approx((0.78, 0.16, 0.16, 1))
    shoot("inspection-fail")
    insp.ids.measured.text = "18"
    tap(insp.ids.correct)
    assert insp.ids.verdict_outcome.text.startswith("合格") and "rev 2" in insp.ids.verdict_steps.text
    shoot("inspection-pass")
    assert ui.sync_presenter.outbox_counts()["pending"] == pending + 3     # inspection + 2 revisions
    assert screen(ui, "home").pending == pending + 3


def test_switch_to_english_and_back(ui):
    prepare_verdict(ui)
    tap(ui.root.ids.nav_settings)
    settings = screen(ui, "settings")
    assert "已登记" in settings.ids.enrol_state.text
    tap(settings.ids.lang_en)
    assert ui.lang == "en" and ui.root.ids.nav_home.text == "Home"
    assert settings.ids.enrol.text == "Enrol"
    shoot("settings-en")
    tap(ui.root.ids.nav_inspection)
    insp = screen(ui, "inspection")
    assert insp.ids.verdict_outcome.text.startswith("Pass") and insp.ids.judge.text == "Judge"
    assert "formaldehyde" in texts(insp.ids.indicators)
    shoot("inspection-en")
    tap(ui.root.ids.nav_settings)
    tap(settings.ids.lang_zh)
    assert ui.lang == "zh_CN" and ui.root.ids.nav_home.text == "首页"
    settings.ids.payload.text = "not a payload"
    tap(settings.ids.enrol)
    assert "登记失败" in settings.ids.enrol_message.text and "Traceback" not in settings.ids.enrol_message.text


def test_conflict_buttons_settle_a_real_conflict(ui, server, tmp_path):
    from tablet_kit import make_conflict

    ensure_synced(ui)
    ident = make_conflict(server, ui.store, tmp_path)
    ui.sync_presenter.notify()                      # the app learns about the outside sync
    tap(ui.root.ids.nav_home)
    home = screen(ui, "home")
    (item,) = [a for a in ui.sync_presenter.attention() if a.record_id == ident]
    shown = texts(home.ids.attention)
    assert "保留我的" in shown and "采用服务器" in shown and "（我的）" in shown and "（另一台）" in shown
    assert home.conflicts >= 1
    shoot("conflict")
    tap(home.action_buttons[(item.mutation_id, "mine")])
    assert "已保留我的版本" in home.ids.status.text
    assert all(a.record_id != ident for a in ui.sync_presenter.attention())
    tap(home.ids.sync_button)
    pump(until=lambda: ui.sync_presenter.state in ("done", "error"))
    assert ui.store.records.get("inspection", ident)["data"]["company_name"].endswith("（我的）")


def test_records_list_opens_an_inspection(ui):
    prepare_verdict(ui)
    tap(ui.root.ids.nav_records)
    records = screen(ui, "records")
    assert ui.root.current == "records"
    ident = ui.inspection_presenter.inspection_id
    shown = texts(records.ids.rows)
    assert "草稿（未上传）" in shown or "已提交" in shown
    assert "检测项" in shown and ident in records.open_buttons
    shoot("records")
    ui.inspection_presenter.inspection_id = None      # as after a restart: nothing open
    tap(records.open_buttons[ident])
    insp = screen(ui, "inspection")
    assert ui.root.current == "inspection" and ui.inspection_presenter.inspection_id == ident
    assert insp.ids.credit_code.text == "91110105MA01ABCD00" and insp.has_verdict
    assert "尚无照片" in texts(insp.ids.photos)
    tap(insp.ids.take_photo)
    assert "GBFIELD_CAMERA_DIR" in insp.ids.photo_message.text or "相机文件夹" in insp.ids.photo_message.text
    from PIL import Image

    capture = Path(ui.store.path).parent / "capture.jpg"
    Image.new("RGB", (640, 480), (120, 160, 200)).save(capture)
    insp.ids.photo_path.text = str(capture)
    tap(insp.ids.take_photo)
    pump(until=lambda: ui.photo_capture.state in ("idle", "error"))      # watermarked on a worker
    assert ui.photo_capture.state == "idle" and "待上传" in texts(insp.ids.photos), insp.ids.photo_message.text
    shoot("inspection-photo")


# ---- the day, walked through ---------------------------------------------------------

def draw(pad, k: int = 0) -> None:
    """Sign in `pad` with a finger: one wavy stroke of touches (down, moves, up)."""
    from kivy.tests.common import UnitTestTouch

    x0, y0 = pad.to_window(pad.x, pad.y)
    points = [(x0 + pad.width * (0.1 + i / 40), y0 + pad.height * (0.4 + ((i + k) % 7) / 25)) for i in range(30)]
    touch = UnitTestTouch(*points[0])
    touch.touch_down()
    for x, y in points[1:]:
        touch.touch_move(x, y)
    touch.touch_up()
    pump(2)


def sign_slot(complete, slot: str, k: int = 0) -> None:
    widget = complete.slots[slot]
    tap(widget.ids["clear"])              # scrolls the box into view (and starts clean)
    draw(widget.ids.pad, k)
    assert widget.ids.pad.strokes, f"the pad of {slot} took no stroke"
    tap(widget.ids.confirm)


def earlier_inspection(server, token) -> str:
    """What the officer's colleague found here in March: formaldehyde 30 mg/kg, 不合格."""
    from server_testkit import Api, finding, inspection_item

    item = inspection_item(inspected_on="2025-03-12", address="北京市朝阳区示例路1号",
                           findings=[finding(measured="30", outcome="fail", note="超标")])
    item["data"]["inspected_on"] = "2025-03-12"
    answer = Api(server).push([item], token=token)
    assert answer.json["results"][0]["status"] == "applied", answer.json
    return item["id"]


def test_walkthrough_of_an_inspection_day(ui, server, device_token, tmp_path):
    """The officer's day on the real app against the real server: profile → sync →
    回头看 → inspect (numeric, word, grade) → correct → photo → 完成检查 (sign, lock) →
    现场笔录 PDF (rendered, Chinese text) → question → sync → returned by the supervisor
    → correct → sync again. A screenshot of every screen: tests/_artifacts/tablet-day-*.png."""
    import shutil
    import subprocess

    from PIL import Image
    from server_testkit import Api

    from server.inspections.models import Inspection, Signature
    from server.kernel.extensions import db

    earlier = earlier_inspection(server, device_token)
    # 1. Settings: who signs the 现场笔录
    tap(ui.root.ids.nav_settings)
    settings = screen(ui, "settings")
    settings.ids.officer_name.text = "李检查"
    settings.ids.officer_certificate_no.text = "11010520190123"
    settings.ids.officer_authority.text = "北京市朝阳区市场监督管理局"
    tap(settings.ids.save_profile)
    assert settings.ids.profile_message.text == "已保存"
    shoot("day-01-settings")
    # 2. sync: the catalog and the officer's own records (the March inspection)
    tap(ui.root.ids.nav_home)
    home = screen(ui, "home")
    tap(home.ids.sync_button)
    pump(until=lambda: ui.sync_presenter.state in ("done", "error"))
    assert ui.sync_presenter.state == "done", ui.sync_presenter.message
    assert ui.store.records.get("inspection", earlier) is not None
    shoot("day-02-home")
    # 3. scan, 回头看
    scan = look_up(ui, DEMO_GTIN)
    shoot("day-03-scan")
    tap(scan.history_button)
    history = screen(ui, "history")
    assert ui.root.current == "history" and "不合格" in texts(history.ids.rows) and "2025-03-12" in texts(history.ids.rows)
    shoot("day-04-history")
    # 4. inspect: a number that fails, corrected; a word picked; a grade picked
    look_up(ui, DEMO_GTIN)
    tap(scan.start_button)
    insp = screen(ui, "inspection")
    insp.ids.address.text = "北京市朝阳区示例路1号"
    insp.ids.site.text = "成品仓库二楼"
    tap(insp.ids.save)
    ident = ui.inspection_presenter.inspection_id
    assert ident and ident != earlier and insp.ids.form_message.text == "检查信息已保存"
    tap(insp.indicator_buttons[FORMALDEHYDE_A])
    for key in "20.4":
        tap(insp.ids.keypad.keys[key])
    assert insp.ids.measured.text == "20.4"
    tap(insp.ids.judge)
    assert insp.ids.verdict_outcome.text.startswith("不合格")
    shoot("day-05-numeric-fail")
    insp.ids.measured.text = "18"
    tap(insp.ids.correct)
    assert insp.ids.verdict_outcome.text.startswith("合格") and "取代" in insp.ids.verdict_steps.text
    shoot("day-06-corrected")
    tap(insp.indicator_buttons[ODOUR])
    tap(insp.choice_buttons["无异味"])
    tap(insp.ids.judge)
    assert insp.ids.verdict_outcome.text.startswith("合格")
    shoot("day-07-word")
    fastness = next(i for i in insp.indicator_buttons if "colour-fastness" in i)
    tap(insp.indicator_buttons[fastness])
    tap(insp.choice_buttons["3-4"])
    tap(insp.ids.judge)
    assert insp.has_verdict and "3-4" in insp.ids.verdict_outcome.text
    shoot("day-08-grade")
    # 5. a photo of the label
    capture = tmp_path / "label.jpg"
    Image.new("RGB", (1600, 1200), (200, 180, 150)).save(capture)
    insp.ids.photo_path.text = str(capture)
    tap(insp.ids.take_photo)
    pump(until=lambda: ui.photo_capture.state in ("idle", "error"))      # watermarked on a worker
    assert ui.photo_capture.state == "idle" and "待上传" in texts(insp.ids.photos), insp.ids.photo_message.text
    shoot("day-09-photo")
    # 6. a question on the clause
    tap(insp.indicator_buttons[FORMALDEHYDE_A])
    insp.ids.question.text = "婴幼儿服装的甲醛限值是否按A类判定？"
    tap(insp.ids.ask)
    assert "已" in insp.question_message
    # 7. 完成检查: the summary, the 现场笔录 on screen, signatures, the lock
    tap(insp.ids.complete)
    complete = screen(ui, "complete")
    assert ui.root.current == "complete", insp.ids.form_message.text
    complete.ids.legal_representative.text = "王法人"
    complete.ids.on_site_person.text = "赵现场"
    complete.ids.on_site_role.text = "仓库主管"
    complete.ids.opinion.text = "对检查情况无异议"
    tap(complete.ids["update"])
    assert ui.completion_presenter.pages, complete.message
    shoot("day-10-complete")
    for n, slot in enumerate(s for s in complete.slots if s != "witness"):
        sign_slot(complete, slot, n)
    shoot("day-11-signed")
    assert not complete.finish_button.disabled, complete.message
    column = complete.ids.signatures.parent
    assert 0.0 <= column.scroll_y <= 1.0, column.scroll_y        # the column is not scrolled off
    tap(complete.finish_button)
    assert ui.completion_presenter.state == "done", complete.message
    # the completed screen: each box shows the signature taken; nothing can change the record here
    signed = {s: w for s, w in complete.slots.items() if s != "witness"}
    assert signed and all(Path(w.image).is_file() and w.ids.signed_image.texture and not w.disabled
                          and w.ids.pad.disabled for w in signed.values())
    assert complete.ids["update"].disabled and complete.ids.sampling.disabled and complete.finish_button.disabled
    shoot("day-12-completed")
    # 8. the 现场笔录 PDF: rendered to PNG, Chinese text in it
    pdf = ui.completion_presenter.pdf
    page = ARTIFACTS / "tablet-day-onsite-record"
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(page)], check=True)
    rendered = max(ARTIFACTS.glob("tablet-day-onsite-record*.png"))
    assert Image.open(rendered).size[0] > 700
    words = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "现场笔录" in words and "北京示例婴童服饰有限公司" in words and "11010520190123" in words
    shutil.copy(pdf, ARTIFACTS / "tablet-day-onsite-record.pdf")
    # 9. sync: the completed inspection, its signatures and the question reach the server
    tap(ui.root.ids.nav_home)
    tap(home.ids.sync_button)
    pump(until=lambda: ui.sync_presenter.state in ("done", "error"), timeout=60)
    assert ui.sync_presenter.state == "done", ui.sync_presenter.message
    with server.app_context():
        row = db.session.get(Inspection, ident)
        assert row.data["completed_at"] and row.data["site"] == "成品仓库二楼"
        signed = db.session.query(Signature).filter_by(inspection_id=ident).all()
        assert len(signed) == 2 and all(s.hash_matches for s in signed), [s.hash_matches for s in signed]
    # 10. returned by the supervisor; Home says so, with its action
    answer = Api(server).call("POST", f"/api/v1/inspections/{ident}/reviews", "sup_chaoyang",
                              json={"outcome": "returned", "comment": "请补充异味的检测说明"})
    assert answer.status_code in (200, 201), answer.json
    tap(home.ids.sync_button)
    pump(until=lambda: ui.sync_presenter.state in ("done", "error"), timeout=60)
    assert home.returned >= 1 and (ident, "returned") in home.action_buttons
    shoot("day-13-returned")
    tap(home.action_buttons[(ident, "returned")])
    assert ui.root.current == "inspection" and ui.inspection_presenter.inspection_id == ident
    # 11. correct the odour finding (a new revision), sync: resubmitted
    odour = next(f for f in ui.inspection_presenter.findings.values() if f.indicator_id == ODOUR)
    tap(insp.finding_buttons[odour.id])
    insp.ids.note.text = "现场嗅辨，无异味"
    tap(insp.ids.save_note)
    shoot("day-14-correcting")
    tap(ui.root.ids.nav_home)
    tap(home.ids.sync_button)
    pump(until=lambda: ui.sync_presenter.state in ("done", "error"), timeout=60)
    assert ui.sync_presenter.state == "done", ui.sync_presenter.message
    with server.app_context():
        assert db.session.get(Inspection, ident).status == "resubmitted"
    shoot("day-15-resynced")
    tap(ui.root.ids.nav_questions)
    assert "婴幼儿服装的甲醛限值" in texts(screen(ui, "questions").ids.rows)
    shoot("day-16-questions")


def test_home_lists_the_tasks_and_starts_an_inspection_from_one(ui):
    """首页 今日任务: a task pulled for the officer (its enterprise, kind, deadline, what to
    check, the enterprise's orders) and an order falling due; 开始检查 → scan the product →
    the inspection carries the task and its enterprise."""
    from datetime import date, timedelta

    from kivy_client.widgets import FlatButton
    from sync.client.local import store_page

    ensure_synced(ui)
    due = str(date.today() + timedelta(days=2))
    task = {"id": "task-ui-1", "kind": "reinspection", "state": "assigned", "plan_name": "2026年婴童服装专项",
            "enterprise": {"credit_code": "91110105MA01ABCD00", "name": "北京示例童装商店", "address": "朝阳路88号"},
            "items": [{"id": "a", "name": "婴幼儿纺织产品"}], "inspectors": ["JC1"], "due": due}
    order = {"id": "order-ui-1", "inspection_id": "earlier", "credit_code": "91110105MA01ABCD00",
             "finding_ids": ["f1"], "requirement": "甲醛含量超标产品下架并整改", "deadline": due, "state": "open",
             "company_name": "北京示例童装商店"}
    store_page(ui.store, [{"seq": 1, "entity": "task", "id": task["id"], "op": "upsert", "version": 1, "data": task},
                          {"seq": 2, "entity": "order", "id": order["id"], "op": "upsert", "version": 1,
                           "data": order}], cursor=ui.store.state.cursor)
    tap(ui.root.ids.nav_home)
    home = screen(ui, "home")
    home.refresh()
    pump(3)
    words = texts(home.ids.tasks)
    assert "北京示例童装商店" in words and due in words and "婴幼儿纺织产品" in words
    assert "回头看 · 2026年婴童服装专项" in words       # the plan's name whole (localize cut "2026")
    assert "甲醛含量超标产品下架并整改" in words and "整改到期" in words
    shoot("home-tasks")
    tap(home.action_buttons[("task-ui-1", "task")])
    assert ui.root.current == "scan"
    scan = look_up(ui, DEMO_GTIN)
    tap(next(w for w in scan.ids.results.walk() if isinstance(w, FlatButton)))
    insp = screen(ui, "inspection")
    assert insp.ids.company_name.text == "北京示例童装商店" and insp.ids.address.text == "朝阳路88号"
    tap(insp.ids.save)
    iid = ui.inspection_presenter.inspection_id
    assert ui.store.records.get("inspection", iid)["data"]["task_id"] == "task-ui-1"
    shoot("home-task-inspection")
