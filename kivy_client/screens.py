"""Thin Screen classes: they copy presenter state into properties the kv binds to, and
build list rows; every command is a one-line delegation to a presenter."""
from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kivy_client.attention_cards import attention_card, photo_tiles
from kivy_client.presenters import PresenterError, localize
from kivy_client.widgets import OUTCOME_COLOURS, Badge, Body, Card, FlatButton


def _t(key: str) -> str:
    return App.get_running_app().t(key)


def _lang() -> str:
    return App.get_running_app().lang


class HomeScreen(Screen):
    """首页: sync status, the big sync button, progress, outbox counts, attention list."""

    presenter = ObjectProperty(None)
    status_text = StringProperty("")
    progress_text = StringProperty("")
    progress = NumericProperty(0)
    busy = BooleanProperty(False)
    pending = NumericProperty(0)
    conflicts = NumericProperty(0)
    rejected = NumericProperty(0)
    action_buttons = ObjectProperty(None)   # {(mutation_id, "mine"|"server"|"retry"…): widget}

    def refresh(self) -> None:
        """Copy the SyncPresenter's state into the screen."""
        p = self.presenter
        self.busy = p.state == "syncing"
        self.progress = p.progress
        self.status_text = localize(p.message, _lang()) or _t("sync_idle")
        self.progress_text = (f"{p.stage} {p.done}/{p.done + p.remaining}" if p.done + p.remaining else "")
        if p.last and not self.busy:
            self.progress_text = (f"{_t('last_sync')}: {_t('pulled')} {p.last.pulled} · {_t('pushed')} "
                                  f"{p.last.pushed} · {_t('photos')} {p.last.photos}")
        counts = p.outbox_counts()
        self.pending, self.conflicts, self.rejected = counts["pending"], counts["conflict"], counts["rejected"]
        box = self.ids.attention
        box.clear_widgets()
        self.action_buttons = {}
        items = p.attention()
        if not items:
            box.add_widget(Body(text=_t("nothing_attention"), color=(0.38, 0.42, 0.47, 1)))
        for item in items:
            box.add_widget(attention_card(item, p, self.action_buttons, self._refused))

    def _refused(self, message: str) -> None:
        self.status_text = message


class ScanScreen(Screen):
    """扫码: a code typed or scanned (or read from a photo) → product and its standards."""

    presenter = ObjectProperty(None)

    def look_up(self) -> None:
        """Resolve the text field."""
        self.presenter.scan(self.ids.code.text)

    def load_photo(self) -> None:
        """Decode the photo named in the path field."""
        self.presenter.scan_image(self.ids.photo_path.text.strip())

    def refresh(self) -> None:
        """Show the last answer: product card, standards with badges and key indicators."""
        box = self.ids.results
        box.clear_widgets()
        result = self.presenter.result
        if result is None:
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
            card.add_widget(Body(text=f"{_t('company')}：{product.get('company_name') or '—'}"))
            card.add_widget(Body(text=f"{_t('credit_code')}：{product.get('credit_code') or '—'}    "
                                      f"{_t('gtin')}：{result.gtin}", font_size="16sp",
                                 color=(0.38, 0.42, 0.47, 1)))
            start = FlatButton(text=_t("start_inspection"), size_hint_x=None, width=dp(200))
            start.bind(on_release=lambda *_: App.get_running_app().start_inspection(result))
            card.add_widget(start)
            box.add_widget(card)
        box.add_widget(Body(text=_t("standards"), font_size="20sp", bold=True))
        for view in self.presenter.standards(_lang()):
            box.add_widget(self._standard_card(view))

    @staticmethod
    def _standard_card(view: dict) -> Card:
        card = Card()
        head = BoxLayout(size_hint_y=None, height=dp(36), spacing=dp(12))
        head.add_widget(Badge(text=_t(view.get("status_key") or "") if view.get("status_key") else "?",
                              background=OUTCOME_COLOURS[view["badge"]]))
        head.add_widget(Body(text=f"{view.get('edition') or view['code']}  {view.get('title') or ''}",
                             font_size="20sp", bold=True, size_hint_y=1))
        card.add_widget(head)
        for ind in view.get("key_indicators") or ():
            unit = f" {ind['unit']}" if ind.get("unit") else ""
            text = f"•  {ind['name']}（{ind['clause']}）  {_t('limit')} {ind['limit']}{unit}"
            if ind.get("mark"):       # 待核实: never shown like a confirmed value (scan.kv)
                card.add_widget(Factory.UnverifiedBody(text=f"{text}  【{ind['mark']}】"))
            else:
                card.add_widget(Body(text=text, font_size="17sp"))
        if view.get("chain_lines"):   # the related-standards chain (presenters/standard.py)
            card.add_widget(Factory.ChainTitle(text=view["chain_title"]))
            for line in view["chain_lines"]:
                card.add_widget(Factory.ChainLine(text=line))
        return card


class InspectionScreen(Screen):
    """检查: the form, indicators (key first), value entry and the verdict card."""

    presenter = ObjectProperty(None)
    form_message = StringProperty("")
    form_failed = BooleanProperty(False)
    value_message = StringProperty("")
    selected_text = StringProperty("")
    selected_limit = StringProperty("")
    has_verdict = BooleanProperty(False)
    verdict_title = StringProperty("")
    verdict_steps = StringProperty("")
    verdict_colour = ColorProperty(OUTCOME_COLOURS["inconclusive"])
    photo_message = StringProperty("")
    _FORM = ("company_name", "credit_code", "address", "gtin", "batch", "product_class")

    def save(self) -> None:
        """Create the inspection from the form (errors are shown under it)."""
        self._try(lambda: self.presenter.start(**{k: self.ids[k].text for k in self._FORM}), form=True)

    def judge(self) -> None:
        """Record the measured value of the selected indicator and show the verdict."""
        self._try(lambda: self.presenter.record(self.ids.measured.text, self.ids.unit.text or None))

    def correct(self) -> None:
        """Correct the chosen finding with the value in the field (a new revision)."""
        self._try(lambda: self.presenter.correct(self.ids.measured.text, self.ids.unit.text or None))

    def ask(self) -> None:
        """Queue the question about the selected indicator's clause."""
        if self._try(lambda: self.presenter.ask(self.ids.question.text)):
            self.ids.question.text = ""

    def take_photo(self) -> None:
        """拍照/添加照片: the typed path, else the newest image of the camera folder."""
        try:
            self.presenter.take_photo(self.ids.photo_path.text)
        except PresenterError as exc:
            self.photo_message = localize(exc.message, _lang())
            return
        self.photo_message, self.ids.photo_path.text = "", ""

    def _try(self, command, form: bool = False) -> bool:
        try:
            command()
        except PresenterError as exc:
            if form:
                self.form_message, self.form_failed = localize(exc.message, _lang()), True
            else:
                self.value_message = localize(exc.message, _lang())
            return False
        if form:
            self.form_message, self.form_failed = _t("saved_inspection"), False
        self.value_message = ""
        return True

    def fill_form(self) -> None:
        """Copy the presenter's form (prefilled from a scan) into the fields."""
        for key in self._FORM:
            self.ids[key].text = self.presenter.form.get(key, "")

    def refresh(self) -> None:
        """Show the indicator list, the selected indicator and the last verdict."""
        p = self.presenter
        box = self.ids.indicators
        box.clear_widgets()
        if not p.indicators:
            box.add_widget(Body(text=_t("no_indicator"), color=(0.38, 0.42, 0.47, 1)))
        english = App.get_running_app().lang == "en"
        for row in p.indicators:
            name = (row.name_en or row.name) if english else row.name
            unit = f" {row.unit}" if row.unit else ""
            button = FlatButton(text=f"{'★ ' if row.key else ''}{name}\n[size=15sp][color=5f6b78]"
                                     f"{_t('limit')} {row.limit}{unit}[/color][/size]", markup=True,
                                selected=p.selected is not None and p.selected.id == row.id,
                                halign="left", valign="middle", padding=(dp(12), dp(8)))
            button.bind(width=lambda b, w: setattr(b, "text_size", (w - dp(24), None)),
                        texture_size=lambda b, s: setattr(b, "height", max(dp(56), s[1] + dp(16))))
            button.bind(on_release=lambda _b, ident=row.id: self.choose(ident))
            box.add_widget(button)
        if p.selected:
            sel = p.selected
            self.selected_text = (sel.name_en or sel.name) if english else sel.name
            self.selected_limit = (f"{sel.edition_id} 第{sel.clause}条 · {_t('limit')} {sel.limit}"
                                   f"{' ' + sel.unit if sel.unit else ''}")
        else:
            self.selected_text, self.selected_limit = _t("indicators"), _t("no_indicator")
        last = p.last
        self.has_verdict = last is not None
        if last:
            self.verdict_colour = OUTCOME_COLOURS.get(last.outcome, OUTCOME_COLOURS["inconclusive"])
            self.verdict_title = f"{_t(last.outcome)}  ·  {last.measured}{' ' + last.unit if last.unit else ''}"
            lines = [f"{i}. {step}" for i, step in enumerate(last.steps, 1)]
            if last.reason:
                lines.append(last.reason)
            lines.append(f"rev {last.revision}")
            self.verdict_steps = "\n".join(lines)
        photo_tiles(self.ids.photos, p.photos(), _lang(), _t("no_photos"))

    def choose(self, indicator_id: str) -> None:
        """Select an indicator and offer its units."""
        row = self.presenter.select(indicator_id)
        self.ids.unit.values = list(row.units)
        self.ids.unit.text = row.unit or ""


class SettingsScreen(Screen):
    """设置: enrolment (the QR payload) and the language."""

    presenter = ObjectProperty(None)
    enrol_state = StringProperty("")
    message = StringProperty("")
    busy = BooleanProperty(False)
    failed = BooleanProperty(False)

    def refresh(self) -> None:
        """Copy the EnrolPresenter's state into the screen."""
        p = self.presenter
        enrolled = p.enrolled
        self.enrol_state = (f"{_t('enrolled_as')}：{enrolled['user']} @ {enrolled['server_url']}" if enrolled
                            else _t("not_enrolled"))
        self.message, self.busy, self.failed = localize(p.message, _lang()), p.state == "working", p.state == "error"
