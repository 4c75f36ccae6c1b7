"""The syncing feature's public service: what entity features use to accept pushes
(`PushBatch`, `PushHandler`, `ItemConflict`, `register_handler`), the tombstone purge the
nightly job runs, and when each device last pushed."""
from __future__ import annotations

from sqlalchemy import func, select

from server.kernel import clock
from server.kernel.extensions import db
from server.syncing.batch import ItemConflict, PushBatch, PushHandler
from server.syncing.models import ProcessedMutation
from server.syncing.pull import horizon, purge_tombstones
from server.syncing.push import push, register_handler

__all__ = ["ItemConflict", "PushBatch", "PushHandler", "horizon", "last_push_times", "purge_tombstones",
           "push", "register_handler"]


def last_push_times(device_ids: list[str]) -> dict[str, str]:
    """Return {device id: ISO time of its newest processed push item} in one query."""
    if not device_ids:
        return {}
    rows = db.session.execute(select(ProcessedMutation.device_id, func.max(ProcessedMutation.created_at))
                              .where(ProcessedMutation.device_id.in_(device_ids))
                              .group_by(ProcessedMutation.device_id)).all()
    return {d: clock.as_utc(at).isoformat() for d, at in rows if at is not None}
