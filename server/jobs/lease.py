"""A lease row in the application database: who may run the scheduler right now.

`acquire` is one conditional UPDATE (take over when I hold it or it expired), falling back
to an INSERT for the first holder. On PostgreSQL the UPDATE locks the row and re-checks
its condition after a concurrent writer commits; on SQLite writers are serialised by
BEGIN IMMEDIATE. Either way two processes can never both see "acquired" for the same
period. The holder renews well before `expires_at`; a crashed holder is replaced after
at most one lease lifetime.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.jobs.models import SchedulerLease

SCHEDULER_LEASE = "scheduler"


def acquire(holder: str, now: datetime, ttl_seconds: int, name: str = SCHEDULER_LEASE) -> bool:
    """Take or renew the lease `name` for `holder` until now+ttl; commit; return True when
    `holder` holds it. Raises database errors other than a lost insert race."""
    expires = now + timedelta(seconds=ttl_seconds)
    result = db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name,
               or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now))
        .values(holder=holder, expires_at=expires, acquired_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount:
        db.session.commit()
        return True
    db.session.rollback()
    exists = db.session.execute(select(SchedulerLease.name).where(SchedulerLease.name == name)).scalar()
    if exists is not None:
        db.session.rollback()
        return False
    try:
        db.session.add(SchedulerLease(name=name, holder=holder, acquired_at=now, expires_at=expires))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def holds(holder: str, now: datetime, name: str = SCHEDULER_LEASE) -> bool:
    """Return True when `holder` holds an unexpired lease `name` at `now`."""
    from server.clock import as_utc

    row = db.session.get(SchedulerLease, name)
    return row is not None and row.holder == holder and as_utc(row.expires_at) > now


def release(holder: str, name: str = SCHEDULER_LEASE) -> None:
    """Give the lease up (expire it now) if `holder` holds it; commit."""
    from server.clock import now as clock_now

    db.session.execute(update(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder)
                       .values(expires_at=clock_now() - timedelta(seconds=1))
                       .execution_options(synchronize_session=False))
    db.session.commit()
