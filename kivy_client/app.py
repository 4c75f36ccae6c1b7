"""The tablet app: one App class wires the store, the presenters and the screens.

    TabletApp(store_path="device.sqlite").run()

Kivy is imported here and in screens/widgets only; presenters stay plain Python. Work
that may take more than a moment (sync, enrolment) runs on a thread and comes back to the
UI through Clock.schedule_once.
"""
from __future__ import annotations

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
from kivy_client.i18n import Translator
from kivy_client.presenters import (
    EnrolPresenter,
    InspectionPresenter,
    RecordsPresenter,
    ScanPresenter,
    SyncPresenter,
    ThreadRunner,
)
from kivy_client.records_screen import RecordsScreen
from kivy_client.screens import HomeScreen, InspectionScreen, ScanScreen, SettingsScreen
from kivy_client.services.photos import FONT_PATH

KV_DIR = Path(__file__).resolve().parent / "kv"
KV_FILES = ("theme.kv", "home.kv", "scan.kv", "inspection.kv", "records.kv", "settings.kv")


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

    def __init__(self, store: DeviceStore | None = None, *, store_path: str | None = None, runner=None,
                 sync_transport_factory=None, enrol_transport_factory=None, inspector: str = "",
                 camera_folder: str | None = None, **kw):
        super().__init__(**kw)
        self.store = store or open_store(store_path or "device.sqlite")
        self.translator = Translator()
        self.runner = runner or ThreadRunner(lambda fn: Clock.schedule_once(lambda _dt: fn(), 0))
        sync_kw = {"transport_factory": sync_transport_factory} if sync_transport_factory else {}
        enrol_kw = {"transport_factory": enrol_transport_factory} if enrol_transport_factory else {}
        self.sync_presenter = SyncPresenter(self.store, runner=self.runner, **sync_kw)
        self.enrol_presenter = EnrolPresenter(self.store, runner=self.runner, **enrol_kw)
        self.scan_presenter = ScanPresenter(self.store)
        # the officer's name is read when a photo is taken (a tablet enrolled in this session has it)
        self.inspection_presenter = InspectionPresenter(self.store, inspector=inspector, camera_folder=camera_folder)
        self.records_presenter = RecordsPresenter(self.store)

    def t(self, key: str, _lang: str | None = None) -> str:
        """Return the text of `key` in the current language (kv passes app.lang to re-bind)."""
        return self.translator(key)

    def set_language(self, language: str) -> None:
        """Switch the UI language ("zh_CN" / "en") and re-label every screen."""
        self.translator.set_language(language)
        self.lang = language
        for screen in self.root.ids.sm.screens:
            screen.refresh()

    def start_inspection(self, resolution) -> None:
        """Take a scanned product to the inspection screen (form prefilled, indicators listed)."""
        self.inspection_presenter.use_resolution(resolution)
        screen = self.root.ids.sm.get_screen("inspection")
        screen.fill_form()
        self.root.show("inspection")

    def open_record(self, inspection_id: str) -> None:
        """Load a past inspection into the inspection screen (for correction) and show it."""
        self.inspection_presenter.load(inspection_id)
        self.root.ids.sm.get_screen("inspection").fill_form()
        self.root.show("inspection")

    def build(self):
        """Return the root widget with its four screens wired to their presenters."""
        register_cjk_font()
        load_kv()
        root = Root()
        pairs = ((HomeScreen, self.sync_presenter), (ScanScreen, self.scan_presenter),
                 (InspectionScreen, self.inspection_presenter), (RecordsScreen, self.records_presenter),
                 (SettingsScreen, self.enrol_presenter))
        for cls, presenter in pairs:
            screen = cls(presenter=presenter)
            presenter.subscribe(screen.refresh)
            root.ids.sm.add_widget(screen)
            screen.refresh()
        # the home counts change when a finding is recorded or an enrolment is saved
        self.inspection_presenter.subscribe(root.ids.sm.get_screen("home").refresh)
        self.enrol_presenter.subscribe(root.ids.sm.get_screen("home").refresh)
        # a sync (pulled reviews) or a decision on Home changes the records list
        self.sync_presenter.subscribe(root.ids.sm.get_screen("records").refresh)
        return root

    # ---- Android lifecycle (kivy_client/lifecycle.py) ---------------------------------

    RESUME_FIELDS = ("company_name", "credit_code", "address", "gtin", "batch", "product_class", "measured")

    def on_pause(self) -> bool:
        """Android paused the app: keep the inspection in progress (snapshot in the store)
        and stay resumable (True)."""
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
        """Close the device store."""
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
