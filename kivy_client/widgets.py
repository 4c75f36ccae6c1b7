"""Small styled widgets; their look is in kv/theme.kv."""
from __future__ import annotations

from typing import ClassVar

from kivy.graphics import Color, Line
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ColorProperty, ListProperty, ObjectProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

#: verdict colours: white text on them and they as text on white both reach 4.5:1 (WCAG AA;
#: tests/kivy_client/test_tablet_legibility.py)
OUTCOME_COLOURS = {"pass": (0.09, 0.45, 0.19, 1), "fail": (0.78, 0.16, 0.16, 1),
                   "inconclusive": (0.62, 0.33, 0.0, 1)}


class Body(Label):
    """A wrapping label whose height follows its text."""


class Hideable:
    """A widget that can be hidden in place (`shown: False`): kv rules make it transparent
    and flat; here it stops taking touches, so its children — still laid out over what
    follows — never swallow a tap meant for a visible button (disabled widgets do)."""

    shown = BooleanProperty(True)

    def on_touch_down(self, touch):
        return super().on_touch_down(touch) if self.shown else False

    def on_touch_move(self, touch):
        return super().on_touch_move(touch) if self.shown else False

    def on_touch_up(self, touch):
        return super().on_touch_up(touch) if self.shown else False


class Card(Hideable, BoxLayout):
    """A white (or tinted) rounded panel that grows with its content."""

    background = ColorProperty((1, 1, 1, 1))


class HideBox(Hideable, BoxLayout):
    """A row that can be hidden in place (see Hideable)."""


class Badge(Label):
    """A coloured pill with a short text (status of a standard, key indicator)."""

    background = ColorProperty((0.36, 0.41, 0.46, 1))


class BigButton(Button):
    """The primary action: filled, at least 56 dp high."""

    tint = ColorProperty((0.08, 0.40, 0.75, 1))


class FlatButton(Button):
    """A secondary action or a choice in a list; `selected` highlights it."""

    selected = BooleanProperty(False)


class NavButton(Button):
    """An entry of the navigation rail."""

    selected = BooleanProperty(False)


class SignaturePad(Widget):
    """A box the officer or the party signs in with a finger: `strokes` holds the points
    (0..1 of the box, y downwards) each stroke made; `clear()` starts again."""

    strokes = ListProperty([])
    inked = BooleanProperty(False)

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        touch.grab(self)
        self.strokes = [*self.strokes, [self._point(touch)]]
        with self.canvas:
            Color(0.08, 0.12, 0.35, 1)
            touch.ud["signature_line"] = Line(points=[*touch.pos], width=dp(1.6))
        return True

    def on_touch_move(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_move(touch)
        if self.collide_point(*touch.pos) and "signature_line" in touch.ud:
            touch.ud["signature_line"].points += [*touch.pos]
            self.strokes[-1].append(self._point(touch))
            self.inked = True
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_up(touch)
        touch.ungrab(self)
        self.property("strokes").dispatch(self)
        return True

    def _point(self, touch) -> tuple[float, float]:
        return ((touch.x - self.x) / max(self.width, 1), 1 - (touch.y - self.y) / max(self.height, 1))

    def clear(self) -> None:
        """Wipe the box."""
        self.strokes, self.inked = [], False
        self.canvas.clear()


class Keypad(Hideable, GridLayout):
    """Big keys for a measured value (gloves): digits, the decimal point, "<" for below the
    detection limit, "-" and ⌫; each key edits the TextInput `target`."""

    target = ObjectProperty(None, allownone=True)
    KEYS = ("7", "8", "9", "⌫", "4", "5", "6", "<", "1", "2", "3", "-", "0", ".", "清除", "")
    #: what a key shows where the font has no glyph for its name
    LABELS: ClassVar[dict[str, str]] = {"⌫": "退格"}

    def __init__(self, **kw):
        super().__init__(cols=4, spacing=dp(6), size_hint_y=None, **kw)
        self.keys = {}
        for key in self.KEYS:
            if not key:
                self.add_widget(Widget(size_hint_y=None, height=dp(56)))
                continue
            button = FlatButton(text=self.LABELS.get(key, key), font_size="24sp", height=dp(56))
            button.bind(on_release=lambda _b, k=key: self.press(k))
            self.keys[key] = button
            self.add_widget(button)

    def relabel(self, t) -> None:
        """Label the word keys in the current language (`t`: the app's translator)."""
        self.keys["⌫"].text, self.keys["清除"].text = t("key_backspace"), t("key_clear")

    def press(self, key: str) -> None:
        """Apply one key to the target field."""
        if self.target is None:
            return
        text = self.target.text
        if key == "⌫":
            self.target.text = text[:-1]
        elif key == "清除":
            self.target.text = ""
        else:
            self.target.text = text + key


class PadScrollView(ScrollView):
    """A ScrollView holding signature pads: a finger that comes down on a pad signs at once
    (a plain ScrollView holds the touch and takes the first stroke as a scroll, so a
    signature drawn downwards scrolled the column and left the pad empty). A column shorter
    than the view stays at its top (after the signatures were redrawn it was found scrolled
    to scroll_y −2: a blank column with the 完成检查 button out of sight)."""

    def on_scroll_y(self, _instance, value):
        content = self.children[0] if self.children else None
        if content is not None and content.height <= self.height:
            wanted = 1.0
        else:
            wanted = min(1.0, max(0.0, value))
        if value != wanted:
            self.scroll_y = wanted

    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos) and not self.disabled:
            window = self.parent.to_window(*touch.pos) if self.parent else touch.pos
            for widget in self.walk(restrict=True):
                if isinstance(widget, SignaturePad) and not widget.disabled and \
                        widget.collide_point(*widget.to_parent(*widget.to_widget(*window))):
                    touch.push()
                    touch.apply_transform_2d(self.to_local)      # the content's coordinates
                    try:
                        return widget.on_touch_down(touch)
                    finally:
                        touch.pop()
        return super().on_touch_down(touch)

