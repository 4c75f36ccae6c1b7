"""EnrolPresenter and SyncPresenter against the real server app in-process."""
from __future__ import annotations

import threading

import pytest
from server_testkit import PASSWORD
from tablet_kit import FORMALDEHYDE_A

from device import DeviceRecords, open_store
from kivy_client.presenters import EnrolPresenter, SyncPresenter, ThreadRunner
from sync.client import WsgiTransport
from sync.protocol import make_enrol_payload


def _enrol_code(server) -> str:
    from server_testkit import Api

    r = Api(server).call("POST", "/api/v1/devices/enrolments", "admin", json={"username": "insp_chaoyang"})
    assert r.status_code == 201, r.json
    return r.json["code"]


def test_enrol_with_payload_saves_credentials(server, tmp_path):
    store = open_store(tmp_path / "t.sqlite")
    enrol = EnrolPresenter(store, transport_factory=lambda url: WsgiTransport(server))
    enrol.enrol(make_enrol_payload("http://gbfield.test", _enrol_code(server)), PASSWORD)   # the officer's own
    assert enrol.state == "done", enrol.message
    assert store.state.credentials()["token"] and enrol.enrolled["server_url"] == "http://gbfield.test"


def test_enrol_from_qr_photo(server, tmp_path):
    import qrcode

    path = tmp_path / "enrol.png"
    qrcode.make(make_enrol_payload("http://gbfield.test", _enrol_code(server))).save(path)
    enrol = EnrolPresenter(open_store(tmp_path / "t.sqlite"), transport_factory=lambda url: WsgiTransport(server))
    enrol.enrol_image(str(path), PASSWORD)
    assert enrol.state == "done", enrol.message


@pytest.mark.parametrize("payload,fragment", [
    ("hello", "不是登记二维码"),
    ("gbfield-enrol:v1?server=http://x.test", "缺少登记码"),
    ("gbfield-enrol:v1?server=http://gbfield.test&code=WRONG123", "登记失败"),
])
def test_enrol_errors_are_readable(server, tmp_path, payload, fragment):
    store = open_store(tmp_path / "t.sqlite")
    enrol = EnrolPresenter(store, transport_factory=lambda url: WsgiTransport(server))
    enrol.enrol(payload)
    assert enrol.state == "error" and fragment in enrol.message and "Traceback" not in enrol.message
    assert enrol.enrolled is None


def test_enrol_without_the_officers_password_is_refused_readably(server, tmp_path):
    store = open_store(tmp_path / "t.sqlite")
    enrol = EnrolPresenter(store, transport_factory=lambda url: WsgiTransport(server))
    enrol.enrol(make_enrol_payload("http://gbfield.test", _enrol_code(server)))
    assert enrol.state == "error" and "密码" in enrol.message and enrol.enrolled is None
    enrol.enrol(make_enrol_payload("http://gbfield.test", _enrol_code(server)), "not-the-password")
    assert enrol.state == "error" and enrol.enrolled is None


def test_sync_not_enrolled_says_so(tmp_path):
    sync = SyncPresenter(open_store(tmp_path / "t.sqlite"))
    assert sync.sync() is False and sync.state == "error" and "尚未登记" in sync.message


def test_sync_in_a_thread_reports_progress_and_counts(synced_store, wsgi_factory):
    records = DeviceRecords(synced_store)
    inspection = records.create_inspection("2025-06-01", company_name="北京示例婴童服饰有限公司")
    records.add_finding(inspection, FORMALDEHYDE_A, "15", "mg/kg")
    posted, seen = [], []
    runner = ThreadRunner(posted.append)          # the UI loop is played by the test
    sync = SyncPresenter(synced_store, runner=runner, transport_factory=wsgi_factory)
    sync.subscribe(lambda: seen.append((sync.state, sync.stage)))
    assert sync.outbox_counts()["pending"] == 2
    assert sync.sync() and sync.state == "syncing"
    assert sync.sync() is False                    # one run at a time
    for thread in runner.threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in runner.threads)
    for fn in posted:                        # the UI thread runs what the worker posted
        fn()
    assert sync.state == "done", sync.message
    assert (sync.last.pushed, sync.last.conflicts, sync.last.rejected) == (2, 0, 0)
    assert sync.outbox_counts() == {"pending": 0, "conflict": 0, "rejected": 0}
    assert ("syncing", "push") in seen and sync.progress == 1.0
    assert threading.current_thread() is threading.main_thread()


def test_rejected_item_needs_attention_with_reason(synced_store, wsgi_factory):
    records = DeviceRecords(synced_store)
    records.create_inspection("2025-06-01", company_name="某企业", jurisdiction="999999")
    sync = SyncPresenter(synced_store, transport_factory=wsgi_factory)
    assert sync.sync()
    assert sync.last.rejected == 1
    (item,) = sync.attention()
    assert item.kind == "rejected" and "辖区" in item.reason


def test_thread_runner_hands_a_failure_back_to_the_ui_thread():
    posted, failures = [], []
    runner = ThreadRunner(posted.append)

    def work():
        raise ValueError("网络不可用")
    runner.submit(work, lambda _r: None, failures.append)
    runner.threads[0].join(timeout=10)
    for fn in posted:
        fn()
    assert [str(e) for e in failures] == ["网络不可用"]


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(("case", "zh", "en"), [
    ("wrong-password", "密码错误：请输入你本人的登录密码", "wrong password: enter your own sign-in password"),
    ("no-password", "请输入你本人的登录密码以确认登记", "enter your own sign-in password to confirm the enrolment"),
    ("used", "登记码已使用", "The enrolment code was used already"),
    ("unknown", "登记码无效", "Unknown enrolment code"),
    ("no-network", "无法连接服务器", "cannot reach the server"),
])
def test_enrol_failures_say_what_to_do_in_one_language(server, tmp_path, case, zh, en):
    import time

    from kivy_client.presenters import localize
    from sync.client import HttpTransport

    store = open_store(tmp_path / "t.sqlite")
    code = _enrol_code(server)
    factory = lambda url: WsgiTransport(server)
    if case == "used":
        EnrolPresenter(open_store(tmp_path / "other.sqlite"), transport_factory=factory).enrol(
            make_enrol_payload("http://gbfield.test", code), PASSWORD)
    if case == "unknown":
        code = "NOSUCH42"
    url = "http://gbfield.test"
    if case == "no-network":
        url = f"http://127.0.0.1:{_closed_port()}"
        factory = lambda u: HttpTransport(u, timeout=(2.0, 5.0))
    password = {"wrong-password": "not-my-password", "no-password": None}.get(case, PASSWORD)
    enrol = EnrolPresenter(store, transport_factory=factory)
    started = time.monotonic()
    enrol.enrol(make_enrol_payload(url, code), password)
    assert enrol.state == "error"
    assert time.monotonic() - started < 5            # no network is said within seconds
    chinese, english = localize(enrol.message, "zh_CN"), localize(enrol.message, "en")
    assert chinese.startswith("登记失败：") and zh in chinese and "/" not in chinese.replace("http://", "")
    assert english.startswith("enrolment failed: ") and en in english
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english), english
    assert "Traceback" not in enrol.message and "400" not in english


def test_a_sync_with_no_network_says_so_within_seconds_and_the_last_sync_is_kept(tmp_path, server, device_token):
    import time

    from kivy_client.presenters import localize

    store = open_store(tmp_path / "t.sqlite")
    store.state.save_credentials({"server_url": f"http://127.0.0.1:{_closed_port()}", "token": "x", "device_id": "d",
                                  "user": {"username": "insp_chaoyang"}})
    offline = SyncPresenter(store)                 # the real HTTP transport, with its reachability probe
    started = time.monotonic()
    offline.sync()
    assert time.monotonic() - started < 5 and offline.state == "error" and offline.online is False
    english = localize(offline.message, "en")
    assert english.startswith("sync failed: cannot reach the server http://127.0.0.1:"), english
    assert localize(offline.message, "zh_CN").startswith("同步失败：无法连接服务器")
    assert offline.last_success is None
    online = SyncPresenter(store, transport_factory=lambda creds: WsgiTransport(server, device_token))
    store.state.save_credentials({**store.state.credentials(), "token": device_token})
    assert online.sync() and online.state == "done" and online.online is True
    kept = SyncPresenter(store).last_success                  # as after a restart
    assert kept and kept["at"] and kept["pulled"] > 0
