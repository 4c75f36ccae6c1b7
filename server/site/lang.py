"""The language of a public page: `?lang=en` (or any English tag) — else zh-CN, whatever the
browser's Accept-Language says (Chinese first, as on the resolver's pages); one language per
page. The resolver's words (`resolver.*`) and the site's
(`site.*`) come from the message catalogue."""
from __future__ import annotations

from flask import request

from assets.messages import words
from server.kernel.i18n import choose_language


def page_language() -> str:
    """Return "en" or "zh" for this request and make it the language of its messages."""
    lang = "en" if (request.args.get("lang") or "").lower().startswith("en") else "zh"
    choose_language("en" if lang == "en" else "zh-CN")
    return lang


def page_words(lang: str) -> dict[str, str]:
    """Return the resolver's and the site's word tables merged (site words win)."""
    return {**words("resolver", lang), **words("site", lang)}
