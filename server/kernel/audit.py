"""The audit log: an append-only record of administrative actions (unlocks, enrolments,
revocations, registry writes, photo publishing) and of reads of evidence (an original
photo opened, an export made), written in the same transaction as the act, shown in the
console to admins (`/console/audit`).

Append-only: nothing in the code updates or deletes a row, and on SQLite and PostgreSQL
a trigger refuses UPDATE and DELETE on the table (`install_guards`, run by the migration
and by `db.create_all` through the table's DDL events).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, Index, String, event, select
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel import clock
from server.kernel.auth import Principal
from server.kernel.extensions import db
from server.kernel.types import BigInt, Json, Timestamp

#: the acts recorded (the console's words: console.audit_<action>)
ACTIONS = ("user.unlock", "user.create", "user.disable", "user.enable", "user.reset_password", "user.change",
           "jurisdiction.create", "jurisdiction.rename", "expert.fields", "inspection.reopen", "interpretation.withdraw",
           "device.enrol", "device.revoke", "registry.write", "registry.import", "photo.publish",
           "photo.withdraw", "photo.read_original", "export")


class AuditEvent(db.Model):
    """One audited act: who (username, device), what (`action`), on what (`target`), when."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(BigInt, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(Json)


Index("ix_audit_log_at", AuditEvent.at)

_REFUSE = "'audit_log is append-only'"
GUARD_SQL = {
    "sqlite": tuple(f"CREATE TRIGGER IF NOT EXISTS audit_log_no_{op.lower()} BEFORE {op} ON audit_log "
                    f"BEGIN SELECT RAISE(ABORT, {_REFUSE}); END" for op in ("UPDATE", "DELETE")),
    "postgresql": (
        ("CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
         f"BEGIN RAISE EXCEPTION {_REFUSE}; END $$ LANGUAGE plpgsql"),
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
        ("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
         "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"),
    ),
}


def install_guards(connection) -> None:
    """Create the triggers refusing UPDATE and DELETE on audit_log (idempotent)."""
    for statement in GUARD_SQL.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


for _dialect, _statements in GUARD_SQL.items():
    for _statement in _statements:
        event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))


def actor_of(principal: Principal | None) -> str:
    """Return how the log names `principal` ("name", "name@device", or "cli")."""
    if principal is None:
        return "cli"
    return f"{principal.username}@{principal.device_id}" if principal.device_id else principal.username


def record(principal: Principal | None, action: str, target: str, **details: Any) -> None:
    """Append one event in the current transaction. Raises ValueError for an unknown action."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    db.session.add(AuditEvent(at=clock.now(), actor=actor_of(principal), action=action,
                              target=str(target)[:200], details={k: str(v)[:200] for k, v in details.items()}))


def recent(*, limit: int = 200, offset: int = 0, action: str | None = None,
           target: str | None = None) -> list[dict]:
    """Return the newest events first ({seq, at, actor, action, target, details}), of one
    `action` and on one `target` when given."""
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit).offset(offset)
    if action:
        query = query.where(AuditEvent.action == action)
    if target:
        query = query.where(AuditEvent.target == target)
    return [{"seq": e.seq, "at": clock.as_utc(e.at).isoformat(), "actor": e.actor, "action": e.action,
             "target": e.target, "details": e.details} for e in db.session.execute(query).scalars()]
