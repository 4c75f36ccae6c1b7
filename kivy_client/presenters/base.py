"""What every presenter shares: a readable error type, change listeners and a runner
that does slow work off the UI thread and hands the result back to it.

Presenters never import Kivy: the app passes `post` (a function that runs a callable on
the UI thread, `Clock.schedule_once` in the app); tests use `InlineRunner`.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from kivy_client.errors import TabletError


class PresenterError(TabletError):
    """An error an officer can read (Chinese first); never a traceback."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def readable(exc: BaseException) -> str:
    """Return a message for the officer from any exception (its own text, never a traceback)."""
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(text).strip()


_SEPARATOR = r"(?: |(?<=[\u3000-\u303f\uff00-\uffef]))/ "     # " / ", or "）/ " after full-width punctuation
_ENGLISH_TAIL = re.compile(_SEPARATOR + r"[^\u3000-\u9fff\uff00-\uffef；\n]*")


def localize(message: str, language: str) -> str:
    """Return the part of a bilingual message ("中文 / English", one per line) for
    `language`: "zh_CN" drops every " / English" tail, "en" keeps, line by line, the text
    after the last " / " (a line with no English stays as it is)."""
    if not message or "/ " not in message:
        return message or ""
    if language != "en":
        return _ENGLISH_TAIL.sub("", message).strip()
    return "\n".join(re.split(_SEPARATOR, line)[-1].strip() for line in message.split("\n"))


class Observable:
    """A list of callbacks called after every state change."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, callback: Callable[[], None]) -> None:
        """Call `callback()` after each change of this presenter."""
        self._listeners.append(callback)

    def notify(self) -> None:
        """Tell every listener that the state changed."""
        for callback in list(self._listeners):
            callback()


class InlineRunner:
    """Runs work at once on the calling thread (tests, scripts)."""

    def post(self, fn: Callable[[], Any]) -> None:
        """Run `fn` now."""
        fn()

    def submit(self, work: Callable[[], Any], done: Callable[[Any], None],
               failed: Callable[[BaseException], None]) -> None:
        """Run `work()`; then `done(result)` or `failed(exc)`."""
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - every failure is shown to the officer
            failed(exc)
            return
        done(result)


class ThreadRunner(InlineRunner):
    """Runs work on a daemon thread; results come back through `post` (the UI thread)."""

    def __init__(self, post: Callable[[Callable[[], Any]], None]):
        self._post = post
        self.threads: list[threading.Thread] = []

    def post(self, fn: Callable[[], Any]) -> None:
        """Run `fn` on the UI thread (through the app's scheduler)."""
        self._post(fn)

    def submit(self, work, done, failed) -> None:
        """Start `work()` on a thread; `done`/`failed` run on the UI thread."""
        def run() -> None:
            try:
                result = work()
            except Exception as exc:  # noqa: BLE001 - every failure is shown to the officer
                self._post(lambda error=exc: failed(error))
                return
            self._post(lambda: done(result))
        thread = threading.Thread(target=run, name="gbfield-work", daemon=True)
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()
