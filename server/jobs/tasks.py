"""The scheduled jobs: plain functions `job(now, *, config)` returning a short summary.

Each builds an app context from `config` (server.jobs.context), does its work with the
services and commits once. Tests call them directly with a frozen `now`.
"""
from __future__ import annotations

import types
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, select

from server.extensions import db
from server.jobs.context import app_context
from server.jobs.settings import setting

Config = Mapping[str, Any] | None


def local_date(now: datetime, config: Config):
    """Return the calendar date of `now` in the scheduler's time zone (Asia/Shanghai)."""
    return now.astimezone(ZoneInfo(setting(config, "GBFIELD_SCHEDULER_TZ"))).date()


def heartbeat(now: datetime, *, config: Config = None) -> dict:
    """Do nothing: its job_runs rows show the scheduler is alive (and who runs it)."""
    return {"alive": now.isoformat()}


def edition_status(now: datetime, *, config: Config = None) -> dict:
    """Recompute every edition's status (现行/即将实施/废止) for today's date; for editions
    whose status changed since the last run, bump the edition and emit an `edition` change
    (a catalog delta devices pull). The first run only records a baseline.
    Returns {"changed": [edition ids], "baseline": n}."""
    from rules.editions import status
    from server.jobs.models import EditionStatusMark
    from server.models.catalog import Edition
    from server.services.changes import record_change
    from sync.protocol import OP_UPSERT

    with app_context(config):
        today = local_date(now, config)
        marks = {m.edition_id: m for m in db.session.execute(select(EditionStatusMark)).scalars()}
        changed, baseline = [], 0
        for row in db.session.execute(select(Edition).where(Edition.deleted_at.is_(None))
                                      .order_by(Edition.id)).scalars():
            current = status(types.SimpleNamespace(effective=row.effective, withdrawn=row.withdrawn,
                                                   replaced_by=None), today)
            mark = marks.get(row.id)
            if mark is None:
                db.session.add(EditionStatusMark(edition_id=row.id, status=current, changed_at=now))
                baseline += 1
                continue
            if mark.status == current:
                continue
            mark.status, mark.changed_at = current, now
            row.version += 1
            row.updated_at = now
            row.data = {**row.data, "status": current, "status_changed_on": today.isoformat()}
            record_change("edition", row.id, OP_UPSERT, row.version, row.data)
            changed.append(row.id)
        db.session.commit()
        return {"changed": changed, "baseline": baseline}


def escalate_questions(now: datetime, *, config: Config = None) -> dict:
    """Escalate queued questions unanswered for GBFIELD_QUESTION_ESCALATE_HOURS: mark them
    escalated (the asker's devices and experts pull the change) and notify the field's
    experts and every admin. Returns {"escalated": [question ids]}."""
    from server.interpretations.models import ExpertField, ExpertQueueEntry
    from server.interpretations.questions import notify, save_question
    from server.models.accounts import User
    from server.models.records import Question

    with app_context(config):
        cutoff = now - timedelta(hours=int(setting(config, "GBFIELD_QUESTION_ESCALATE_HOURS")))
        entries = db.session.execute(select(ExpertQueueEntry).where(
            ExpertQueueEntry.closed_at.is_(None), ExpertQueueEntry.escalated_at.is_(None),
            ExpertQueueEntry.created_at <= cutoff).order_by(ExpertQueueEntry.created_at)).scalars().all()
        admins = db.session.execute(select(User.id).where(User.role == "admin", User.disabled_at.is_(None))).scalars().all()
        done = []
        for entry in entries:
            entry.escalated_at = now
            question = db.session.get(Question, entry.question_id)
            experts = db.session.execute(select(ExpertField.user_id).where(ExpertField.field == entry.field)).scalars().all()
            hours = int(setting(config, "GBFIELD_QUESTION_ESCALATE_HOURS"))
            notify([*experts, *admins], "question_escalated",
                   {"question_id": entry.question_id, "field": entry.field, "text": question.text if question else "",
                    "message": f"问题超过 {hours} 小时未答复，已升级 / unanswered for {hours} h: escalated"})
            if question is not None:
                save_question(question, escalated=True, escalated_at=now.isoformat())
            done.append(entry.question_id)
        db.session.commit()
        return {"escalated": done}


def compliance_stats(now: datetime, *, config: Config = None) -> dict:
    """Recompute the compliance statistics of the last GBFIELD_STATS_DAYS inspection days.
    Returns {"rows": n}."""
    from server.interpretations import stats

    with app_context(config):
        rows = stats.compute(now, days=int(setting(config, "GBFIELD_STATS_DAYS")))
        db.session.commit()
        return {"rows": rows}


def purge(now: datetime, *, config: Config = None) -> dict:
    """Purge tombstones older than GBFIELD_TOMBSTONE_RETENTION_DAYS (server.services.pull)
    and expired partial photo uploads (server.uploads). Returns the counts."""
    from server.services.pull import purge_tombstones
    from server.uploads.service import get_staging

    with app_context(config) as app:
        days = int(app.config.get("GBFIELD_TOMBSTONE_RETENTION_DAYS", 90))
        changes = purge_tombstones(now - timedelta(days=days))
        db.session.commit()
        uploads = get_staging().purge_expired(now)
        return {"changes_purged": changes, "uploads_purged": uploads}


def recheck_reminders(now: datetime, *, config: Config = None) -> dict:
    """回头看: for failed findings (newest revision) older than GBFIELD_RECHECK_DAYS whose
    company has had no later inspection, create a `recheck_reminder` flag (pulled by the
    inspector's devices and the supervisors) and a notification, once per finding.
    Returns {"reminded": [finding ids]}."""
    from server.interpretations.models import RecheckReminder
    from server.interpretations.questions import notify
    from server.models.records import Finding, Flag, Inspection
    from server.services.records import emit, flag_json

    with app_context(config):
        days = int(setting(config, "GBFIELD_RECHECK_DAYS"))
        cutoff = local_date(now, config) - timedelta(days=days)
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
            message = (f"回头看：{inspection.company_name or '该单位'} 于 {inspection.inspected_on} 检查不合格"
                       f"（{finding.indicator_id}），已超过 {days} 天未复查 / re-inspection due")
            flag = Flag(id=str(uuid.uuid4()), finding_id=finding.id, revision=finding.revision,
                        inspection_id=inspection.id, created_at=now,
                        data={"kind": "recheck_reminder", "indicator_id": finding.indicator_id,
                              "measured": finding.measured, "unit": finding.unit,
                              "failed_on": inspection.inspected_on.isoformat(), "days": days, "message": message})
            db.session.add(flag)
            db.session.add(RecheckReminder(finding_id=finding.id, inspection_id=inspection.id, flag_id=flag.id,
                                           created_at=now))
            emit("flag", flag.id, 1, flag_json(flag), inspection)
            notify([inspection.inspector_id], "recheck_reminder",
                   {"finding_id": finding.id, "inspection_id": inspection.id, "message": message})
            reminded.append(finding.id)
        db.session.commit()
        return {"reminded": reminded}
