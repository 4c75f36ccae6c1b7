"""The Home screen's attention cards: a conflict shows the officer's version beside the
server's with 保留我的 / 采用服务器; a rejection shows the server's reason with a field,
a new value and 修改后重试. Every button is a one-line delegation to SyncPresenter."""
from __future__ import annotations

from kivy.app import App
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.spinner import Spinner
from kivy.uix.textinput import TextInput

from kivy_client.presenters import PresenterError, localize
from kivy_client.presenters.attention import Attention
from kivy_client.presenters.tasks import OrderRow, TaskRow
from kivy_client.widgets import OUTCOME_COLOURS, BigButton, Body, Card, FlatButton

MUTED = (0.38, 0.42, 0.47, 1)


def _t(key: str) -> str:
    return App.get_running_app().t(key)


def _field(name: str) -> str:
    text = _t("photos_field" if name == "photos" else name)
    return text if text != name else name


def attention_card(item: Attention, presenter, buttons: dict, on_error) -> Card:
    """Return the card of one conflict/rejection; its buttons are stored in `buttons`
    under (mutation_id, "mine" | "server" | "retry"); `on_error(message)` shows a refusal."""
    lang = App.get_running_app().lang
    conflict = item.kind == "conflict"
    card = Card(background=(1, 0.97, 0.92, 1) if conflict else (1, 0.94, 0.94, 1))
    card.add_widget(Body(text=f"{_t('conflicts' if conflict else 'rejected')} · {_t('entity_' + item.entity)} "
                              f"{item.record_id[:8]}", bold=True))
    card.add_widget(Body(text=localize(item.reason, lang), font_size="16sp", color=MUTED))

    def run(command):
        try:
            command()
        except PresenterError as exc:
            on_error(localize(exc.message, lang))

    if conflict:
        grid = GridLayout(cols=3, size_hint_y=None, spacing=(dp(12), dp(6)))
        grid.bind(minimum_height=grid.setter("height"))
        for text, bold in ((_t("field"), True), (_t("my_version"), True), (_t("server_version"), True)):
            grid.add_widget(Body(text=text, bold=bold, font_size="16sp", color=MUTED))
        for name, mine, theirs in item.differences():
            grid.add_widget(Body(text=_field(name), font_size="17sp"))
            grid.add_widget(Body(text=mine, font_size="17sp", color=(0.08, 0.40, 0.75, 1)))
            grid.add_widget(Body(text=theirs, font_size="17sp", color=(0.55, 0.35, 0.05, 1)))
        card.add_widget(grid)
        row = BoxLayout(size_hint_y=None, height=dp(56), spacing=dp(12))
        keep = BigButton(text=_t("keep_mine"), size_hint_x=None, width=dp(200))
        take = FlatButton(text=_t("take_server"), size_hint=(None, None), width=dp(200), height=dp(56))
        keep.bind(on_release=lambda *_: run(lambda: presenter.resolve(item.mutation_id, "mine")))
        take.bind(on_release=lambda *_: run(lambda: presenter.resolve(item.mutation_id, "server")))
        row.add_widget(keep)
        row.add_widget(take)
        row.add_widget(BoxLayout())
        buttons[(item.mutation_id, "mine")], buttons[(item.mutation_id, "server")] = keep, take
        card.add_widget(row)
    elif item.retry_fields():
        row = BoxLayout(size_hint_y=None, height=dp(56), spacing=dp(12))
        suggested = item.suggested_field()
        field = Spinner(text=suggested, values=list(item.retry_fields()), size_hint_x=None, width=dp(180),
                        background_normal="", background_color=(0.93, 0.95, 0.98, 1), color=(0.08, 0.40, 0.75, 1))
        value = TextInput(hint_text=_t("new_value"), text=str(item.mine.get(suggested) or ""), height=dp(56))
        field.bind(text=lambda _s, name: setattr(value, "text", str(item.mine.get(name) or "")))
        retry = BigButton(text=_t("retry"), size_hint_x=None, width=dp(200))
        retry.bind(on_release=lambda *_: run(lambda: presenter.retry(item.mutation_id, **{field.text: value.text})))
        for widget in (field, value, retry):
            row.add_widget(widget)
        buttons[(item.mutation_id, "retry")] = retry
        buttons[(item.mutation_id, "field")], buttons[(item.mutation_id, "value")] = field, value
        card.add_widget(row)
    return card


def task_card(row: TaskRow, lang: str, buttons: dict) -> Card:
    """Return the card of one task: the enterprise, kind and plan, what to check, the
    deadline (red when past), the enterprise's orders, and 开始检查 (kept in `buttons`
    under (task_id, "task"))."""
    card = Card(background=(0.94, 0.97, 1, 1))
    head = BoxLayout(size_hint_y=None, height=dp(44), spacing=dp(12))
    head.add_widget(Body(text=row.title, bold=True, size_hint_y=1, shorten=True, shorten_from="right"))
    start = BigButton(text=_t("start_inspection"), size_hint=(None, None), width=dp(180), height=dp(44))
    start.bind(on_release=lambda *_: App.get_running_app().start_task(row.task_id))
    head.add_widget(start)
    buttons[(row.task_id, "task")] = start
    card.add_widget(head)
    due = f"{_t('task_due')} {row.due}" + (f"（{_t('overdue')}）" if row.overdue else "")
    # the kind in one language, the plan's name as written (localize would cut a name such as "2026年…")
    what = " · ".join(x for x in (row.kind_label(lang), row.plan) if x)
    card.add_widget(Body(text=f"{what} · {due}", font_size="16sp",
                         color=OUTCOME_COLOURS["fail"] if row.overdue else MUTED))
    if row.items:
        card.add_widget(Body(text=f"{_t('task_items')}：{row.items}", font_size="16sp"))
    for line in row.history:
        card.add_widget(Body(text=localize(line, lang), font_size="15sp", color=MUTED))
    return card


def order_card(order: OrderRow, lang: str) -> Card:
    """Return the card of an order to correct falling due (整改到期): who, what, by when."""
    card = Card(background=(1, 0.97, 0.90, 1))
    card.add_widget(Body(text=f"{_t('order_due')} · {order.enterprise}", bold=True))
    late = f"（{_t('overdue')}）" if order.overdue else ""
    card.add_widget(Body(text=f"{order.requirement} · {_t('task_due')} {order.deadline}{late} · "
                              f"{localize(order.state, lang)}", font_size="16sp",
                         color=OUTCOME_COLOURS["fail"] if order.overdue else MUTED))
    return card


def photo_tiles(grid, photos, lang: str, empty: str) -> None:
    """Fill `grid` with one tile per attached photo: thumbnail and upload state."""
    grid.clear_widgets()
    if not photos:
        grid.add_widget(Body(text=empty, font_size="16sp", color=MUTED))
        return
    colours = {"pending": (0.08, 0.40, 0.75, 1), "uploaded": (0.09, 0.45, 0.19, 1), "rejected": (0.78, 0.16, 0.16, 1)}
    for photo in photos:
        tile = BoxLayout(orientation="vertical", size_hint_y=None, spacing=dp(2))
        tile.add_widget(Image(source=photo.thumbnail, size_hint_y=None, height=dp(84), fit_mode="contain"))
        label = Body(text=localize(photo.label(lang), lang), font_size="14sp", color=colours.get(photo.state, MUTED))
        tile.add_widget(label)
        label.bind(height=lambda _w, h, t=tile: setattr(t, "height", dp(86) + h))
        tile.height = dp(86) + label.height
        grid.add_widget(tile)
