"""首页 tells the truth: the officer's tasks (双随机 targets, 回头看) with their enterprise
and deadline, orders to correct falling due, and everything that waits for the officer, each
with the action to take — inspections a supervisor returned (correct them) or rejected (read why), findings
flagged or judged otherwise by the server (look again), questions answered (read the
answer), and the outbox's conflicts and refused items (decide, fix and retry)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from device import DeviceStore, DeviceTasks
from kivy_client.presenters.questions import QuestionsPresenter
from kivy_client.presenters.records import RecordsPresenter
from kivy_client.presenters.tasks import TasksPresenter

#: kind -> (title 中文, English; action 中文, English)
KINDS = {
    "returned": ("被退回，需更正", "returned for correction", "打开更正", "Open to correct"),
    "rejected": ("审核不予通过", "rejected by review", "查看", "View"),
    "flagged": ("服务器判定不一致", "the server's verdict differs", "查看", "View"),
    "answered": ("提问已答复", "question answered", "查看答复", "Read the answer"),
}


@dataclass(frozen=True)
class HomeItem:
    """One thing that needs the officer: `kind` (see KINDS), the record it is about, what
    it says, and the action (`action` opens `target`: an inspection or a question)."""

    kind: str
    target: str
    title: str
    detail: str

    def label(self, language: str = "zh_CN") -> str:
        """The item's heading in `language`."""
        zh, en, _, _ = KINDS[self.kind]
        return en if language == "en" else zh

    def action(self, language: str = "zh_CN") -> str:
        """The action button's text in `language`."""
        _, _, zh, en = KINDS[self.kind]
        return en if language == "en" else zh


class HomePresenter:
    """The items and the tiles' counts of 首页, from the device store (cheap: one device)."""

    def __init__(self, store: DeviceStore):
        self.store = store
        self.records = RecordsPresenter(store)
        self.questions = QuestionsPresenter(store)
        self.tasks = TasksPresenter(DeviceTasks(store))

    def items(self) -> list[HomeItem]:
        """Return every item, most urgent first (returned, rejected, flagged, answered)."""
        out: list[HomeItem] = []
        flagged = self._flagged()
        for row in self.records.rows():
            name = f"{row.company or '—'} {row.product}".strip()
            if row.status == "returned":
                out.append(HomeItem("returned", row.id, name, row.review_comment or "请按审核意见更正"))
            elif row.status == "rejected":
                out.append(HomeItem("rejected", row.id, name, row.review_comment or ""))
            if row.disagreement or row.id in flagged:
                out.append(HomeItem("flagged", row.id, name, flagged.get(row.id) or "服务器复核的判定与本机不同"))
        for question in self.questions.unread():
            answer = question.answers[-1].text if question.answers else ""
            out.append(HomeItem("answered", question.id, question.text[:40], answer[:80]))
        order = {k: n for n, k in enumerate(KINDS)}
        return sorted(out, key=lambda i: order[i.kind])

    def _flagged(self) -> dict[str, str]:
        """inspection id -> the message of its newest open flag."""
        out: dict[str, str] = {}
        for rec in sorted(self.store.records.all("flag").values(), key=lambda r: str(r["data"].get("created_at"))):
            data: dict[str, Any] = rec["data"]
            if data.get("resolved_at"):
                continue
            message = data.get("message") or ""
            if not message and data.get("server_verdict"):
                outcome = (data.get("server_verdict") or {}).get("outcome")
                message = f"服务器判定：{ {'pass': '合格', 'fail': '不合格'}.get(outcome, '无法判定') }（测量值 {data.get('measured')}）"
            out[data.get("inspection_id")] = message.split(" / ")[0]
        return out

    def counts(self) -> dict[str, int]:
        """Return the tiles: to upload, returned, answered, and conflicts + refused items."""
        outbox = self.store.outbox.counts()
        items = self.items()
        return {"pending": outbox["pending"], "returned": sum(1 for i in items if i.kind == "returned"),
                "answered": sum(1 for i in items if i.kind == "answered"),
                "decide": outbox["conflict"] + outbox["rejected"],
                "flagged": sum(1 for i in items if i.kind in ("flagged", "rejected"))}
