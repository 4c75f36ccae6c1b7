"""The scheduler process: APScheduler 3 with its job store in the application database,
running only while this process holds the scheduler lease.

    runner = SchedulerRunner(config)      # config: create_app overrides (picklable)
    runner.run(stop_event)                # `gbfield scheduler` (foreground)
    runner.run_once()                     # `gbfield scheduler --once`

Two guards make a job run once per due slot across processes: (1) only the lease holder's
APScheduler is started (a standby keeps renewing attempts and takes over when the holder's
lease expires); (2) `run_job` re-checks the lease and claims (job, slot) in `job_runs`,
whose primary key refuses a second claim.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import IntegrityError

from server.jobs import lease, tasks
from server.jobs.models import JobRun
from server.jobs.settings import setting
from server.kernel import clock
from server.kernel.extensions import db
from server.kernel.runtime import app_context
from server.kernel.uow import unit_of_work

log = logging.getLogger(__name__)
JOBSTORE_TABLE = "apscheduler_jobs"
#: The holder id of this process (set by SchedulerRunner; None = called directly, no lease check).
_HOLDER: str | None = None


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[..., dict]
    every_seconds: int | None = None   # interval jobs
    hour: int | None = None            # daily jobs (local time), minute 0..59 in `minute`
    minute: int = 0

    def slot(self, now: datetime, tz: str) -> str:
        """Return the due slot `now` falls in: interval start (UTC) or the local date."""
        if self.every_seconds:
            start = int(now.timestamp()) // self.every_seconds * self.every_seconds
            return datetime.fromtimestamp(start, UTC).isoformat()
        return now.astimezone(ZoneInfo(tz)).date().isoformat()


def job_specs(config: Mapping[str, Any] | None) -> tuple[JobSpec, ...]:
    """Return the jobs and when they run."""
    return (
        JobSpec("heartbeat", tasks.heartbeat, every_seconds=int(setting(config, "GBFIELD_SCHEDULER_HEARTBEAT_SECONDS"))),
        JobSpec("edition_status", tasks.edition_status, hour=0, minute=5),
        JobSpec("escalate_questions", tasks.escalate_questions, every_seconds=900),
        JobSpec("compliance_stats", tasks.compliance_stats, hour=2),
        JobSpec("purge", tasks.purge, hour=3),
        JobSpec("recheck_reminders", tasks.recheck_reminders, hour=8),
        JobSpec("reinspections", tasks.reinspections, hour=7),
    )


def _spec(name: str, config) -> JobSpec:
    for spec in job_specs(config):
        if spec.name == name:
            return spec
    raise KeyError(name)


def run_job(name: str, config: Mapping[str, Any] | None, now: datetime | None = None) -> dict | None:
    """Run job `name` for the slot `now` falls in, at most once per slot across processes.

    Returns the job's summary, or None when skipped (lease not held, slot already run).
    What APScheduler calls (module-level, picklable arguments). Raises what the job raises.
    """
    now = now or clock.now()
    spec = _spec(name, config)
    slot = spec.slot(now, setting(config, "GBFIELD_SCHEDULER_TZ"))
    holder = _HOLDER or f"direct:{os.getpid()}"
    with app_context(config):
        if _HOLDER is not None and not lease.holds(_HOLDER, now):
            log.warning("job %s skipped: this process does not hold the scheduler lease", name)
            return None
        try:
            with unit_of_work():
                db.session.add(JobRun(job=name, due=slot, holder=holder, started_at=now, pid=os.getpid()))
                db.session.flush()
        except IntegrityError:
            log.info("job %s slot %s already ran", name, slot)
            return None
    try:
        result = spec.func(now, config=config)
    except Exception as exc:
        _finish(name, slot, config, f"error: {type(exc).__name__}: {exc}")
        raise
    _finish(name, slot, config, str(result))
    return result


def _finish(name: str, slot: str, config, result: str) -> None:
    with app_context(config), unit_of_work():
        row = db.session.get(JobRun, (name, slot))
        if row is not None:
            row.finished_at, row.result = clock.now(), result[:500]


def _jobstore_url(config) -> str:
    with app_context(config) as app:
        return app.config["SQLALCHEMY_DATABASE_URI"]


def build_scheduler(config: Mapping[str, Any] | None):
    """Return a BackgroundScheduler (not started) with an SQLAlchemyJobStore on the app
    database and every job of `job_specs` added (replacing stored ones)."""
    tz = setting(config, "GBFIELD_SCHEDULER_TZ")
    url = _jobstore_url(config)
    options = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
    store = SQLAlchemyJobStore(url=url, tablename=JOBSTORE_TABLE, engine_options=options)
    scheduler = BackgroundScheduler(jobstores={"default": store}, timezone=tz,
                                    job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
    plain = dict(config or {})
    for spec in job_specs(config):
        if spec.every_seconds:
            trigger = {"trigger": "interval", "seconds": spec.every_seconds}
        else:
            trigger = {"trigger": "cron", "hour": spec.hour, "minute": spec.minute}
        scheduler.add_job(run_job, id=spec.name, name=spec.name, args=[spec.name, plain],
                          replace_existing=True, next_run_time=datetime.now(UTC), **trigger)
    return scheduler


class SchedulerRunner:
    """Holds the lease and runs the scheduler while it does; `run()` until `stop` is set."""

    def __init__(self, config: Mapping[str, Any] | None = None, holder: str | None = None):
        self.config = dict(config or {})
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.ttl = int(setting(self.config, "GBFIELD_SCHEDULER_LEASE_SECONDS"))
        self.scheduler = None
        self.leading = False

    def _renew(self) -> bool:
        with app_context(self.config):
            return lease.acquire(self.holder, clock.now(), self.ttl)

    def step(self) -> bool:
        """Renew (or try to take) the lease; start/resume or pause the scheduler to match.
        Returns True while leading."""
        global _HOLDER
        _HOLDER = self.holder
        held = self._renew()
        if held and not self.leading:
            if self.scheduler is None:
                self.scheduler = build_scheduler(self.config)
                self.scheduler.start()
            else:
                self.scheduler.resume()
            log.info("scheduler %s: leading", self.holder)
        elif not held and self.leading:
            self.scheduler.pause()
            log.warning("scheduler %s: lost the lease, standing by", self.holder)
        self.leading = held
        return held

    def run(self, stop: threading.Event, *, max_seconds: float | None = None) -> None:
        """Run until `stop` is set (or max_seconds pass), renewing every third of the lease."""
        deadline = None if max_seconds is None else time.monotonic() + max_seconds
        try:
            while not stop.is_set() and (deadline is None or time.monotonic() < deadline):
                try:
                    self.step()
                except Exception:  # a database hiccup must not kill the loop
                    log.exception("scheduler lease renewal failed")
                stop.wait(max(0.2, self.ttl / 3))
        finally:
            self.close()

    def run_once(self) -> dict[str, Any] | None:
        """Take the lease, run every job once for the current slot, release. Returns
        {job: summary or None (already ran)}, or None when another process holds the lease."""
        global _HOLDER
        if not self._renew():
            return None
        _HOLDER = self.holder
        try:
            return {spec.name: run_job(spec.name, self.config) for spec in job_specs(self.config)}
        finally:
            self.close()

    def close(self) -> None:
        """Stop the scheduler and give up the lease."""
        global _HOLDER
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self.scheduler = None
        if self.leading or _HOLDER == self.holder:
            try:
                with app_context(self.config):
                    lease.release(self.holder)
            except Exception:
                log.exception("could not release the scheduler lease")
        self.leading = False
        _HOLDER = None


def start_embedded(config: Mapping[str, Any] | None) -> threading.Event | None:
    """For the development server: when GBFIELD_EMBED_SCHEDULER is on, run a SchedulerRunner
    in a daemon thread (behind the same lease, so a `gbfield scheduler` elsewhere and the
    reloader's second process never both run jobs). Returns the stop event, or None."""
    if not setting(config, "GBFIELD_EMBED_SCHEDULER"):
        return None
    stop = threading.Event()
    runner = SchedulerRunner(config)
    threading.Thread(target=runner.run, args=(stop,), name="gbfield-scheduler", daemon=True).start()
    return stop
