"""What the readiness endpoint checks and what /metrics reads from the shared database:
queue lengths and the scheduler's jobs (the same answer from any worker)."""
from __future__ import annotations

import os
from datetime import datetime

from flask import Flask
from sqlalchemy import func, select

from server.inspections.models import Inspection
from server.interpretations.models import Question
from server.jobs.lease import SCHEDULER_LEASE
from server.jobs.models import JobRun, SchedulerLease
from server.kernel import clock
from server.kernel.extensions import db
from server.kernel.metrics import add_probe
from server.photos.service import blob_store
from server.uploads.service import get_staging

READY_KEY = "ready/probe"


def _check(fn) -> dict:
    try:
        return {"ok": True, "detail": fn()}
    except Exception as exc:  # noqa: BLE001 — a readiness check reports any failure
        db.session.rollback()
        return {"ok": False, "detail": f"{type(exc).__name__}: {str(exc)[:200]}"}


def _database() -> str:
    db.session.execute(db.text("SELECT 1"))
    return db.engine.dialect.name


def _blob_store() -> str:
    store = blob_store()
    key = f"{READY_KEY}-{os.getpid()}"
    store.put(key, b"ok")
    if store.get(key) != b"ok":
        raise OSError("the probe blob read back differently")
    store.delete(key)
    return type(store).__name__


def _scheduler() -> str:
    lease = db.session.get(SchedulerLease, SCHEDULER_LEASE)
    if lease is None:
        raise LookupError("no scheduler has ever held the lease")
    expires = clock.as_utc(lease.expires_at)
    if expires <= clock.now():
        raise LookupError(f"the lease of {lease.holder} expired at {expires.isoformat()}")
    return f"held by {lease.holder} until {expires.isoformat()}"


def readiness() -> dict:
    """Return {database, blob_store, scheduler: {ok, detail}} (never raises)."""
    return {"database": _check(_database), "blob_store": _check(_blob_store), "scheduler": _check(_scheduler)}


def _queues() -> dict:
    inspections = db.session.execute(select(func.count()).select_from(Inspection).where(
        Inspection.status.in_(("submitted", "resubmitted")))).scalar()
    questions = db.session.execute(select(func.count()).select_from(Question).where(
        Question.status.in_(("open", "escalated")))).scalar()
    return {("inspections_awaiting_review",): inspections or 0,
            ("questions_unanswered",): questions or 0,
            ("uploads_in_progress",): get_staging().count()}


def _job_runs() -> dict:
    rows = db.session.execute(select(JobRun.job, func.count(), func.count(JobRun.finished_at))
                              .group_by(JobRun.job)).all()
    out = {}
    for job, runs, finished in rows:
        out[(job, "finished")] = finished
        out[(job, "unfinished")] = runs - finished
    return out


def _job_last_finished() -> dict:
    rows = db.session.execute(select(JobRun.job, func.max(JobRun.finished_at)).group_by(JobRun.job)).all()
    return {(job, ): clock.as_utc(at).timestamp() for job, at in rows if isinstance(at, datetime)}


def init_app(app: Flask) -> None:
    """Publish the database probes on /metrics."""
    add_probe(app, "gbfield_queue_length", "Work waiting, by queue", ("queue",), _queues)
    add_probe(app, "gbfield_scheduler_job_runs", "Scheduler job runs by job and state", ("job", "state"), _job_runs)
    add_probe(app, "gbfield_scheduler_job_last_finished_seconds", "When each job last finished (Unix time)",
              ("job",), _job_last_finished)
