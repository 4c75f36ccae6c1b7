"""回头看: failed findings whose company has had no later inspection get a re-check
reminder, once per finding (run by the nightly job)."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, select

from server.accounts import service as accounts
from server.inspections.models import Finding, Flag, Inspection, RecheckReminder
from server.inspections.records import emit, flag_json
from server.kernel.extensions import db
from server.kernel.i18n import stored_message


def remind_rechecks(now: datetime, today: date, days: int) -> list[str]:
    """For failed findings (newest revision) inspected `days` or more days before `today`
    whose company has had no later inspection, create a `recheck_reminder` flag (pulled by
    the inspector's devices and the supervisors) and a notification, once per finding.
    Returns the finding ids reminded of."""
    cutoff = today - timedelta(days=days)
    newest = (select(Finding.id.label("fid"), func.max(Finding.revision).label("rev"))
              .group_by(Finding.id).subquery())
    later = Inspection.__table__.alias("later")
    outcome = func.coalesce(Finding.server_outcome, Finding.device_outcome)
    rows = db.session.execute(
        select(Finding, Inspection)
        .join(newest, and_(Finding.id == newest.c.fid, Finding.revision == newest.c.rev))
        .join(Inspection, Inspection.id == Finding.inspection_id)
        .where(outcome == "fail", Inspection.inspected_on <= cutoff,
               ~exists().where(RecheckReminder.finding_id == Finding.id),
               ~exists().where(later.c.credit_code == Inspection.credit_code,
                               later.c.inspected_on > Inspection.inspected_on))
        .order_by(Inspection.inspected_on, Finding.id)).all()
    reminded = []
    for finding, inspection in rows:
        message = stored_message("message.recheck_due", company=inspection.company_name or "—",
                                 inspected_on=inspection.inspected_on, indicator=finding.indicator_id, days=days)
        flag = Flag(id=str(uuid.uuid4()), finding_id=finding.id, revision=finding.revision,
                    inspection_id=inspection.id, created_at=now,
                    data={"kind": "recheck_reminder", "indicator_id": finding.indicator_id,
                          "measured": finding.measured, "unit": finding.unit,
                          "failed_on": inspection.inspected_on.isoformat(), "days": days, **message})
        db.session.add(flag)
        db.session.add(RecheckReminder(finding_id=finding.id, inspection_id=inspection.id, flag_id=flag.id,
                                       created_at=now))
        emit("flag", flag.id, 1, flag_json(flag), inspection)
        accounts.notify([inspection.inspector_id], "recheck_reminder",
                        {"finding_id": finding.id, "inspection_id": inspection.id, **message})
        reminded.append(finding.id)
    return reminded
