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

from server.jobs.models import SchedulerLease
from server.kernel import clock
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work

SCHEDULER_LEASE = "scheduler"


def acquire(holder: str, now: datetime, ttl_seconds: int, name: str = SCHEDULER_LEASE) -> bool:
    """Take or renew the lease `name` for `holder` until now+ttl, in units of work of its
    own (committed here: the lease is what other processes read); return True when
    `holder` holds it. Raises database errors other than a lost insert race."""
    expires = now + timedelta(seconds=ttl_seconds)
    with unit_of_work():
        result = db.session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == name,
                   or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now))
            .values(holder=holder, expires_at=expires, acquired_at=now)
            .execution_options(synchronize_session=False))
        if result.rowcount:
            return True
    with unit_of_work():
        if db.session.execute(select(SchedulerLease.name).where(SchedulerLease.name == name)).scalar() is not None:
            return False
    try:
        with unit_of_work():
            db.session.add(SchedulerLease(name=name, holder=holder, acquired_at=now, expires_at=expires))
            db.session.flush()
    except IntegrityError:
        return False
    return True


def holds(holder: str, now: datetime, name: str = SCHEDULER_LEASE) -> bool:
    """Return True when `holder` holds an unexpired lease `name` at `now`."""
    row = db.session.get(SchedulerLease, name)
    return row is not None and row.holder == holder and clock.as_utc(row.expires_at) > now


def release(holder: str, name: str = SCHEDULER_LEASE) -> None:
    """Give the lease up (expire it now) if `holder` holds it; its own unit of work."""
    with unit_of_work():
        db.session.execute(update(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder)
                           .values(expires_at=clock.now() - timedelta(seconds=1))
                           .execution_options(synchronize_session=False))
