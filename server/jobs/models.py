"""Scheduler bookkeeping: the single-runner lease and the job runs."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import Timestamp


class SchedulerLease(db.Model):
    """Who runs the scheduler: one row per lease name; a holder renews before `expires_at`."""

    __tablename__ = "scheduler_leases"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    acquired_at: Mapped[datetime] = mapped_column(Timestamp)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)


class JobRun(db.Model):
    """One run of a job for one due slot; the primary key makes a second run of the same
    slot impossible even if two processes ever got past the lease."""

    __tablename__ = "job_runs"
    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    due: Mapped[str] = mapped_column(String(40), primary_key=True)   # ISO slot start
    holder: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(Timestamp)
    finished_at: Mapped[datetime | None] = mapped_column(Timestamp)
    result: Mapped[str | None] = mapped_column(String(500))
    pid: Mapped[int] = mapped_column(Integer)
