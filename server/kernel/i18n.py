"""The language of this request's messages: the console's choice, else Accept-Language
(zh-CN by default, and outside a request)."""
from __future__ import annotations

from flask import g, has_request_context, request

from assets.messages import DEFAULT_LANGUAGE, negotiate, text


def request_language() -> str:
    """Return "zh-CN" or "en" for the current request (zh-CN outside one). Raises nothing."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = g.get("gbfield_language")
    if chosen is None:
        chosen = g.gbfield_language = negotiate(request.headers.get("Accept-Language"))
    return chosen


def choose_language(language: str) -> None:
    """Make `language` this request's language (the console's choice); raises nothing."""
    g.gbfield_language = language


def stored_message(key: str, **params) -> dict:
    """Return the fields a stored record (a flag, a notification) carries for a person:
    `message` in zh-CN, and `message_key` with `message_params` so that any reader can word
    it in its own language (assets.messages.text). Raises MessageError for an unknown key."""
    return {"message": text(key, DEFAULT_LANGUAGE, **params), "message_key": key,
            "message_params": {k: str(v) for k, v in params.items()}}
