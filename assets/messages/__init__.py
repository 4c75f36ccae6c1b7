"""The one message catalogue: every text a person reads, in zh-CN and en.

    from assets.messages import text, negotiate
    text("error.invalid_gtin.checksum", "en", value="6901234567891", expected="2", actual="1")
    negotiate("en-US,en;q=0.9")   # "en"

Texts are keyed by a dotted message key and filled with named parameters
(`str.format`). Error messages are keyed by their error code (`error.<code>` or
`error.<code>.<variant>`, codes from `sync.protocol.ErrorCode`); words of the screens are
keyed by where they appear (`console.*`, `resolver.*`, `tablet.*`). Each language is one
JSON file beside this module (`zh-CN.json`, `en.json`): the same keys, the same
placeholders (tests/assets check both). zh-CN is the default language.

Pure data and a loader: imports nothing of ours but the assets error root, so the server,
the protocol package and the tablet all use the same texts.
"""
from __future__ import annotations

import functools
import json
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assets.errors import CatalogError

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
#: the key of the text that joins a list parameter ("、" / ", ")
LIST_SEPARATOR = "list.separator"
_HERE = Path(__file__).resolve().parent


class MessageError(CatalogError):
    """A message key missing from a language, or a text missing one of its parameters."""

    def __init__(self, language: str, key: str, reason: str):
        super().__init__(f"assets/messages/{language}.json", f"/{key}", reason)
        self.language = language
        self.key = key


def language(tag: str | None) -> str:
    """Return the catalogue language for a language tag or code ("zh", "zh_CN",
    "zh-Hans-CN", "en-US", "en" …): "en" for any English tag, else zh-CN."""
    text_tag = (tag or "").strip().lower().replace("_", "-")
    return "en" if text_tag == "en" or text_tag.startswith("en-") else DEFAULT_LANGUAGE


def negotiate(accept_language: str | None) -> str:
    """Return the language an HTTP Accept-Language header prefers among LANGUAGES
    (highest q first, zh-CN when nothing matches or the header is absent)."""
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag.startswith("zh"):
            candidate = "zh-CN"
        elif tag == "en" or tag.startswith("en-"):
            candidate = "en"
        else:
            continue
        if q > best_q:
            best, best_q = candidate, q
    return best


@functools.cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Return every text of `lang` (one of LANGUAGES) by key; raises MessageError for an
    unknown language, CatalogError when its file cannot be read."""
    if lang not in LANGUAGES:
        raise MessageError(lang, "", f"unknown language (one of {', '.join(LANGUAGES)})")
    path = _HERE / f"{lang}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(str(path.name), "/", f"unreadable message catalogue: {exc}") from exc
    return data


def text(key: str, lang: str | None = None, /, **params: Any) -> str:
    """Return the text of `key` in `lang` (normalised with `language`; zh-CN when None)
    with its named parameters filled in; a list or tuple parameter is joined with the
    language's list separator (`list.separator`: "、" in zh-CN, ", " in en). Raises
    MessageError for an unknown key or a missing parameter."""
    chosen = language(lang) if lang is not None else DEFAULT_LANGUAGE
    texts = catalogue(chosen)
    template = texts.get(key)
    if template is None:
        raise MessageError(chosen, key, "no such message key")
    if not params and "{" not in template:
        return template
    separator = texts.get(LIST_SEPARATOR, ", ")
    filled = {name: separator.join(str(v) for v in value) if isinstance(value, (list, tuple)) else value
              for name, value in params.items()}
    try:
        return template.format_map(filled)
    except (KeyError, IndexError, ValueError) as exc:
        raise MessageError(chosen, key, f"cannot fill {template!r}: {exc}") from exc


def words(prefix: str, lang: str | None = None) -> dict[str, str]:
    """Return the texts under `prefix.` (e.g. "console") in `lang`, keyed without the
    prefix: the word table a page's template reads."""
    chosen = language(lang) if lang is not None else DEFAULT_LANGUAGE
    return dict(_words(prefix, chosen))


@functools.cache
def _words(prefix: str, lang: str) -> Mapping[str, str]:
    """words() of one language, scanned once (every console page asks, twice: the scan of
    the whole catalogue was a tenth of a list page)."""
    head = prefix + "."
    return {k[len(head):]: v for k, v in catalogue(lang).items() if k.startswith(head)}


def placeholders(template: str) -> frozenset[str]:
    """Return the parameter names a text uses ("{value}" -> {"value"})."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "MessageError", "catalogue", "language", "negotiate",
           "placeholders", "text", "words"]
