"""检查: the form (with time and place), the indicators (key first) and the findings, the
entry card whose input fits the chosen indicator (a numeric keypad and the unit, or a pick
list of the limit's own words, or the grey-scale grades), the question asked when the same
indicator and sample is judged again, the verdict card, evidence (note, photos) and a
question about the clause. Commands are one-line delegations to InspectionPresenter."""
from __future__ import annotations

from kivy.app import App
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

from kivy_client.attention_cards import photo_tiles
from kivy_client.presenters import PresenterError, localize
from kivy_client.widgets import OUTCOME_COLOURS, Badge, Body, FlatButton

MUTED = (0.38, 0.42, 0.47, 1)
NUMBER_CHARS = set("0123456789.<-+()（）−")


def _t(key: str) -> str:
    return App.get_running_app().t(key)


def _lang() -> str:
    return App.get_running_app().lang


def number_filter(text: str, _from_undo: bool) -> str:
    """Keep what a measured value may hold (digits, ".", "<", signs, "(+)")."""
    return "".join(ch for ch in text if ch in NUMBER_CHARS)


class InspectionScreen(Screen):
    """The screen's state mirrors InspectionPresenter; `choice_buttons`, `finding_buttons`
    and `indicator_buttons` map ids/texts to their widgets (tests tap them)."""

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
    capture = ObjectProperty(None, allownone=True)     # PhotoCapture: 拍照 off the UI thread
    camera_on = BooleanProperty(False)
    photo_busy = BooleanProperty(False)
    photo_failed = BooleanProperty(False)
    photo_progress = NumericProperty(0)
    question_message = StringProperty("")
    position_text = StringProperty("")
    input_kind = StringProperty("number")
    entry_hint = StringProperty("")
    has_claims = BooleanProperty(False)
    duplicate_text = StringProperty("")
    next_sample_label = StringProperty("")
    correct_label = StringProperty("")
    evidence_text = StringProperty("")
    findings_count = StringProperty("")
    locked = BooleanProperty(False)
    open = BooleanProperty(False)
    has_company = BooleanProperty(False)
    number_filter = ObjectProperty(number_filter)
    choice_buttons = ObjectProperty(None)
    finding_buttons = ObjectProperty(None)
    indicator_buttons = ObjectProperty(None)
    picked = StringProperty("")
    _FORM = ("company_name", "credit_code", "address", "site", "gtin", "batch", "product_class")

    # ---- commands -------------------------------------------------------------------

    def save(self) -> None:
        """Save the form: create the inspection, or edit the open one."""
        self._try(lambda: self.presenter.start(**{k: self.ids[k].text for k in self._FORM}), form=True)

    def _value(self) -> str:
        return self.ids.measured.text if self.input_kind == "number" else self.picked

    def judge(self) -> None:
        """Record the entered or picked value of the selected indicator."""
        claimed = self.ids.claimed.text if self.has_claims else None
        self._try(lambda: self.presenter.record(self._value(), self.ids.unit.text or None, claimed_grade=claimed))

    def correct(self) -> None:
        """Correct the chosen finding with the value entered (a new revision)."""
        claimed = self.ids.claimed.text if self.has_claims else None
        self._try(lambda: self.presenter.correct(self._value(), self.ids.unit.text or None, claimed_grade=claimed))

    def resolve_duplicate(self, choice: str) -> None:
        """Answer "correct it, or a second sample?"."""
        self._try(lambda: self.presenter.resolve_duplicate(choice))

    def save_note(self) -> None:
        """Write the note of the chosen finding."""
        if self._try(lambda: self.presenter.add_note(self.ids.note.text)):
            self.ids.note.text = ""

    def delete_draft(self) -> None:
        """Delete the open draft (only when it never left the tablet)."""
        if self._try(lambda: self.presenter.delete_draft(), form=True):
            self.fill_form()
            self.form_message = localize(self.presenter.message, _lang())

    def ask(self) -> None:
        """Queue the question about the selected indicator's clause; say so on the screen."""
        if self._try(lambda: self.presenter.ask(self.ids.question.text)):
            self.ids.question.text = ""
            self.question_message = localize(self.presenter.message, _lang())

    def take_photo(self) -> None:
        """添加照片文件 (the fallback): the typed path, else the newest image of the camera
        folder, watermarked on the worker (`capture`, a PhotoCapture)."""
        self.capture.attach_file(self.ids.photo_path.text)
        if self.capture.state != "error":
            self.ids.photo_path.text = ""

    def camera_photo(self) -> None:
        """拍照: the camera's picture in the evidence card; tapped again (拍摄), the still."""
        self.capture.shoot()

    def show_capture(self) -> None:
        """Copy PhotoCapture's state (camera on, stage, progress) into the evidence card."""
        c = self.capture
        self.ids.photo_preview.scanner = c
        self.ids.photo_preview.watch(c.viewing)
        self.camera_on, self.photo_busy, self.photo_progress = c.viewing, c.busy, c.progress
        self.photo_failed = c.state == "error"
        self.photo_message = localize(c.message, _lang())

    def on_leave(self, *_args) -> None:
        """The camera is off whenever the inspection screen is not shown."""
        if self.capture is not None:
            self.capture.stop()

    def choose(self, indicator_id: str) -> None:
        """Select an indicator: its input, units and pick list."""
        row = self.presenter.select(indicator_id)
        self.ids.unit.values = list(row.units)
        self.ids.unit.text = row.unit or ""
        self.ids.claimed.values = list(row.claims)
        self.ids.claimed.text = ""
        self.ids.measured.text = ""
        self.picked, self.value_message = "", ""

    def choose_finding(self, finding_id: str) -> None:
        """Choose the finding a correction goes to."""
        view = self.presenter.choose_finding(finding_id)
        if self.presenter.selected is not None:
            self.ids.unit.values = list(self.presenter.selected.units)
            self.ids.unit.text = view.unit or self.presenter.selected.unit or ""

    def pick(self, text: str) -> None:
        """Pick an answer of the pick list."""
        self.picked = text
        for value, button in (self.choice_buttons or {}).items():
            button.selected = value == text

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
        """Copy the presenter's form (prefilled from a scan, or a loaded inspection) into the fields."""
        for key in self._FORM:
            self.ids[key].text = self.presenter.form.get(key, "")

    # ---- showing the presenter ------------------------------------------------------

    def refresh(self) -> None:
        """Show the indicators, findings, the entry for the selected indicator, the verdict."""
        p = self.presenter
        self.locked, self.open = p.locked, p.inspection_id is not None
        self.has_company = bool(p.form.get("credit_code"))
        self.position_text = f"{_t('position')}：{localize(p.position_text(), _lang())}"
        self._indicators(p)
        self._findings(p)
        self._entry(p)
        self._verdict(p)
        photo_tiles(self.ids.photos, p.photos(), _lang(), _t("no_photos"))

    def _indicators(self, p) -> None:
        box = self.ids.indicators
        box.clear_widgets()
        self.indicator_buttons = {}
        if not p.indicators:
            box.add_widget(Body(text=_t("no_indicator"), color=MUTED))
        english = _lang() == "en"
        done = {f.indicator_id for f in p.findings.values()}
        for row in p.indicators:
            name = (row.name_en or row.name) if english else row.name
            unit = f" {row.unit}" if row.unit else ""
            mark = "✓ " if row.id in done else ""
            button = FlatButton(text=f"{mark}{'★ ' if row.key else ''}{name}\n[size=15sp][color=5f6b78]"
                                     f"{_t('limit')} {row.limit}{unit}{'  ' + _t('unverified') if row.unverified else ''}"
                                     f"[/color][/size]", markup=True,
                                selected=p.selected is not None and p.selected.id == row.id,
                                halign="left", valign="middle", padding=(dp(12), dp(6)))
            button.bind(width=lambda b, w: setattr(b, "text_size", (w - dp(24), None)),
                        texture_size=lambda b, s: setattr(b, "height", max(dp(56), s[1] + dp(12))))
            button.bind(on_release=lambda _b, ident=row.id: self.choose(ident))
            self.indicator_buttons[row.id] = button
            box.add_widget(button)

    def _findings(self, p) -> None:
        box = self.ids.findings
        box.clear_widgets()
        self.finding_buttons = {}
        ordered = p.ordered_findings()
        self.findings_count = f"({len(ordered)})" if ordered else ""
        if not ordered:
            box.add_widget(Body(text=_t("no_findings"), color=MUTED, font_size="16sp"))
        names = {r.id: r.name for r in p.indicators}
        for view in ordered:
            row = BoxLayout(size_hint_y=None, height=dp(56), spacing=dp(8))
            row.add_widget(Badge(text=_t(view.outcome), background=OUTCOME_COLOURS.get(view.outcome)))
            older = "  ".join(f"[s]rev{r.revision} {r.measured}[/s]" for r in view.superseded)
            text = (f"{names.get(view.indicator_id, view.indicator_id)} · {_t('sample')}{view.sample}  "
                    f"{view.measured}{' ' + view.unit if view.unit else ''}  rev{view.revision}"
                    f"{'  ' + older if older else ''}")
            button = FlatButton(text=text, markup=True, selected=p.chosen is not None and p.chosen.id == view.id,
                                halign="left", valign="middle", padding=(dp(10), dp(4)), height=dp(56))
            button.bind(width=lambda b, w: setattr(b, "text_size", (w - dp(20), None)))
            button.bind(on_release=lambda _b, ident=view.id: self.choose_finding(ident))
            self.finding_buttons[view.id] = button
            row.add_widget(button)
            box.add_widget(row)

    def _entry(self, p) -> None:
        sel = p.selected
        english = _lang() == "en"
        grid = self.ids.choices
        grid.clear_widgets()
        self.choice_buttons = {}
        if sel is None:
            self.selected_text, self.selected_limit = _t("indicators"), _t("no_indicator")
            self.input_kind, self.has_claims, self.entry_hint = "number", False, _t("measured")
        else:
            self.selected_text = (sel.name_en or sel.name) if english else sel.name
            self.selected_limit = (f"{sel.edition_id} 第{sel.clause}条 · {_t('limit')} {sel.limit}"
                                   f"{' ' + sel.unit if sel.unit else ''}")
            self.input_kind = "number" if sel.input == "number" else "choice"
            self.has_claims = bool(sel.claims)
            self.entry_hint = localize(sel.entry.hint, _lang()) if sel.entry else _t("measured")
            if sel.input != "number":
                grid.cols = 3 if len(sel.choices) > 4 else 2
                for text in sel.choices:
                    button = FlatButton(text=text, font_size="22sp", height=dp(60), selected=text == self.picked)
                    button.bind(on_release=lambda _b, value=text: self.pick(value))
                    self.choice_buttons[text] = button
                    grid.add_widget(button)
        prompt = p.duplicate
        self.duplicate_text = localize(prompt.question(p.findings.get(prompt.finding_id)), _lang()) if prompt else ""
        self.next_sample_label = f"{_t('as_sample')}{prompt.next_sample}" if prompt else ""
        chosen = p.chosen
        self.correct_label = (f"{_t('correct')} {_t('sample')}{chosen.sample} rev{chosen.revision}" if chosen
                              else _t("correct"))

    def _verdict(self, p) -> None:
        last = p.chosen
        self.has_verdict = last is not None
        self.evidence_text = ""
        if not last:
            return
        self.verdict_colour = OUTCOME_COLOURS.get(last.outcome, OUTCOME_COLOURS["inconclusive"])
        self.verdict_title = (f"{_t(last.outcome)}  ·  {last.measured}{' ' + last.unit if last.unit else ''}"
                              f"  ·  {_t('sample')}{last.sample}")
        steps = [text for text in (localize(step, _lang()).strip() for step in last.steps) if text]
        # a no-break space keeps the number with its step: Kivy wraps at spaces only, and a
        # long Chinese step would leave "4." alone on its line
        lines = [f"{i}.\u00a0{text}" for i, text in enumerate(steps, 1)]
        if last.reason:
            lines.append(localize(last.reason, _lang()))
        superseded = "；".join(f"rev{r.revision} {r.measured}（{_t(r.outcome)}）" for r in last.superseded)
        lines.append(f"rev {last.revision}" + (f" · {_t('supersedes')} {superseded}" if superseded else ""))
        if last.note:
            lines.append(f"{_t('note')}：{last.note}")
        self.verdict_steps = "\n".join(lines)
        if last.outcome == "fail":
            needs = [_t(k) for k, ok in (("photo_needed", last.photos), ("note_needed", last.note)) if not ok]
            self.evidence_text = "、".join(needs)
