"""Sync from the tablet: SyncClient.sync() on a worker thread, progress and the report
handed back to the UI thread, and what needs the officer's attention afterwards."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kivy_client.presenters.base import InlineRunner, Observable, readable
from sync.client import HttpTransport, LocalStore, SyncClient, SyncReport

IDLE, SYNCING, DONE, ERROR = "idle", "syncing", "done", "error"


@dataclass(frozen=True)
class Attention:
    """An outbox item the officer must decide on: a conflict (with the server's version)
    or a rejection (with the server's reason)."""

    mutation_id: str
    kind: str            # "conflict" | "rejected"
    entity: str
    record_id: str
    reason: str
    server_version: int | None
    server_record: dict[str, Any] | None


@dataclass(frozen=True)
class ReportSummary:
    """The numbers of the last run, for the home screen."""

    pulled: int
    pushed: int
    conflicts: int
    rejected: int
    photos: int
    errors: tuple[str, ...]

    @classmethod
    def of(cls, report: SyncReport) -> ReportSummary:
        """Return the summary of a SyncReport."""
        return cls(report.pulled, report.pushed, report.conflicts, report.rejected,
                   report.photos_uploaded + report.photos_skipped, tuple(report.errors))


def _default_transport(creds: dict[str, Any]) -> Any:
    return HttpTransport(creds["server_url"], creds["token"])


class SyncPresenter(Observable):
    """State: `state`, `stage`, `done`, `remaining`, `message`, `last` (ReportSummary)."""

    def __init__(self, store: LocalStore, *, runner: InlineRunner | None = None,
                 transport_factory: Callable[[dict[str, Any]], Any] = _default_transport,
                 client_options: dict[str, Any] | None = None):
        super().__init__()
        self.store = store
        self.runner = runner or InlineRunner()
        self.transport_factory = transport_factory
        self.client_options = client_options or {}
        self.state, self.stage, self.done, self.remaining = IDLE, "", 0, 0
        self.message = ""
        self.last: ReportSummary | None = None

    @property
    def progress(self) -> float:
        """Return the run's progress in 0..1 (0 when nothing is known yet)."""
        total = self.done + self.remaining
        return self.done / total if total else (1.0 if self.state == DONE else 0.0)

    def outbox_counts(self) -> dict[str, int]:
        """Return {pending, conflict, rejected} of the outbox."""
        return self.store.outbox_counts()

    def attention(self) -> list[Attention]:
        """Return the conflicted and rejected outbox items, oldest first."""
        items = []
        for item in self.store.outbox():
            if item["state"] == "conflict":
                reason = item["last_error"] or "服务器上的版本已更新 / the server holds a newer version"
                items.append(Attention(item["mutation_id"], "conflict", item["entity"], item["id"], reason,
                                       item["server_version"], item["server_current"]))
            elif item["state"] == "rejected":
                items.append(Attention(item["mutation_id"], "rejected", item["entity"], item["id"],
                                       item["last_error"] or item["error_code"] or "?", None, None))
        return items

    def sync(self) -> bool:
        """Start a sync run in the background; return False (and say why) when one is
        running or the device is not enrolled."""
        if self.state == SYNCING:
            return False
        creds = self.store.credentials()
        if not creds or not creds.get("token"):
            self.state, self.message = ERROR, "本设备尚未登记，请在“设置”中扫描登记二维码 / not enrolled"
            self.notify()
            return False
        self.state, self.stage, self.done, self.remaining = SYNCING, "", 0, 0
        self.message = "正在同步… / syncing…"
        self.notify()

        def progress(stage: str, done: int, remaining: int) -> None:
            self.runner.post(lambda: self._progress(stage, done, remaining))

        def work() -> SyncReport:
            # the worker uses its own connection: one SQLite connection is not shared across threads
            store = LocalStore(self.store.path) if self.store.path != ":memory:" else self.store
            transport = self.transport_factory(creds)
            try:
                return SyncClient(store, transport, **self.client_options).sync(progress=progress)
            finally:
                close = getattr(transport, "close", None)
                if close:
                    close()
                if store is not self.store:
                    store.close()

        self.runner.submit(work, self._finished, self._crashed)
        return True

    def _progress(self, stage: str, done: int, remaining: int) -> None:
        self.stage, self.done, self.remaining = stage, done, remaining
        self.notify()

    def _finished(self, report: SyncReport) -> None:
        self.last = ReportSummary.of(report)
        if report.ok:
            self.state = DONE
            self.message = (f"同步完成：拉取 {report.pulled}，推送 {report.pushed}，冲突 {report.conflicts}，"
                            f"退回 {report.rejected}")
        else:
            self.state = ERROR
            self.message = "同步未完成：" + "；".join(report.errors)
        self.notify()

    def _crashed(self, exc: BaseException) -> None:
        self.state, self.message = ERROR, f"同步失败：{readable(exc)}"
        self.notify()
