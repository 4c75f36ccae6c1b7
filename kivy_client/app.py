"""The tablet app: one App class wires the store, the presenters and the screens.

    TabletApp(store_path="device.sqlite").run()

Kivy is imported here and in screens/widgets only; presenters stay plain Python. Work
that may take more than a moment (sync, enrolment) runs on a thread and comes back to the
UI through Clock.schedule_once.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import LabelBase
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.utils import platform

import kivy_client.widgets  # noqa: F401 - the widget classes the kv rules name
from device import DeviceStore, open_store
from kivy_client import lifecycle
from kivy_client.completion_screen import CompleteScreen
from kivy_client.i18n import Translator
from kivy_client.inspection_screen import InspectionScreen
from kivy_client.more_screens import HistoryScreen, QuestionsScreen
from kivy_client.presenters import (
    EnrolPresenter,
    InspectionPresenter,
    PresenterError,
    RecordsPresenter,
    ScanPresenter,
    SyncPresenter,
    ThreadRunner,
    localize,
)
from kivy_client.presenters.completion import CompletionPresenter
from kivy_client.presenters.history import HistoryPresenter
from kivy_client.presenters.home import HomeItem, HomePresenter
from kivy_client.presenters.live_scan import LiveScanPresenter
from kivy_client.presenters.photo_capture import PhotoCapture
from kivy_client.presenters.questions import QuestionsPresenter
from kivy_client.presenters.search import StandardSearch
from kivy_client.records_screen import RecordsScreen
from kivy_client.screens import HomeScreen, ScanScreen, SettingsScreen
from kivy_client.services.camera import open_camera
from kivy_client.services.decoders import decoder_for
from kivy_client.services.feedback import feedback_for
from kivy_client.services.location import LocationService, location_service
from kivy_client.services.photos import FONT_PATH

KV_DIR = Path(__file__).resolve().parent / "kv"
LANGUAGE_KEY = "language"          # device state: the UI language the officer chose
KV_FILES = ("theme.kv", "home.kv", "scan.kv", "inspection.kv", "complete.kv", "records.kv", "questions.kv",
            "history.kv", "settings.kv")


def enrolment_code(text: str) -> str | None:
    """None for an enrolment payload; else why the code is not taken (LiveScanPresenter's accept)."""
    if text.startswith("gbfield-enrol:"):
        return None
    return ("这不是登记二维码：请扫描管理端“登记平板”页上的二维码 / not an enrolment QR code: scan the code on "
            "the console's Enrol a tablet page")


def register_cjk_font() -> None:
    """Make WenQuanYi Micro Hei (shipped in assets/fonts) the default "Roboto" so Chinese renders."""
    LabelBase.register(name="Roboto", fn_regular=str(FONT_PATH), fn_bold=str(FONT_PATH))


def load_kv() -> None:
    """Load the kv rules once (idempotent); the widget classes they name are imported above."""
    for name in KV_FILES:
        path = str(KV_DIR / name)
        Builder.unload_file(path)
        Builder.load_file(path)


class Root(BoxLayout):
    """Navigation rail + the screen manager."""

    current = StringProperty("home")

    def show(self, name: str) -> None:
        """Switch to the screen `name`."""
        self.ids.sm.current = name


class TabletApp(App):
    """gbfield on the tablet. `store` or `store_path` is the device store;
    `runner`/`transport factories` can be injected (tests)."""

    lang = StringProperty("zh_CN")
    title = "gbfield"
    net_state = StringProperty("unknown")      # online | offline | unknown (the rail's dot)
    net_text = StringProperty("")
    last_sync_text = StringProperty("")
    pending_text = StringProperty("")
    NETWORK_CHECK_SECONDS = 30

    def __init__(self, store: DeviceStore | None = None, *, store_path: str | None = None, runner=None,
                 sync_transport_factory=None, enrol_transport_factory=None, inspector: str = "",
                 camera_folder: str | None = None, location: LocationService | None = None,
                 camera_factory=None, **kw):
        super().__init__(**kw)
        self.store = store or open_store(store_path or "device.sqlite")
        self.translator = Translator()
        saved = self.store.state.get(LANGUAGE_KEY)
        if saved in ("zh_CN", "en"):               # the officer's choice, kept across restarts
            self.translator.set_language(saved)
            self.lang = saved
        self.runner = runner or ThreadRunner(lambda fn: Clock.schedule_once(lambda _dt: fn(), 0))
        sync_kw = {"transport_factory": sync_transport_factory} if sync_transport_factory else {}
        enrol_kw = {"transport_factory": enrol_transport_factory} if enrol_transport_factory else {}
        self.sync_presenter = SyncPresenter(self.store, runner=self.runner, **sync_kw)
        self.enrol_presenter = EnrolPresenter(self.store, runner=self.runner, **enrol_kw)
        self.scan_presenter = ScanPresenter(self.store)
        self.standard_search = StandardSearch(self.store)
        post = self.runner.post
        # the camera (a replay when $GBFIELD_CAMERA_REPLAY names a folder) and the platform's decoder
        self.camera_factory = camera_factory or (lambda: open_camera(platform))
        self.feedback = feedback_for(platform)
        self.live_scan = LiveScanPresenter(self.camera_factory, lambda: decoder_for(platform),
                                           lambda text, _symbology: self.scan_presenter.scan(text), post=post,
                                           feedback=self.feedback)
        self.location = location or location_service(platform, post)
        # the officer's name is read when a photo is taken (a tablet enrolled in this session has it)
        self.inspection_presenter = InspectionPresenter(self.store, inspector=inspector, camera_folder=camera_folder,
                                                        location=self.location)
        self.enrol_scan = LiveScanPresenter(self.camera_factory, lambda: decoder_for(platform),
                                            lambda text, _symbology: self.enrol_scanned(text), post=post,
                                            feedback=self.feedback, accept=enrolment_code)
        self.photo_capture = PhotoCapture(self.inspection_presenter, self.camera_factory, runner=self.runner)
        self.records_presenter = RecordsPresenter(self.store)
        self.home_presenter = HomePresenter(self.store)
        self.questions_presenter = QuestionsPresenter(self.store)
        self.history_presenter = HistoryPresenter(self.store)
        self.completion_presenter = CompletionPresenter(self.store, self.inspection_presenter, runner=self.runner)

    def t(self, key: str, _lang: str | None = None) -> str:
        """Return the text of `key` in the current language (kv passes app.lang to re-bind)."""
        return self.translator(key)

    def show_status(self) -> None:
        """The rail's sync status: online/offline, the last successful sync (kept across
        restarts), the items waiting, and the progress of a sync running."""
        p = self.sync_presenter
        self.net_state = {True: "online", False: "offline"}.get(p.online, "unknown")
        self.net_text = self.t({"online": "online", "offline": "offline"}.get(self.net_state, "net_unknown"))
        last = p.last_success
        if p.state == "syncing":
            self.last_sync_text = f"{self.t('syncing')} {round(p.progress * 100)}%"
        elif last:
            when = datetime.fromisoformat(last["at"]).astimezone()
            self.last_sync_text = f"{self.t('last_sync')}\n{when:%m-%d %H:%M}"
        else:
            self.last_sync_text = self.t("never_synced")
        self.pending_text = f"{self.t('waiting_n')} {p.outbox_counts()['pending']}"

    def set_language(self, language: str) -> None:
        """Switch the UI language ("zh_CN" / "en") and re-label every screen."""
        self.translator.set_language(language)
        self.lang = language
        self.store.state.set(LANGUAGE_KEY, language)
        for screen in self.root.ids.sm.screens:
            screen.refresh()
        inspection = self.root.ids.sm.get_screen("inspection")
        inspection.form_message = inspection.value_message = inspection.question_message = ""   # said in the other language
        inspection.ids.keypad.relabel(self.t)
        for presenter in (self.live_scan, self.enrol_scan, self.photo_capture):
            presenter.notify()          # their messages, in the new language
        self.show_status()

    def enrol_scanned(self, payload: str) -> None:
        """The console's enrolment QR was read in Settings."""
        self.root.ids.sm.get_screen("settings").scanned(payload)

    def start_inspection(self, resolution) -> None:
        """Take a scanned product to the inspection screen (form prefilled, indicators listed)."""
        self.inspection_presenter.use_resolution(resolution)
        screen = self.root.ids.sm.get_screen("inspection")
        screen.fill_form()
        self.root.show("inspection")

    def start_task(self, task_id: str) -> None:
        """开始检查 from a task on Home: the next inspection carries the task and its
        enterprise; the officer scans the product first."""
        try:
            self.inspection_presenter.use_task(task_id)
        except PresenterError as exc:
            self.root.ids.sm.get_screen("home").status_text = localize(exc.message, self.lang)
            return
        self.root.show("scan")

    def open_record(self, inspection_id: str) -> None:
        """Load a past inspection into the inspection screen (for correction) and show it."""
        self.inspection_presenter.load(inspection_id)
        self.root.ids.sm.get_screen("inspection").fill_form()
        self.root.show("inspection")

    def begin_completion(self) -> None:
        """完成检查: check the open inspection and show the summary, the 现场笔录 and the signature boxes."""
        screen = self.root.ids.sm.get_screen("complete")
        try:
            self.completion_presenter.begin()
        except PresenterError as exc:
            self.root.ids.sm.get_screen("inspection").form_message = localize(exc.message, self.lang)
            return
        screen.fill()
        self.root.show("complete")

    def completed(self) -> None:
        """After 完成检查: the inspection screen shows the locked record."""
        self.inspection_presenter.refresh_locked()

    def show_history(self, credit_code: str | None = None, company: str = "") -> None:
        """回头看: the enterprise's earlier inspections (the open inspection's, or `credit_code`'s)."""
        form = self.inspection_presenter.form
        self.history_presenter.show(credit_code or form.get("credit_code", ""),
                                    company=company or form.get("company_name", ""),
                                    exclude=self.inspection_presenter.inspection_id)
        self.root.show("history")

    def show_questions(self, clause: bool = False) -> None:
        """我的提问, or (clause=True) the questions about the selected indicator's clause."""
        screen = self.root.ids.sm.get_screen("questions")
        selected = self.inspection_presenter.selected
        screen.clause = (selected.edition_id, selected.clause) if clause and selected else None
        self.root.show("questions")

    def act(self, item: HomeItem) -> None:
        """Home's action for an item: open the inspection, or read the answer."""
        if item.kind == "answered":
            self.show_questions()
            return
        self.open_record(item.target)

    def build(self):
        """Return the root widget with its four screens wired to their presenters."""
        register_cjk_font()
        load_kv()
        root = Root()
        pairs = ((HomeScreen, self.sync_presenter), (ScanScreen, self.scan_presenter),
                 (InspectionScreen, self.inspection_presenter), (CompleteScreen, self.completion_presenter),
                 (RecordsScreen, self.records_presenter), (QuestionsScreen, self.questions_presenter),
                 (HistoryScreen, self.history_presenter), (SettingsScreen, self.enrol_presenter))
        for cls, presenter in pairs:
            extra = {HomeScreen: {"home": self.home_presenter}, ScanScreen: {"live": self.live_scan, "search": self.standard_search},
                     InspectionScreen: {"capture": self.photo_capture},
                     SettingsScreen: {"enrol_scan": self.enrol_scan}}.get(cls, {})
            screen = cls(presenter=presenter, **extra)
            presenter.subscribe(screen.refresh)
            root.ids.sm.add_widget(screen)
            screen.refresh()
        home = root.ids.sm.get_screen("home")
        self.live_scan.subscribe(root.ids.sm.get_screen("scan").show_live)
        self.photo_capture.subscribe(root.ids.sm.get_screen("inspection").show_capture)
        self.enrol_scan.subscribe(root.ids.sm.get_screen("settings").show_scan)
        self.sync_presenter.subscribe(self.standard_search.forget)     # a sync may change the catalog
        # the home counts change when a finding is recorded, a question read, an enrolment saved
        for presenter in (self.inspection_presenter, self.enrol_presenter, self.questions_presenter,
                          self.completion_presenter):
            presenter.subscribe(home.refresh)
        # a sync (pulled reviews, answers) or a decision on Home changes the lists
        self.sync_presenter.subscribe(root.ids.sm.get_screen("records").refresh)
        self.sync_presenter.subscribe(root.ids.sm.get_screen("questions").refresh)
        self.completion_presenter.subscribe(root.ids.sm.get_screen("inspection").refresh)
        self.location.start(lambda _fix: root.ids.sm.get_screen("inspection").refresh())
        for presenter in (self.sync_presenter, self.inspection_presenter, self.completion_presenter,
                          self.photo_capture):
            presenter.subscribe(self.show_status)
        self.show_status()
        self.sync_presenter.check_network()
        self._network_check = Clock.schedule_interval(lambda _dt: self.sync_presenter.check_network(),
                                                      self.NETWORK_CHECK_SECONDS)
        return root

    # ---- Android lifecycle (kivy_client/lifecycle.py) ---------------------------------

    RESUME_FIELDS = ("company_name", "credit_code", "address", "site", "gtin", "batch", "product_class", "measured")

    def on_pause(self) -> bool:
        """Android paused the app: keep the inspection in progress (snapshot in the store)
        and stay resumable (True). The camera is let go."""
        self.live_scan.stop()
        self.photo_capture.stop()
        self.enrol_scan.stop()
        inspection = self.root.ids.sm.get_screen("inspection")
        fields = {k: inspection.ids[k].text for k in self.RESUME_FIELDS if k in inspection.ids}
        lifecycle.save(self.store, lifecycle.take(self.root.ids.sm.current, self.inspection_presenter, fields))
        return True

    def on_resume(self) -> None:
        """Back in the same process: nothing was lost; forget the snapshot."""
        lifecycle.clear(self.store)

    def on_start(self) -> None:
        """After Android killed the paused app: reopen what was in progress."""
        snapshot = lifecycle.saved(self.store)
        if snapshot is None:
            return
        lifecycle.restore(snapshot, self.inspection_presenter)
        inspection = self.root.ids.sm.get_screen("inspection")
        inspection.fill_form()
        for key, text in snapshot.fields.items():
            if key in inspection.ids:
                inspection.ids[key].text = text
        if snapshot.screen in self.root.ids.sm.screen_names:
            self.root.show(snapshot.screen)
        lifecycle.clear(self.store)

    def on_stop(self) -> None:
        """Stop the cameras, the network check and the location service; close the device store."""
        for camera_user in (self.live_scan, self.enrol_scan, self.photo_capture):
            camera_user.stop()
        if getattr(self, "_network_check", None) is not None:
            self._network_check.cancel()
        self.location.stop()
        self.store.close()


def run(store_path: str, *, size: tuple[int, int] | None = None) -> None:
    """Run the app on the device store at `store_path` (window `size` on a desktop)."""
    if size:
        from kivy.core.window import Window  # noqa: PLC0415 — importing it opens the window: only when the app runs, after Kivy's env and Config are set

        Window.size = size
    TabletApp(store_path=store_path).run()


def run_on_device() -> None:
    """Run the app on a device: on Android ask for the camera and location permissions and
    keep the store in the app's private storage; elsewhere in ~/.local/share/gbfield."""
    if platform == "android":
        from android.permissions import Permission, request_permissions  # noqa: PLC0415 — python-for-android's module: exists on Android only
        from android.storage import app_storage_path  # noqa: PLC0415 — python-for-android's module: exists on Android only

        request_permissions([Permission.CAMERA, Permission.ACCESS_FINE_LOCATION])
        folder = Path(app_storage_path())
    else:
        folder = Path.home() / ".local" / "share" / "gbfield"
    folder.mkdir(parents=True, exist_ok=True)
    TabletApp(store_path=str(folder / "device.sqlite")).run()
