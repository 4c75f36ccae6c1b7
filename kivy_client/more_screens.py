"""提问 (my questions: sent, answered, the answer and any interpretation it produced) and
回头看 (the enterprise's earlier inspections at this site): read-only lists over their
presenters."""
from __future__ import annotations

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kivy_client.widgets import OUTCOME_COLOURS, Badge, Body, Card, FlatButton

MUTED = (0.38, 0.42, 0.47, 1)
QUESTION_COLOURS = {"queued_on_device": (0.36, 0.41, 0.46, 1), "sent": (0.08, 0.40, 0.75, 1),
                    "matched": OUTCOME_COLOURS["inconclusive"], "answered": OUTCOME_COLOURS["pass"]}


def _app():
    return App.get_running_app()


class QuestionsScreen(Screen):
    """我的提问, or the questions about one clause (`clause`: (edition_id, clause))."""

    presenter = ObjectProperty(None)
    clause = ObjectProperty(None, allownone=True)
    clause_label = StringProperty("")

    def on_pre_enter(self, *_args) -> None:
        """Re-read the store each time the screen is shown."""
        self.refresh()

    def show_all(self) -> None:
        """Drop the clause filter."""
        self.clause = None
        self.refresh()

    def refresh(self) -> None:
        """One card per question: status, clause, text, answers, interpretations."""
        app = _app()
        lang, t = app.lang, app.t
        edition, clause = self.clause or (None, None)
        self.clause_label = f"{edition} 第{clause}条" if edition else ""
        box = self.ids.rows
        box.clear_widgets()
        rows = self.presenter.rows(edition_id=edition, clause=clause)
        if not rows:
            box.add_widget(Body(text=t("no_questions"), color=MUTED))
        for row in rows:
            card = Card(background=(0.95, 0.99, 0.95, 1) if row.unread else (1, 1, 1, 1))
            head = BoxLayout(size_hint_y=None, height=dp(52), spacing=dp(12))
            head.add_widget(Badge(text=row.status_label(lang), background=QUESTION_COLOURS.get(row.status)))
            head.add_widget(Body(text=row.where or t("no_clause"), font_size="16sp", color=MUTED, size_hint_y=1))
            card.add_widget(head)
            card.add_widget(Body(text=row.text, font_size="19sp"))
            for answer in row.answers:
                card.add_widget(Body(text=f"{t('answer')}（{answer.expert}）：{answer.text}", font_size="17sp",
                                     color=(0.10, 0.40, 0.20, 1)))
                if answer.interpretation is not None:
                    card.add_widget(Body(text=f"{t('interpretation')} {answer.interpretation.title}",
                                         font_size="16sp", color=MUTED))
            for item in (*row.produced, *row.suggestions):
                card.add_widget(Body(text=f"{t('interpretation')}：{item.title} {item.clause}\n{item.text[:160]}",
                                     font_size="16sp", color=MUTED))
            if row.unread:
                read = FlatButton(text=t("mark_read"), size_hint_x=None, width=dp(160))
                read.bind(on_release=lambda _b, ident=row.id: self.presenter.mark_read(ident))
                card.add_widget(read)
            box.add_widget(card)


class HistoryScreen(Screen):
    """回头看 for the enterprise of the open inspection."""

    presenter = ObjectProperty(None)
    company = StringProperty("")
    summary = StringProperty("")

    def refresh(self) -> None:
        """One card per earlier inspection: date, status, what failed and its follow-up, orders."""
        app = _app()
        lang, t = app.lang, app.t
        p = self.presenter
        self.company = p.company or p.credit_code
        fails = sum(len(i.fails) for i in p.inspections)
        self.summary = (t("history_summary").format(n=len(p.inspections), fails=fails) if p.inspections
                        else t("no_history"))
        box = self.ids.rows
        box.clear_widgets()
        for past in p.inspections:
            card = Card()
            head = BoxLayout(size_hint_y=None, height=dp(52), spacing=dp(12))
            head.add_widget(Badge(text=past.status_label(lang) or "—",
                                  background=OUTCOME_COLOURS["fail"] if past.fails else OUTCOME_COLOURS["pass"]))
            who = t("mine") if past.mine else past.inspector
            head.add_widget(Body(text=f"{past.inspected_on}  ·  {who}", font_size="19sp", bold=True, size_hint_y=1))
            card.add_widget(head)
            for finding in past.findings:
                colour = OUTCOME_COLOURS["fail"] if finding.outcome == "fail" else (0.13, 0.15, 0.18, 1)
                follow = f"  →  {finding.follow_up_label(lang)}" if finding.follow_up else ""
                card.add_widget(Body(text=f"{t(finding.outcome)} · {finding.name} {finding.measured}"
                                          f"{' ' + finding.unit if finding.unit else ''}{follow}",
                                     font_size="16sp", color=colour))
            for order in past.orders:
                card.add_widget(Body(text=f"{t('order')}：{order.get('text')}（{order.get('deadline') or '—'}）",
                                     font_size="16sp", color=OUTCOME_COLOURS["inconclusive"]))
            box.add_widget(card)
