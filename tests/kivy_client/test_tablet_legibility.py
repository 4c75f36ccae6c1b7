"""Legible in the sun: every text colour the tablet's screens use reaches WCAG AA (4.5:1)
against the backgrounds it is drawn on — dark and secondary text on the page, the cards
and the flat buttons; white text on the filled buttons, the verdict colours and the rail.
The colours are read from the kv rules and the screens' Python (`color:` / `color=`), so a
new pale grey fails here. Disabled controls are exempt (WCAG 1.4.3)."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "kivy_client"
THEME = (ROOT / "kv" / "theme.kv").read_text(encoding="utf-8")
CONSTANTS = {name: tuple(float(v) for v in values.split(","))
             for name, values in re.findall(r"#:set (C_\w+) \(([^)]*)\)", THEME)}
_TUPLE = re.compile(r"\(?\s*(0?\.\d+|[01](?:\.0+)?)\s*,\s*(0?\.\d+|[01](?:\.0+)?)\s*,\s*(0?\.\d+|[01](?:\.0+)?)")
WHITE = (1.0, 1.0, 1.0)
#: text drawn on the rail (its own dark background), not on the page
RAIL_TEXTS = {(0.75, 0.80, 0.88), (0.86, 0.90, 0.95)}
FLAT_BUTTON = (0.93, 0.95, 0.98)


def luminance(rgb) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _colours(pattern: str) -> set[tuple[float, float, float]]:
    found = set()
    for path in [*ROOT.rglob("*.kv"), *ROOT.rglob("*.py")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(pattern, line) and "disabled" not in line:
                line = re.sub(r"background_color\s*[:=]\s*\(?[^)]*\)?", "", line)
                found |= {tuple(round(float(v), 3) for v in m) for m in _TUPLE.findall(line.split("#")[0])}
                found |= {CONSTANTS[name][:3] for name in re.findall(r"\bC_\w+", line) if name in CONSTANTS}
    return found


def text_colours():
    from kivy_client.widgets import OUTCOME_COLOURS

    return sorted((_colours(r"\bcolor\s*[:=]|hint_text_color") | {c[:3] for c in OUTCOME_COLOURS.values()})
                  - {WHITE} - RAIL_TEXTS)


def filled_backgrounds():
    from kivy_client.widgets import OUTCOME_COLOURS

    return sorted(_colours(r"\btint\s*[:=]") | {c[:3] for c in OUTCOME_COLOURS.values()}
                  | {CONSTANTS["C_PRIMARY"][:3], CONSTANTS["C_RAIL"][:3], (0.20, 0.30, 0.45)})


def test_the_theme_and_its_colours_are_read():
    assert {"C_TEXT", "C_MUTED", "C_BG", "C_CARD", "C_PRIMARY", "C_RAIL"} <= set(CONSTANTS)
    assert len(text_colours()) > 8 and len(filled_backgrounds()) > 4


@pytest.mark.parametrize("colour", text_colours(), ids=str)
@pytest.mark.parametrize("background", ["C_BG", "C_CARD", "flat button"])
def test_text_on_the_page_and_the_cards_reaches_aa(colour, background):
    bg = FLAT_BUTTON if background == "flat button" else CONSTANTS[background][:3]
    assert contrast(colour, bg) >= 4.5, f"text {colour} on {background}: {contrast(colour, bg):.2f}:1"


@pytest.mark.parametrize("background", filled_backgrounds(), ids=str)
def test_white_text_on_filled_backgrounds_reaches_aa(background):
    assert contrast(WHITE, background) >= 4.5, f"white on {background}: {contrast(WHITE, background):.2f}:1"


@pytest.mark.parametrize("colour", sorted(RAIL_TEXTS), ids=str)
def test_the_rails_texts_reach_aa(colour):
    assert contrast(colour, CONSTANTS["C_RAIL"]) >= 4.5


def test_the_check_fails_on_the_old_pale_grey():
    """Kivy's default hint grey (0.5) on white is 3.9:1: what this test is here to refuse."""
    assert contrast((0.5, 0.5, 0.5), (1, 1, 1)) < 4.5
