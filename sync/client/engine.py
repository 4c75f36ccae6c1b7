"""The sync engine: push the outbox, pull pages, check drift — and report what happened.

States of one `SyncClient.sync()` run: PHOTOS (pending photo files the server lacks, by
tus; see sync.client.photos) → PUSHING (batches of the outbox until nothing is
sendable) → PULLING (pages until `has_more` is false; 410 → drop and re-pull from 0) →
CHECKING (digest of the cached catalog; mismatches re-pulled) → DONE. A retryable failure
is retried with backoff; when retries run out the run stops with the error in the report
and every unacknowledged item stays in the outbox for the next run.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from device import DeviceStore
from device.trust import CatalogTrust, PageRefused
from sync.client.errors import (
    ClientTooOld,
    CredentialsError,
    RequestRejected,
    ResyncRequired,
    SyncError,
    TransportError,
)
from sync.client.local import apply_results, drop_entities, store_page
from sync.client.photos import upload_pending
from sync.client.retry import RetryPolicy
from sync.client.transport import HttpTransport, Transport
from sync.client.uploads import PhotoUploader
from sync.protocol import (
    CATALOG_ENTITIES,
    DEFAULT_PULL_LIMIT,
    ItemStatus,
    ProtocolError,
    PushResponse,
    PushResult,
    check_pull_page,
)

#: progress(stage, done, remaining): stage is "push" or "pull"
Progress = Callable[[str, int, int], None]


@dataclass
class SyncReport:
    """What one sync run did. `ok` is False when `errors` is not empty."""

    pulled: int = 0
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    photos_uploaded: int = 0
    photos_skipped: int = 0      # already on the server: not sent again
    photos_failed: int = 0       # still queued (or rejected) on the device, never dropped
    errors: list[str] = field(default_factory=list)
    resynced: list[str] = field(default_factory=list)
    rejudged: int = 0
    #: False when the drift check was not run (disabled, or the catalog was just pulled from 0)
    drift_checked: bool = False
    cursor: int = 0
    requests: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the run finished without an error."""
        return not self.errors

    def summary(self) -> str:
        """Return a one-line human summary (Chinese first)."""
        text = (f"拉取 pulled {self.pulled}, 推送 pushed {self.pushed} (applied {self.applied}, "
                f"duplicate {self.duplicates}, conflict {self.conflicts}, rejected {self.rejected}), "
                f"cursor {self.cursor}, {self.seconds:.2f} s")
        if self.photos_uploaded or self.photos_skipped or self.photos_failed:
            text += (f", 照片 photos uploaded {self.photos_uploaded}, skipped {self.photos_skipped}, "
                     f"failed {self.photos_failed}")
        if self.resynced:
            text += f", 重新同步 resynced {','.join(self.resynced)}"
        if self.errors:
            text += f", 错误 errors: {'; '.join(self.errors)}"
        return text


class SyncClient:
    """Runs sync rounds between a device store (`device.DeviceStore`) and a Transport."""

    def __init__(self, store: DeviceStore, transport: Transport, *, retry: RetryPolicy | None = None,
                 push_batch: int = 200, pull_limit: int = DEFAULT_PULL_LIMIT,
                 check_digest: bool = True, max_resyncs: int = 2, max_rounds: int = 10_000,
                 prefetch: bool = True, uploader: Any = None,
                 clock: Callable[[], float] = time.monotonic):
        self.store = store
        self.transport = transport
        self.retry = retry or RetryPolicy()
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        self.check_digest = check_digest
        self.max_resyncs = max_resyncs
        self.max_rounds = max_rounds
        #: request the next pull page while the current one is being stored
        self.prefetch = prefetch
        #: a sync.client.uploads.PhotoUploader (made for an HttpTransport when not given;
        #: None: no photo step)
        self.uploader = uploader if uploader is not None else self._default_uploader()
        self.clock = clock
        #: the catalog keys this device trusts: every pulled page is checked with them
        self.trust = CatalogTrust(store.state)

    def _default_uploader(self) -> Any:
        if not isinstance(self.transport, HttpTransport) or not self.transport.token:
            return None
        return PhotoUploader(self.transport.server_url, self.transport.token, session=self.transport.session,
                             timeout=self.transport.timeout, url_store=self.store.photos)

    def sync(self, progress: Progress | None = None) -> SyncReport:
        """Push, then pull, then check drift; return a SyncReport (never raises TransportError:
        failures land in `report.errors`; unacknowledged items stay in the outbox)."""
        report = SyncReport()
        started = self.clock()
        sent_before = getattr(self.transport, "requests_sent", 0)
        try:
            self.upload_photos(report)
            self.push(report, progress)
            full_pass = self.pull(report, progress)
            # right after pulling everything from 0 there is nothing that could have drifted
            if self.check_digest and not full_pass:
                self.check_drift(report, progress)
        except CredentialsError as exc:
            report.errors.append(f"设备凭证无效，请重新登记 / device credentials refused: {exc}")
        except (ClientTooOld, PageRefused) as exc:
            report.errors.append(str(exc))
        except (TransportError, ProtocolError) as exc:
            report.errors.append(f"同步中断，稍后重试 / sync interrupted: {exc}")
        report.cursor = self.store.state.cursor
        report.requests = getattr(self.transport, "requests_sent", 0) - sent_before
        report.seconds = self.clock() - started
        return report

    # ---- photos --------------------------------------------------------------------

    def upload_photos(self, report: SyncReport) -> None:
        """Upload the queued photos the server lacks (before the records that reference
        them); counts and failures go into `report`. Raises CredentialsError (401)."""
        if self.uploader is None:
            return
        tally = upload_pending(self.store.photos, self.uploader, self.retry)
        report.photos_uploaded += tally.uploaded
        report.photos_skipped += tally.skipped
        report.photos_failed += tally.failed
        report.errors.extend(tally.errors or ())

    # ---- push ----------------------------------------------------------------------

    def push(self, report: SyncReport, progress: Progress | None = None) -> None:
        """Send sendable outbox items batch by batch until none is left; counts into `report`.

        Raises TransportError when retries run out (the batch stays in the outbox).
        """
        outbox = self.store.outbox
        total = outbox.counts()["pending"]
        for _ in range(self.max_rounds):
            batch = outbox.sendable(self.push_batch)
            if not batch:
                return
            ids = [item["mutation_id"] for item in batch]
            outbox.mark_attempt(ids)
            try:
                raw = self.retry.call(partial(self.transport.push, batch))
                answer = PushResponse.from_json(raw, expected=ids)
            except RequestRejected as exc:
                # the whole batch was refused (e.g. 400 validation_failed): find the bad item
                # by sending one at a time, so the others still go through
                if len(batch) > 1:
                    self._push_singly(batch, report)
                    continue
                outbox.note_error(ids, str(exc))
                apply_results(self.store, [_rejected(ids[0], exc)])
                report.rejected += 1
                continue
            except TransportError as exc:
                outbox.note_error(ids, str(exc))
                raise
            self._count(answer, report)
            apply_results(self.store, answer.results)
            self.store.records.save_rejudged(answer.rejudged)
            if progress:
                progress("push", report.pushed, max(total - report.pushed, 0))
        raise SyncError("push did not finish within the round limit")

    def _push_singly(self, batch: list[dict], report: SyncReport) -> None:
        for item in batch:
            mid = item["mutation_id"]
            try:
                raw = self.retry.call(partial(self.transport.push, [item]))
                answer = PushResponse.from_json(raw, expected=[mid])
            except RequestRejected as exc:
                apply_results(self.store, [_rejected(mid, exc)])
                report.rejected += 1
                continue
            self._count(answer, report)
            apply_results(self.store, answer.results)
            self.store.records.save_rejudged(answer.rejudged)

    @staticmethod
    def _count(answer: PushResponse, report: SyncReport) -> None:
        for r in answer.results:
            report.pushed += 1
            if r.status == ItemStatus.APPLIED:
                report.applied += 1
            elif r.status == ItemStatus.DUPLICATE:
                report.duplicates += 1
            elif r.status == ItemStatus.CONFLICT:
                report.conflicts += 1
            else:
                report.rejected += 1
        report.rejudged += len(answer.rejudged)

    # ---- pull ----------------------------------------------------------------------

    def pull(self, report: SyncReport, progress: Progress | None = None,
             entities: tuple[str, ...] | None = None) -> bool:
        """Pull pages from the saved cursor until `has_more` is false, each stored with its
        cursor in one transaction. On 410 drop the named entities and start again from 0.
        With `prefetch`, the next page is requested while the current one is stored (it is
        thrown away if storing fails, so the cursor still names the last stored page).

        With `entities`, pulls only those from 0 (a drift re-pull) without moving the cursor.
        Returns True when every entity was pulled from 0 in this call (a first sync or a full
        re-sync). Raises TransportError when retries run out (the cursor stays at the last
        stored page), ProtocolError for a malformed page, PageRefused for a page whose
        signature does not verify with a trusted key (nothing of it is stored: the last
        valid catalog stays, and the cursor names the last page that verified).
        """
        resyncs = 0
        since = 0 if entities else self.store.state.cursor
        horizon = None if entities else self.store.state.horizon
        full_pass = not entities and since == 0
        ahead: Future | None = None   # the next page, requested while the last one is stored
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gbfield-pull") if self.prefetch else None
        with pool or nullcontext():
            for _ in range(self.max_rounds):
                try:
                    raw = ahead.result() if ahead is not None else self._fetch(since, entities, horizon)
                except ResyncRequired as exc:
                    resyncs += 1
                    if resyncs > self.max_resyncs:
                        raise
                    dropped = exc.entities or ("all",)
                    report.resynced.extend(dropped)
                    drop_entities(self.store, exc.entities)
                    since, horizon, ahead = 0, None, None
                    full_pass = not entities and not exc.entities
                    continue
                ahead = None
                page = check_pull_page(raw, since=since)  # raw rows go straight to the store
                announced = self.trust.check(raw)         # before anything of it is stored
                if page.get("horizon") is not None:
                    # served, hence not stale by the server's rule: this horizon is now safe
                    horizon = page["horizon"]
                if page["has_more"] and pool is not None:
                    ahead = pool.submit(self._fetch, page["cursor"], entities, horizon)
                with self.store.transaction():
                    if entities:
                        report.pulled += store_page(self.store, page["changes"], self.store.state.cursor)
                    else:
                        report.pulled += store_page(self.store, page["changes"], page["cursor"], horizon)
                    self.trust.remember(announced)
                since = page["cursor"]
                if progress:
                    progress("pull", report.pulled, page.get("remaining", 0))
                if not page["has_more"]:
                    return full_pass
        raise SyncError("pull did not finish within the round limit")

    def _fetch(self, since: int, entities: Iterable[str] | None, horizon: int | None) -> dict[str, Any]:
        """Return one raw pull page (retried with backoff); raises TransportError."""
        return self.retry.call(partial(self.transport.pull, since, self.pull_limit, entities,
                                       horizon if since else None))

    def check_drift(self, report: SyncReport, progress: Progress | None = None) -> None:
        """Send the catalog digest; re-pull mismatched entities from 0 with `entities=`.

        A server that does not offer the digest (404) is tolerated. Raises TransportError
        when retries run out.
        """
        digests = self.store.catalog.digests(CATALOG_ENTITIES)
        report.drift_checked = True
        try:
            raw = self.retry.call(partial(self.transport.digest, digests))
        except RequestRejected as exc:
            if exc.status == 404:
                return
            raise
        mismatched = tuple(e for e in (raw.get("mismatched") or []) if e in CATALOG_ENTITIES)
        if not mismatched:
            return
        report.resynced.extend(mismatched)
        self.store.catalog.drop(mismatched)
        self.pull(report, progress, entities=mismatched)


def _rejected(mutation_id: str, exc: SyncError) -> PushResult:
    return PushResult(mutation_id, ItemStatus.REJECTED, error=exc.code, message=str(exc))
