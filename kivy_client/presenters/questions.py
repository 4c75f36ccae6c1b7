"""我的提问: the questions this officer asked, each shown as waiting to be sent, sent, with
suggestions (published interpretations the server matched), or answered — with the
answers and any interpretation an answer produced, read from the device's catalog cache.
Reachable from a clause (`rows(edition_id=…, clause=…)`) and as a list."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from device import DeviceStore
from kivy_client.presenters.base import Observable

SEEN_KEY = "questions_seen"
#: status -> (中文, English)
STATUS_LABELS = {"queued_on_device": ("待发送（下次同步时发送）", "waiting to be sent"),
                 "sent": ("已发送，等待答复", "sent, waiting for an answer"),
                 "matched": ("已有可参考的解释", "interpretations may answer it"),
                 "answered": ("已答复", "answered")}


@dataclass(frozen=True)
class Interpretation:
    """A published interpretation an answer or a match points to."""

    id: str
    title: str
    text: str
    clause: str


@dataclass(frozen=True)
class Answer:
    """An expert's answer."""

    text: str
    expert: str
    created_at: str
    interpretation: Interpretation | None


@dataclass(frozen=True)
class QuestionRow:
    """One question as the list shows it."""

    id: str
    text: str
    edition_id: str | None
    clause: str | None
    indicator_id: str | None
    asked_at: str
    status: str                          # one of STATUS_LABELS
    answers: tuple[Answer, ...]
    suggestions: tuple[Interpretation, ...]
    unread: bool
    produced: tuple[Interpretation, ...] = ()     # interpretations published from this question

    def status_label(self, language: str = "zh_CN") -> str:
        """Return the status in `language`."""
        pair = STATUS_LABELS.get(self.status, (self.status, self.status))
        return pair[1] if language == "en" else pair[0]

    @property
    def where(self) -> str:
        """The clause the question is about ("GB 18401-2010 第4.1条"), or ""."""
        if self.edition_id and self.clause:
            return f"{self.edition_id} 第{self.clause}条"
        return self.edition_id or ""


class QuestionsPresenter(Observable):
    """Reads the questions in the device store; `mark_read(id)` remembers an answer was read."""

    def __init__(self, store: DeviceStore):
        super().__init__()
        self.store = store

    def _interpretation(self, ident: str | None) -> Interpretation | None:
        if not ident:
            return None
        row = self.store.catalog.row("interpretation", ident)
        if row is None:
            return Interpretation(ident, ident, "", "")
        clause = f"{row.get('edition_id') or ''} 第{row.get('clause')}条" if row.get("clause") else ""
        return Interpretation(ident, row.get("title") or ident, row.get("text") or "", clause)

    def rows(self, *, edition_id: str | None = None, clause: str | None = None) -> list[QuestionRow]:
        """Return the questions (newest first), or only those about one clause."""
        seen = self.store.state.get(SEEN_KEY) or {}
        waiting = {i["id"] for i in self.store.outbox.items() if i["entity"] == "question"}
        produced: dict[str, list[Interpretation]] = {}
        for _, ident, row in self.store.catalog.rows(("interpretation",)):
            if row.get("question_id"):
                produced.setdefault(row["question_id"], []).append(self._interpretation(ident))
        out = []
        for ident, rec in self.store.records.all("question").items():
            data = rec["data"]
            if edition_id and data.get("edition_id") != edition_id:
                continue
            if clause and data.get("clause") != clause:
                continue
            answers = tuple(Answer(a.get("text") or "", a.get("expert") or "", a.get("created_at") or "",
                                   self._interpretation(a.get("interpretation_id")))
                            for a in data.get("answers") or () if isinstance(a, dict))
            suggestions = tuple(filter(None, (self._interpretation(c.get("interpretation_id") or c.get("id"))
                                              for c in data.get("candidates") or ()
                                              if isinstance(c, dict) and c.get("kind") == "interpretation")))
            out.append(QuestionRow(ident, data.get("text") or "", data.get("edition_id"), data.get("clause"),
                                   data.get("indicator_id"), str(data.get("device_created_at") or
                                                                 data.get("created_at") or ""),
                                   self._status(ident in waiting, rec["version"], data, answers), answers,
                                   suggestions, bool(answers) and seen.get(ident, 0) < len(answers),
                                   tuple(produced.get(ident, ()))))
        return sorted(out, key=lambda r: r.asked_at, reverse=True)

    @staticmethod
    def _status(waiting: bool, version: int, data: dict[str, Any], answers: tuple) -> str:
        if answers or data.get("status") == "answered":
            return "answered"
        if waiting and version == 0:
            return "queued_on_device"
        if data.get("status") == "matched" or data.get("candidates"):
            return "matched"
        return "sent"

    def unread(self) -> list[QuestionRow]:
        """Return the answered questions whose newest answer was not read yet."""
        return [r for r in self.rows() if r.unread]

    def mark_read(self, question_id: str) -> None:
        """Remember that every answer of the question was read."""
        seen = dict(self.store.state.get(SEEN_KEY) or {})
        row = next((r for r in self.rows() if r.id == question_id), None)
        if row is not None:
            seen[question_id] = len(row.answers)
            self.store.state.set(SEEN_KEY, seen)
            self.notify()
