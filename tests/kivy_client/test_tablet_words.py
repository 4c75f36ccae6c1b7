"""The tablet's words come from the one message catalogue (assets/messages, `tablet.*`):
every word a screen names exists in both languages, and switching language re-labels."""
import re
from pathlib import Path

import pytest

from assets.messages import catalogue
from kivy_client.i18n import Translator, has_word

ROOT = Path(__file__).resolve().parents[2] / "kivy_client"
#: app.t('key', app.lang) in kv rules, t("key") / tr("key") / translator("key") in Python
_USES = re.compile(r"""(?:\bapp\.t|\bt|\btr|translator)\(\s*['"]([a-z0-9_]+)['"]""")


def used_words():
    found = set()
    for path in [*ROOT.rglob("*.kv"), *ROOT.rglob("*.py")]:
        found |= set(_USES.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


def test_the_screens_use_words():
    assert len(used_words()) > 50


@pytest.mark.parametrize("key", used_words())
def test_every_word_a_screen_uses_is_in_both_languages(key):
    assert has_word(key), f"tablet.{key} is missing from assets/messages"
    assert catalogue("en")[f"tablet.{key}"].strip()


def test_the_translator_reads_the_catalogue_and_switches():
    tr = Translator()
    heard = []
    tr.subscribe(lambda: heard.append(tr.language))
    assert tr("sync") == "同步"
    assert tr("history_summary", n=3, fails=1) == "以往检查 3 次，不合格 1 项"
    tr.set_language("en")
    assert tr("sync") == "Sync" and heard == ["en"]
    assert tr("history_summary").format(n=2, fails=0) == "2 earlier inspections, 0 failed findings"
    assert tr("no_such_word") == "no_such_word"
    assert "SHA-256" in tr.message("error.validation_failed.not_hash", path="data.image", value="x")
    with pytest.raises(ValueError):
        tr.set_language("fr")


def test_every_character_the_screens_show_is_in_the_font():
    """Found: the keypad's ⌫ and the sampling box's ☐/☑ drew as empty boxes (the CJK font
    has no such glyphs)."""
    from fontTools.ttLib import TTFont

    from kivy_client.app import FONT_PATH

    cmap = TTFont(str(FONT_PATH), fontNumber=0, lazy=True).getBestCmap()
    shown = set()
    for language in ("zh-CN", "en"):
        shown |= {ch for key, value in catalogue(language).items() if key.startswith("tablet.") for ch in value}
    for path in ROOT.rglob("*.kv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            shown |= {ch for literal in re.findall(r"'([^']*)'", line) for ch in literal}
    from kivy_client.widgets import Keypad

    shown |= {ch for key in Keypad.KEYS for ch in Keypad.LABELS.get(key, key)}
    missing = sorted(ch for ch in shown if ch.strip() and ord(ch) > 127 and ord(ch) not in cmap)
    assert missing == [], f"no glyph in the font for {missing}"
