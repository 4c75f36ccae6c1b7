"""The tablet's words in zh-CN (default) and en, switchable at runtime, read from the one
message catalogue (`assets.messages`, keys `tablet.<key>`).

    tr = Translator()
    tr("sync")                  # "同步"
    tr("history_summary", n=3, fails=1)
    tr.set_language("en")       # listeners (the screens) re-label themselves
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assets.messages import catalogue, text

LANGUAGES = ("zh_CN", "en")
#: the catalogue's name of each of the tablet's languages
CATALOGUE_LANGUAGE = {"zh_CN": "zh-CN", "en": "en"}
PREFIX = "tablet."


def has_word(key: str) -> bool:
    """Return True when the catalogue has the tablet word `key` (in zh-CN)."""
    return PREFIX + key in catalogue("zh-CN")


class Translator:
    """Looks words up in the current language; calls listeners when it changes."""

    def __init__(self, language: str = "zh_CN"):
        self.language = language if language in LANGUAGES else "zh_CN"
        self._listeners: list[Callable[[], None]] = []

    @property
    def catalogue_language(self) -> str:
        """The current language as the message catalogue names it ("zh-CN", "en")."""
        return CATALOGUE_LANGUAGE[self.language]

    def __call__(self, key: str, **params: Any) -> str:
        """Return the word `key` in the current language, with `params` filled in (without
        them, the text as written: callers may `.format` it); the key itself if unknown."""
        lang = self.catalogue_language
        template = catalogue(lang).get(PREFIX + key)
        if template is None:
            return key
        return text(PREFIX + key, lang, **params) if params else template

    def message(self, key: str, **params: Any) -> str:
        """Return any catalogue message (e.g. an error's `error.<code>.<variant>`) in the
        current language. Raises MessageError for an unknown key or a missing parameter."""
        return text(key, self.catalogue_language, **params)

    def set_language(self, language: str) -> None:
        """Switch to `language` ("zh_CN" or "en"). Raises ValueError for another one."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}; one of {LANGUAGES}")
        if language != self.language:
            self.language = language
            for callback in list(self._listeners):
                callback()

    def subscribe(self, callback: Callable[[], None]) -> None:
        """Call `callback()` after every language switch."""
        self._listeners.append(callback)
