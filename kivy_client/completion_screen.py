"""完成检查: what is missing, the summary, legal-label warnings, the party's details and
the 现场情况, the 现场笔录 as it prints (page by page, and full-width for the party to
read), a signature box per signer drawn with a finger, the party's refusal with a witness
or a photo, then 完成检查 (locked; the signed PDF kept). Delegates to CompletionPresenter."""
from __future__ import annotations

from datetime import date

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput

from kivy_client.presenters import PresenterError, localize
from kivy_client.presenters.completion import OfficerEntry
from kivy_client.presenters.onsite import PartyDetails
from kivy_client.widgets import OUTCOME_COLOURS, BigButton, Body, Card, FlatButton

MUTED = (0.38, 0.42, 0.47, 1)


def _t(key: str) -> str:
    return App.get_running_app().t(key)


def _lang() -> str:
    return App.get_running_app().lang


class SignatureSlot(BoxLayout):
    """One signer's box: draw, clear, confirm (→ CompletionPresenter.sign(slot, strokes))."""

    slot = StringProperty("")
    label = StringProperty("")
    signed = BooleanProperty(False)
    screen = ObjectProperty(None)
    #: the PNG of the signature taken, shown in the box once the inspection is completed
    image = StringProperty("")

    def confirm(self) -> None:
        """Hand the drawn strokes to the presenter."""
        self.screen.sign(self.slot, [list(s) for s in self.ids.pad.strokes])


class CompleteScreen(Screen):
    """`slots` maps a signature slot to its SignatureSlot; `refuse_button`, `finish_button`
    and `reader` are kept for tests."""

    presenter = ObjectProperty(None)
    message = StringProperty("")
    failed = BooleanProperty(False)
    blocked = BooleanProperty(True)
    labels_text = StringProperty("")
    page_source = StringProperty("")
    page_label = StringProperty("")
    page_index = NumericProperty(0)
    sampling = BooleanProperty(False)
    #: completed: the record is locked, 更新现场笔录 and the signature boxes are disabled
    locked = BooleanProperty(False)
    slots = ObjectProperty(None)
    finish_button = ObjectProperty(None, allownone=True)
    refuse_button = ObjectProperty(None, allownone=True)
    witness_name = ObjectProperty(None, allownone=True)
    reader = ObjectProperty(None, allownone=True)

    # ---- commands -------------------------------------------------------------------

    def fill(self) -> None:
        """Copy what the presenter read back into the fields (after begin)."""
        p = self.presenter
        for key in ("legal_representative", "on_site_person", "on_site_role", "phone"):
            self.ids[key].text = getattr(p.party, key)
        self.ids.opinion.text = p.party.opinion
        data = p.store.records.get("inspection", p.inspection_id)["data"] if p.inspection_id else {}
        self.ids.situation.text = data.get("note") or ""
        order = (p.orders or [{}])[0]
        self.ids.order_text.text = str(order.get("text") or "")
        self.ids.order_deadline.text = str(order.get("deadline") or "")
        second = p.officers[0] if p.officers else OfficerEntry("", "")
        self.ids.officer2_name.text, self.ids.officer2_number.text = second.name, second.certificate_no

    def update(self) -> None:
        """Write the party's details, 现场情况, order, officers into the record and lay it out again."""
        deadline = self.ids.order_deadline.text.strip()
        if deadline:
            try:
                date.fromisoformat(deadline)
            except ValueError:
                self._say(_t("bad_deadline"), failed=True)
                return
        orders = ([{"text": self.ids.order_text.text.strip(), **({"deadline": deadline} if deadline else {})}]
                  if self.ids.order_text.text.strip() else [])
        party = PartyDetails(*(self.ids[k].text for k in ("legal_representative", "on_site_person",
                                                            "on_site_role", "phone")), address="",
                             opinion=self.ids.opinion.text)
        officers = [OfficerEntry(self.ids.officer2_name.text, self.ids.officer2_number.text)]
        self._run(lambda: self.presenter.update(party=party, officers=officers, situation=self.ids.situation.text,
                                                orders=orders, sampling=self.sampling))

    def toggle_sampling(self) -> None:
        """抽样: two officers sign."""
        self.sampling = not self.sampling

    def sign(self, slot: str, strokes) -> None:
        """Keep a drawn signature."""
        self._run(lambda: self.presenter.sign(slot, strokes))

    def refuse(self) -> None:
        """The party refuses to sign: a witness signs (name typed) or a photo is taken."""
        name = self.witness_name.text if self.witness_name else ""
        self._run(lambda: self.presenter.refuse(witness_name=name))

    def finish(self) -> None:
        """完成检查: lock and keep the signed 现场笔录."""
        self._run(lambda: self.presenter.finish())
        if self.presenter.state == "done":
            App.get_running_app().completed()

    def turn(self, step: int) -> None:
        """Show the previous/next page of the preview."""
        pages = self.presenter.pages
        if pages:
            self.page_index = max(0, min(len(pages) - 1, self.page_index + step))
            self._page()

    def read(self) -> None:
        """Open every page full-width for the party to read (scroll; tap 关闭)."""
        pages = self.presenter.pages
        if not pages:
            return
        view = ModalView(size_hint=(0.96, 0.96), auto_dismiss=True)
        outer = BoxLayout(orientation="vertical", spacing=dp(6), padding=dp(6))
        scroll = ScrollView(do_scroll_x=False)
        column = BoxLayout(orientation="vertical", size_hint_y=None, spacing=dp(8))
        column.bind(minimum_height=column.setter("height"))
        for path in pages:
            image = Image(source=str(path), size_hint_y=None, fit_mode="contain")
            image.bind(width=lambda img, w: setattr(img, "height", w * 1.414))
            column.add_widget(image)
        scroll.add_widget(column)
        close = BigButton(text=_t("close"))
        close.bind(on_release=lambda *_: view.dismiss())
        outer.add_widget(scroll)
        outer.add_widget(close)
        view.add_widget(outer)
        view.open()
        self.reader = view

    def _run(self, command) -> None:
        try:
            command()
        except PresenterError as exc:
            self._say(localize(exc.message, _lang()), failed=True)
            return
        self._say(localize(self.presenter.message, _lang()), failed=False)

    def _say(self, text: str, *, failed: bool) -> None:
        self.message, self.failed = text, failed

    # ---- showing the presenter ------------------------------------------------------

    def refresh(self) -> None:
        """Show problems, summary, labels, the preview and the signature boxes."""
        p = self.presenter
        self.sampling = p.sampling
        self.locked = p.state == "done"
        missing = p.missing() if p.summary else ()
        self.blocked = bool(missing) or p.state != "ready"
        box = self.ids.problems
        box.clear_widgets()
        for problem in missing:
            box.add_widget(Body(text=f"• {localize(problem.message, _lang())}", font_size="16sp",
                                color=OUTCOME_COLOURS["fail"]))
        if p.summary and not missing:
            box.add_widget(Body(text=_t("ready_to_complete"), color=OUTCOME_COLOURS["pass"]))
        if p.state == "done":
            box.clear_widgets()
            box.add_widget(Body(text=_t("completed_locked"), color=OUTCOME_COLOURS["pass"], bold=True))
        self._summary(p)
        self.labels_text = "\n".join(f"！{_t('legal_label')}“{h.word}”：{h.context}（{h.reason}）" for h in p.labels)
        self.page_index = min(self.page_index, max(len(p.pages) - 1, 0))
        self._page()
        self._signatures(p)

    def _summary(self, p) -> None:
        box = self.ids.summary
        box.clear_widgets()
        if p.summary is None:
            return
        names = {r.id: r.name for r in p.inspection.indicators}
        for line in p.summary.findings:
            missing = f"  ！{_t('missing')}：{'、'.join(_t(m + '_needed') for m in line.missing)}" if line.missing else ""
            box.add_widget(Body(text=f"{_t(line.outcome)} · {names.get(line.indicator_id, line.indicator_id)} "
                                     f"（{_t('sample')}{line.sample}）{line.measured}{' ' + line.unit if line.unit else ''}"
                                     f"{missing}", font_size="16sp",
                                color=OUTCOME_COLOURS["fail"] if line.outcome == "fail" else (0.13, 0.15, 0.18, 1)))
        box.add_widget(Body(text=f"{_t('record_hash')} {p.summary.record_hash[:16]}…", font_size="14sp", color=MUTED))

    def _page(self) -> None:
        pages = self.presenter.pages
        self.page_source = str(pages[self.page_index]) if pages else ""
        self.page_label = f"{self.page_index + 1}/{len(pages)}" if pages else ""
        if pages:
            self.ids.page.reload()

    def _signatures(self, p) -> None:
        box = self.ids.signatures
        box.clear_widgets()
        self.slots, self.finish_button, self.refuse_button = {}, None, None
        if p.summary is None:
            return
        done = p.state == "done"
        for slot, label in p.slots():
            taken = p.signatures.get(slot)
            image = str(taken.image) if done and taken is not None and taken.image else ""
            # a box showing its signature stays enabled (legible); its pad and buttons are hidden
            widget = SignatureSlot(slot=slot, label=label, screen=self, signed=taken is not None,
                                   disabled=done and not image, image=image)
            self.slots[slot] = widget
            box.add_widget(widget)
        party = p.signatures.get("party")
        refusal = Card(background=(1, 1, 1, 1))
        refusal.add_widget(Body(text=_t("refusal"), bold=True))
        self.witness_name = TextInput(hint_text=_t("witness_name"), disabled=done)
        refusal.add_widget(self.witness_name)
        self.refuse_button = FlatButton(text=_t("party_refuses"), disabled=done)
        self.refuse_button.bind(on_release=lambda *_: self.refuse())
        refusal.add_widget(self.refuse_button)
        if party is not None and party.refused:
            refusal.add_widget(Body(text=_t("refused_recorded"), font_size="16sp", color=OUTCOME_COLOURS["inconclusive"]))
            witness = SignatureSlot(slot="witness", label=f"{_t('witness')} {party.witness_name or ''}", screen=self,
                                    signed=party.witness_image is not None,
                                    disabled=done and not (party.witness_image is not None),
                                    image=str(party.witness_image) if done and party.witness_image else "")
            self.slots["witness"] = witness
            refusal.add_widget(witness)
        box.add_widget(refusal)
        self.finish_button = BigButton(text=_t("complete_inspection"), tint=(0.09, 0.45, 0.19, 1),
                                       disabled=done or self.blocked, height=dp(64))
        self.finish_button.bind(on_release=lambda *_: self.finish())
        box.add_widget(self.finish_button)
