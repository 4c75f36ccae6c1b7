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
