"""Sync from the tablet: SyncClient.sync() on a worker thread, progress and the report
handed back to the UI thread, and what needs the officer's attention afterwards."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from device import DeviceError, DeviceRecords, DeviceStore, open_store
from kivy_client.presenters.attention import Attention, attention_items
from kivy_client.presenters.base import InlineRunner, Observable, PresenterError, readable
from kivy_client.presenters.failures import NO_NETWORK, failure_words, is_offline
from kivy_client.services.network import reachable
from sync.client import HttpTransport, SyncClient, SyncReport
from sync.client.errors import RetryableError

IDLE, SYNCING, DONE, ERROR = "idle", "syncing", "done", "error"
LAST_SYNC_KEY = "last_sync"          # state key: {at, pulled, pushed} of the last successful run


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
    """State: `state`, `stage`, `done`, `remaining`, `message`, `last` (ReportSummary),
    `online` (True/False, None before anything was tried), `last_success` (kept in the
    store across restarts: {at, pulled, pushed}).

    `probe(server_url)` says whether the server can be reached (a short TCP connect with
    the real HTTP transport; none with another transport, e.g. in-process, unless given)."""

    def __init__(self, store: DeviceStore, *, runner: InlineRunner | None = None,
                 transport_factory: Callable[[dict[str, Any]], Any] = _default_transport,
                 client_options: dict[str, Any] | None = None,
                 probe: Callable[[str], bool] | None | str = "default"):
        super().__init__()
        self.store = store
        self.runner = runner or InlineRunner()
        self.transport_factory = transport_factory
        self.probe = (reachable if transport_factory is _default_transport else None) if probe == "default" else probe
        self.online: bool | None = None
        self.client_options = client_options or {}
        self.state, self.stage, self.done, self.remaining = IDLE, "", 0, 0
        self.message = ""
        self.last: ReportSummary | None = None

    @property
    def last_success(self) -> dict[str, Any] | None:
        """{at (ISO UTC), pulled, pushed} of the last successful sync, kept in the store."""
        value = self.store.state.get(LAST_SYNC_KEY)
        return value if isinstance(value, dict) and value.get("at") else None

    def check_network(self) -> None:
        """Probe the server in the background; `online` follows (no-op when not enrolled or
        while a sync runs)."""
        creds = self.store.state.credentials()
        if self.probe is None or self.state == SYNCING or not creds or not creds.get("server_url"):
            return
        url = creds["server_url"]

        def seen(up: bool) -> None:
            if self.online != up:
                self.online = up
                self.notify()

        self.runner.submit(lambda: self.probe(url), seen, lambda _exc: seen(False))

    @property
    def progress(self) -> float:
        """Return the run's progress in 0..1 (0 when nothing is known yet)."""
        total = self.done + self.remaining
        return self.done / total if total else (1.0 if self.state == DONE else 0.0)

    def outbox_counts(self) -> dict[str, int]:
        """Return {pending, conflict, rejected} of the outbox."""
        return self.store.outbox.counts()

    def attention(self) -> list[Attention]:
        """Return the conflicted and rejected outbox items, oldest first."""
        return attention_items(self.store.outbox.items())

    def resolve(self, mutation_id: str, keep: str) -> str | None:
        """Settle a conflict: keep="mine" re-sends the device's data on the server's
        version (returns the new mutation id), keep="server" takes the server's record
        (returns None). Raises PresenterError for an unknown item or a bad choice."""
        if keep not in ("mine", "server"):
            raise self._error(f"无效的选择 / not a choice: {keep}")
        try:
            new_id = DeviceRecords(self.store).resolve_conflict(mutation_id, keep=keep)
        except DeviceError as exc:
            raise self._error(f"无法处理冲突：{readable(exc)} / cannot resolve the conflict") from exc
        self.message = ("已保留我的版本，下次同步时发送 / kept mine, sent at the next sync" if keep == "mine"
                        else "已采用服务器的版本 / took the server's version")
        self.notify()
        return new_id

    def retry(self, mutation_id: str, **changes: str) -> str:
        """Re-queue a rejected item with the officer's corrections (only the fields its
        Attention.retry_fields() names; empty values are left out); return the new mutation
        id. Raises PresenterError for an unknown item or another field."""
        item = next((a for a in self.attention() if a.mutation_id == mutation_id and a.kind == "rejected"), None)
        if item is None:
            raise self._error("没有该被退回的记录 / no such rejected item")
        unknown = set(changes) - set(item.retry_fields())
        if unknown:
            raise self._error(f"不能修改字段 {', '.join(sorted(unknown))} / field cannot be changed")
        fixes = {k: v.strip() for k, v in changes.items() if v and v.strip()}
        try:
            new_id = DeviceRecords(self.store).retry_rejected(mutation_id, **fixes)
        except DeviceError as exc:
            raise self._error(f"无法重试：{readable(exc)} / cannot retry") from exc
        self.message = "已修改，下次同步时重新发送 / corrected, sent again at the next sync"
        self.notify()
        return new_id

    def _error(self, message: str) -> PresenterError:
        self.message = message
        self.notify()
        return PresenterError(message)

    def sync(self) -> bool:
        """Start a sync run in the background; return False (and say why) when one is
        running or the device is not enrolled."""
        if self.state == SYNCING:
            return False
        creds = self.store.state.credentials()
        if not creds or not creds.get("token"):
            self.state, self.message = ERROR, "本设备尚未登记，请在“设置”中扫描登记二维码 / not enrolled: scan the enrolment QR code in Settings"
            self.notify()
            return False
        self.state, self.stage, self.done, self.remaining = SYNCING, "", 0, 0
        self.message = "正在同步… / syncing…"
        self.notify()

        def progress(stage: str, done: int, remaining: int) -> None:
            self.runner.post(lambda: self._progress(stage, done, remaining))

        url = str(creds.get("server_url") or "")

        def work() -> SyncReport:
            if self.probe is not None and not self.probe(url):      # said within seconds, not after the retries
                raise RetryableError(f"no connection to {url}")
            # the worker uses its own connection: one SQLite connection is not shared across threads
            store = open_store(self.store.path) if self.store.path != ":memory:" else self.store
            transport = self.transport_factory(creds)
            try:
                return SyncClient(store, transport, **self.client_options).sync(progress=progress)
            finally:
                close = getattr(transport, "close", None)
                if close:
                    close()
                if store is not self.store:
                    store.close()

        self.runner.submit(work, self._finished, lambda exc: self._crashed(exc, url))
        return True

    def _progress(self, stage: str, done: int, remaining: int) -> None:
        self.stage, self.done, self.remaining = stage, done, remaining
        self.notify()

    def _finished(self, report: SyncReport) -> None:
        self.last = ReportSummary.of(report)
        if report.ok:
            self.state, self.online = DONE, True
            self.store.state.set(LAST_SYNC_KEY, {"at": datetime.now(UTC).isoformat(timespec="seconds"),
                                                 "pulled": report.pulled, "pushed": report.pushed})
            self.message = (f"同步完成：拉取 {report.pulled}，推送 {report.pushed}，冲突 {report.conflicts}，"
                            f"退回 {report.rejected} / synced: pulled {report.pulled}, pushed {report.pushed}, "
                            f"conflicts {report.conflicts}, rejected {report.rejected}")
        else:
            self.state = ERROR
            offline = any("network error" in e for e in report.errors)
            if offline:
                self.online = False
                server = (self.store.state.credentials() or {}).get("server_url", "")
                self.message = "同步未完成：" + NO_NETWORK[0].format(server=server) + " / sync incomplete: " + \
                    NO_NETWORK[1].format(server=server)
            else:
                self.message = "\n".join(("同步未完成 / sync incomplete", *report.errors))
        self.notify()

    def _crashed(self, exc: BaseException, server: str = "") -> None:
        if is_offline(exc):
            self.online = False
        zh, en = failure_words(exc, server)
        self.state, self.message = ERROR, f"同步失败：{zh} / sync failed: {en}"
        self.notify()
