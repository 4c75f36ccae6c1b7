"""Thin Screen classes: they copy presenter state into properties the kv binds to, and
build list rows; every command is a one-line delegation to a presenter."""
from __future__ import annotations

from datetime import date

from kivy.app import App
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kivy_client.attention_cards import MUTED, attention_card, order_card, task_card
from kivy_client.presenters import localize
from kivy_client.presenters.onsite import OfficerProfile
from kivy_client.widgets import OUTCOME_COLOURS, Badge, BigButton, Body, Card, FlatButton


def _t(key: str) -> str:
    return App.get_running_app().t(key)


def _lang() -> str:
    return App.get_running_app().lang


def _is_words(text: str) -> bool:
    """True for typed words (甲醛, jiaquan, jq), not a code (digits, a link, a GS1 string)."""
    return bool(text) and not text.isdigit() and "://" not in text and not text.startswith(("^", "(", "gbfield-"))


def _colon() -> str:
    """"：" in Chinese, ": " in English."""
    return ": " if _lang() == "en" else "："


class HomeScreen(Screen):
    """首页: sync status, the big sync button, progress, the tiles, and everything that
    needs the officer (returned, rejected, flagged, answered; conflicts, refused items),
    each with its action."""

    presenter = ObjectProperty(None)
    home = ObjectProperty(None)              # HomePresenter
    status_text = StringProperty("")
    progress_text = StringProperty("")
    progress = NumericProperty(0)
    busy = BooleanProperty(False)
    pending = NumericProperty(0)
    returned = NumericProperty(0)
    answered = NumericProperty(0)
    decide = NumericProperty(0)
    conflicts = NumericProperty(0)
    rejected = NumericProperty(0)
    action_buttons = ObjectProperty(None)   # {(mutation_id | target, action): widget}

    def on_pre_enter(self, *_args) -> None:
        """Re-read the store each time Home is shown."""
        self.refresh()

    def refresh(self) -> None:
        """Copy the SyncPresenter's and HomePresenter's state into the screen."""
        p = self.presenter
        self.busy = p.state == "syncing"
        self.progress = p.progress
        self.status_text = localize(p.message, _lang()) or _t("sync_idle")
        self.progress_text = (f"{p.stage} {p.done}/{p.done + p.remaining}" if p.done + p.remaining else "")
        if p.last and not self.busy:
            self.progress_text = (f"{_t('last_sync')}: {_t('pulled')} {p.last.pulled} · {_t('pushed')} "
                                  f"{p.last.pushed} · {_t('photos')} {p.last.photos}")
        counts = p.outbox_counts()
        self.conflicts, self.rejected = counts["conflict"], counts["rejected"]
        tiles = self.home.counts() if self.home else {"pending": counts["pending"], "returned": 0, "answered": 0,
                                                      "decide": self.conflicts + self.rejected}
        self.pending, self.returned, self.answered, self.decide = (tiles["pending"], tiles["returned"],
                                                                   tiles["answered"], tiles["decide"])
        box = self.ids.attention
        box.clear_widgets()
        self.action_buttons = {}
        items = self.home.items() if self.home else []
        outbox = p.attention()
        if not items and not outbox:
            box.add_widget(Body(text=_t("nothing_attention"), color=(0.38, 0.42, 0.47, 1)))
        for item in items:
            box.add_widget(self._item_card(item))
        for item in outbox:
            box.add_widget(attention_card(item, p, self.action_buttons, self._refused))
        self._tasks()

    def _tasks(self) -> None:
        """今日任务: the open tasks (enterprise, kind, what to check, deadline, the
        enterprise's orders) with 开始检查, and the orders to correct falling due."""
        box = self.ids.tasks
        box.clear_widgets()
        if self.home is None:
            return
        today = date.today()
        rows, due = self.home.tasks.rows(today), self.home.tasks.orders_due(today)
        if not rows and not due:
            box.add_widget(Body(text=_t("no_tasks"), color=MUTED))
        for row in rows:
            box.add_widget(task_card(row, _lang(), self.action_buttons))
        for order in due:
            box.add_widget(order_card(order, _lang()))

    def _item_card(self, item) -> Card:
        colours = {"returned": (1, 0.94, 0.94, 1), "rejected": (1, 0.94, 0.94, 1),
                   "flagged": (1, 0.97, 0.90, 1), "answered": (0.93, 0.98, 0.94, 1)}
        card = Card(background=colours.get(item.kind, (1, 1, 1, 1)))
        head = BoxLayout(size_hint_y=None, height=dp(44), spacing=dp(12))
        head.add_widget(Body(text=f"{item.label(_lang())} · {item.title}", bold=True, size_hint_y=1,
                             shorten=True, shorten_from="right"))
        button = BigButton(text=item.action(_lang()), size_hint=(None, None), width=dp(180), height=dp(44))
        button.bind(on_release=lambda *_: App.get_running_app().act(item))
        head.add_widget(button)
        self.action_buttons[(item.target, item.kind)] = button
        card.add_widget(head)
        if item.detail:
            card.add_widget(Body(text=localize(item.detail, _lang()), font_size="16sp", color=(0.38, 0.42, 0.47, 1)))
        return card

    def _refused(self, message: str) -> None:
        self.status_text = message


class ScanScreen(Screen):
    """扫码: the camera's preview with the 扫码 toggle (`live`, a LiveScanPresenter: frames
    decoded in the background, the code's outline drawn, vibration/beep), or a code typed
    or read from a photo → product and its standards, resolved offline; 开始检查 and 回头看
    on the product card (`start_button`, `history_button`)."""

    presenter = ObjectProperty(None)
    live = ObjectProperty(None, allownone=True)
    search = ObjectProperty(None, allownone=True)      # StandardSearch: words typed (甲醛, jiaquan, jq)
    scanning = BooleanProperty(False)
    live_message = StringProperty("")
    live_found = BooleanProperty(False)
    live_failed = BooleanProperty(False)
    start_button = ObjectProperty(None, allownone=True)
    history_button = ObjectProperty(None, allownone=True)

    def toggle_camera(self) -> None:
        """扫码 / 停止扫码."""
        self.live.toggle()

    def show_live(self) -> None:
        """Copy the live scanner's state (camera on, message, code taken) into the screen."""
        live = self.live
        self.ids.preview.scanner = live
        self.scanning = live.scanning
        self.live_found, self.live_failed = live.state == "found", live.state == "error"
        self.live_message = localize(live.message, _lang()) or _t("camera_idle")
        self.ids.preview.watch(live.scanning)

    def on_leave(self, *_args) -> None:
        """The camera is off whenever the scan screen is not shown."""
        if self.live is not None:
            self.live.stop()

    hits: tuple = ()

    def look_up(self) -> None:
        """Resolve the text field as a code; words that are no code search the standards."""
        text = self.ids.code.text.strip()
        self.hits = ()
        self.presenter.scan(text)
        if not self.presenter.found and self.search is not None and _is_words(text):
            self.hits = tuple(self.search.search(text))
            self.refresh()

    def load_photo(self) -> None:
        """Decode the photo named in the path field."""
        self.presenter.scan_image(self.ids.photo_path.text.strip())

    def refresh(self) -> None:
        """Show the last answer: product card, standards with badges and key indicators."""
        if self.live is not None:
            self.show_live()
        box = self.ids.results
        box.clear_widgets()
        result = self.presenter.result
        if result is None:
            return
        if not self.presenter.found and self.hits:
            for hit in self.hits:
                box.add_widget(self._hit_card(hit))
            return
        if not self.presenter.found:
            card = Card(background=(1, 0.95, 0.90, 1))
            card.add_widget(Body(text=localize(result.message, _lang()), font_size="20sp"))
            box.add_widget(card)
            return
        if result.product:
            product = result.product
            card = Card()
            card.add_widget(Body(text=product.get("name") or "", font_size="24sp", bold=True))
            colon = _colon()
            card.add_widget(Body(text=f"{_t('company')}{colon}{product.get('company_name') or '—'}"))
            card.add_widget(Body(text=f"{_t('credit_code')}{colon}{product.get('credit_code') or '—'}    "
                                      f"{_t('gtin')}{colon}{result.gtin}", font_size="16sp",
                                 color=(0.38, 0.42, 0.47, 1)))
            row = BoxLayout(size_hint_y=None, height=dp(52), spacing=dp(12))
            start = FlatButton(text=_t("start_inspection"), size_hint_x=None, width=dp(200))
            start.bind(on_release=lambda *_: App.get_running_app().start_inspection(result))
            history = FlatButton(text=_t("history"), size_hint_x=None, width=dp(200))
            history.bind(on_release=lambda *_: App.get_running_app().show_history(
                product.get("credit_code") or "", product.get("company_name") or ""))
            row.add_widget(start)
            row.add_widget(history)
            row.add_widget(BoxLayout())
            self.start_button, self.history_button = start, history
            card.add_widget(row)
            box.add_widget(card)
        box.add_widget(Body(text=_t("standards"), font_size="20sp", bold=True))
        for view in self.presenter.standards(_lang()):
            box.add_widget(self._standard_card(view))

    @staticmethod
    def _hit_card(hit) -> Card:
        """A search hit: what it is called, where (edition, clause, status), its limits by class."""
        card = Card()
        card.add_widget(Body(text=hit.title, font_size="20sp", bold=True))
        where = "  ".join(x for x in (hit.edition_id or hit.standard_code, hit.clause or "", hit.status or "") if x)
        card.add_widget(Body(text=where, font_size="16sp", color=(0.38, 0.42, 0.47, 1)))
        if hit.limits:
            card.add_widget(Body(text=f"{_t('limit')}  " + "  ·  ".join(limit.text() for limit in hit.limits),
                                 font_size="17sp"))
        return card

    @staticmethod
    def _standard_card(view: dict) -> Card:
        card = Card()
        head = BoxLayout(size_hint_y=None, height=dp(36), spacing=dp(12))
        head.add_widget(Badge(text=_t(view.get("status_key") or "") if view.get("status_key") else "?",
                              background=OUTCOME_COLOURS[view["badge"]]))
        head.add_widget(Body(text=f"{view.get('edition') or view['code']}  {view.get('title') or ''}",
                             font_size="20sp", bold=True, size_hint_y=1))
        card.add_widget(head)
        english = _lang() == "en"
        for ind in view.get("key_indicators") or ():
            unit = f" {ind['unit']}" if ind.get("unit") else ""
            name = (ind.get("name_en") or ind["name"]) if english else ind["name"]
            clause = f" ({ind['clause']})" if english else f"（{ind['clause']}）"
            text = f"•  {name}{clause}  {_t('limit')} {ind['limit']}{unit}"
            if ind.get("mark"):       # 待核实: never shown like a confirmed value (scan.kv)
                mark = f"  [{ind['mark']}]" if english else f"  【{ind['mark']}】"
                card.add_widget(Factory.UnverifiedBody(text=f"{text}{mark}"))
            else:
                card.add_widget(Body(text=text, font_size="17sp"))
        if view.get("chain_lines"):   # the related-standards chain (presenters/standard.py)
            card.add_widget(Factory.ChainTitle(text=view["chain_title"]))
            for line in view["chain_lines"]:
                card.add_widget(Factory.ChainLine(text=line))
        return card


class SettingsScreen(Screen):
    """设置: enrolment (the console's QR scanned with the camera, or its text pasted, and
    the officer's own password), the officer's profile and the language."""

    presenter = ObjectProperty(None)
    enrol_scan = ObjectProperty(None, allownone=True)     # LiveScanPresenter taking gbfield-enrol: codes
    scanning = BooleanProperty(False)
    enrol_state = StringProperty("")
    message = StringProperty("")
    busy = BooleanProperty(False)
    failed = BooleanProperty(False)

    profile_message = StringProperty("")

    def toggle_scan(self) -> None:
        """扫描登记二维码 / 停止扫码."""
        self.enrol_scan.toggle()

    def enrol(self) -> None:
        """登记: the payload with the officer's own password."""
        self.presenter.enrol(self.ids.payload.text, self.ids.enrol_password.text or None)

    def scanned(self, payload: str) -> None:
        """The enrolment QR was read: enrol at once when the password is typed, else ask for it."""
        self.ids.payload.text = payload
        if self.ids.enrol_password.text:
            self.enrol()
        else:
            self.message, self.failed = _t("enrol_scanned"), False

    def show_scan(self) -> None:
        """Copy the enrolment scanner's state into the screen (its refusals as the message)."""
        live = self.enrol_scan
        self.ids.enrol_preview.scanner = live
        self.scanning = live.scanning
        self.ids.enrol_preview.watch(live.scanning)
        if live.state == "error" or (live.scanning and live.message):
            self.message, self.failed = localize(live.message, _lang()), live.state == "error" or live.refused

    def on_leave(self, *_args) -> None:
        """The camera is off whenever Settings is not shown."""
        if self.enrol_scan is not None:
            self.enrol_scan.stop()

    def refresh(self) -> None:
        """Copy the EnrolPresenter's state and the officer's profile into the screen."""
        p = self.presenter
        enrolled = p.enrolled
        self.enrol_state = (f"{_t('enrolled_as')}{_colon()}{enrolled['user']} @ {enrolled['server_url']}" if enrolled
                            else _t("not_enrolled"))
        self.message, self.busy, self.failed = localize(p.message, _lang()), p.state == "working", p.state == "error"
        profile = OfficerProfile.load(p.store)
        for key in ("name", "certificate_no", "authority"):
            if not self.ids["officer_" + key].focus:
                self.ids["officer_" + key].text = getattr(profile, key)

    def save_profile(self) -> None:
        """Keep the officer's name, 执法证号 and authority (printed on the 现场笔录)."""
        values = {k: self.ids["officer_" + k].text.strip() for k in ("name", "certificate_no", "authority")}
        if not all(values.values()):
            self.profile_message = _t("profile_incomplete")
            return
        OfficerProfile(**values).save(self.presenter.store)
        self.profile_message = _t("profile_saved")
