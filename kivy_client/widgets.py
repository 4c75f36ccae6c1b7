"""Small styled widgets; their look is in kv/theme.kv."""
from __future__ import annotations

from kivy.properties import BooleanProperty, ColorProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label

OUTCOME_COLOURS = {"pass": (0.13, 0.55, 0.25, 1), "fail": (0.78, 0.16, 0.16, 1),
                   "inconclusive": (0.85, 0.55, 0.05, 1)}


class Body(Label):
    """A wrapping label whose height follows its text."""


class Card(BoxLayout):
    """A white (or tinted) rounded panel that grows with its content."""

    background = ColorProperty((1, 1, 1, 1))


class Badge(Label):
    """A coloured pill with a short text (status of a standard, key indicator)."""

    background = ColorProperty((0.45, 0.5, 0.55, 1))


class BigButton(Button):
    """The primary action: filled, at least 56 dp high."""

    tint = ColorProperty((0.08, 0.40, 0.75, 1))


class FlatButton(Button):
    """A secondary action or a choice in a list; `selected` highlights it."""

    selected = BooleanProperty(False)


class NavButton(Button):
    """An entry of the navigation rail."""

    selected = BooleanProperty(False)
