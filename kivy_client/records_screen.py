"""记录: this device's inspections, newest first, with status, findings, fails and the
disagreement flag; opening one loads it into the Inspection screen for correction."""
from __future__ import annotations

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import ObjectProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kivy_client.widgets import OUTCOME_COLOURS, Badge, Body, Card, FlatButton

STATUS_COLOURS = {"draft": (0.36, 0.41, 0.46, 1), "submitted": (0.08, 0.40, 0.75, 1),
                  "resubmitted": (0.08, 0.40, 0.75, 1), "returned": OUTCOME_COLOURS["inconclusive"],
                  "approved": OUTCOME_COLOURS["pass"], "rejected": OUTCOME_COLOURS["fail"]}


class RecordsScreen(Screen):
    """The list; `open_buttons[inspection_id]` is each row's 打开 button (tests)."""

    presenter = ObjectProperty(None)
    open_buttons = ObjectProperty(None)     # {inspection_id: its 打开 button}, set by refresh

    def on_pre_enter(self, *_args) -> None:
        """Re-read the store each time the screen is shown."""
        self.refresh()

    def refresh(self) -> None:
        """Build one card per inspection."""
        app = App.get_running_app()
        lang, t = app.lang, app.t
        box = self.ids.rows
        box.clear_widgets()
        self.open_buttons = {}
        rows = self.presenter.rows()
        if not rows:
            box.add_widget(Body(text=t("no_records"), color=(0.38, 0.42, 0.47, 1)))
        for row in rows:
            card = Card()
            head = BoxLayout(size_hint_y=None, height=dp(52), spacing=dp(12))
            head.add_widget(Badge(text=row.status_label(lang), background=STATUS_COLOURS.get(row.status)))
            head.add_widget(Body(text=f"{row.company or '—'}  {row.product}", font_size="20sp", bold=True,
                                 size_hint_y=1, shorten=True, shorten_from="right"))
            button = FlatButton(text=t("open_correct" if row.status == "returned" else "open_record"),
                                size_hint_x=None, width=dp(160), height=dp(52))
            button.bind(on_release=lambda _b, ident=row.id: app.open_record(ident))
            head.add_widget(button)
            self.open_buttons[row.id] = button
            card.add_widget(head)
            facts = [row.inspected_on, f"{t('findings_n')} {row.findings}", f"{t('fails_n')} {row.fails}"]
            if row.pending:
                facts.append(f"{t('waiting_n')} {row.pending}")
            if row.disagreement:
                facts.append(f"！{t('disagreement')}")
            card.add_widget(Body(text="  ·  ".join(facts), font_size="16sp",
                                 color=OUTCOME_COLOURS["fail"] if row.fails else (0.38, 0.42, 0.47, 1)))
            if row.review_comment:
                card.add_widget(Body(text=f"{t('review_comment')}：{row.review_comment}", font_size="16sp"))
            box.add_widget(card)
