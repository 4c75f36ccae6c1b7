"""The scheduled jobs: plain functions `job(now, *, config)` returning a short summary.

Each builds an app context from `config` (server.kernel.runtime), does its work through
the features' services in one unit of work (server.kernel.uow). Tests call them directly
with a frozen `now`.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from server.catalog import service as catalog
from server.inspections import service as inspections
from server.interpretations import service as interpretations
from server.jobs.settings import setting
from server.kernel.runtime import app_context
from server.kernel.uow import unit_of_work
from server.planning import service as planning
from server.statistics import service as statistics
from server.syncing import service as syncing
from server.uploads import service as uploads

Config = Mapping[str, Any] | None


def local_date(now: datetime, config: Config):
    """Return the calendar date of `now` in the scheduler's time zone (Asia/Shanghai)."""
    return now.astimezone(ZoneInfo(setting(config, "GBFIELD_SCHEDULER_TZ"))).date()


def heartbeat(now: datetime, *, config: Config = None) -> dict:
    """Do nothing: its job_runs rows show the scheduler is alive (and who runs it)."""
    return {"alive": now.isoformat()}


def edition_status(now: datetime, *, config: Config = None) -> dict:
    """Recompute every edition's status (现行/即将实施/废止) for today's date; editions whose
    status changed become catalog deltas devices pull (catalog.refresh_edition_status).
    Returns {"changed": [edition ids], "baseline": n}."""
    with app_context(config), unit_of_work():
        return catalog.refresh_edition_status(now, local_date(now, config))


def escalate_questions(now: datetime, *, config: Config = None) -> dict:
    """Escalate queued questions unanswered for GBFIELD_QUESTION_ESCALATE_HOURS (their askers'
    devices and experts pull the change; the field's experts and the admins are notified).
    Returns {"escalated": [question ids]}."""
    with app_context(config), unit_of_work():
        hours = int(setting(config, "GBFIELD_QUESTION_ESCALATE_HOURS"))
        return {"escalated": interpretations.escalate_overdue(now, hours)}


def compliance_stats(now: datetime, *, config: Config = None) -> dict:
    """Recompute the compliance statistics of the last GBFIELD_STATS_DAYS inspection days.
    Returns {"rows": n}."""
    with app_context(config), unit_of_work():
        return {"rows": statistics.compute(now, days=int(setting(config, "GBFIELD_STATS_DAYS")))}


def purge(now: datetime, *, config: Config = None) -> dict:
    """Purge tombstones older than GBFIELD_TOMBSTONE_RETENTION_DAYS (syncing) and expired
    partial photo uploads (uploads). Returns the counts."""
    with app_context(config) as app:
        days = int(app.config.get("GBFIELD_TOMBSTONE_RETENTION_DAYS", 90))
        with unit_of_work():
            changes = syncing.purge_tombstones(now - timedelta(days=days))
        return {"changes_purged": changes, "uploads_purged": uploads.purge_expired(now)}


def recheck_reminders(now: datetime, *, config: Config = None) -> dict:
    """回头看: failed findings older than GBFIELD_RECHECK_DAYS whose company has had no later
    inspection get a re-check reminder (inspections.remind_rechecks).
    Returns {"reminded": [finding ids]}."""
    with app_context(config), unit_of_work():
        days = int(setting(config, "GBFIELD_RECHECK_DAYS"))
        return {"reminded": inspections.remind_rechecks(now, local_date(now, config), days)}


def reinspections(now: datetime, *, config: Config = None) -> dict:
    """回头看 of orders to correct: each open order whose deadline (local date) has passed
    gets a re-inspection task for its officers (planning.reinspection_due); reviewed results
    reaching their publication deadline (GBFIELD_PUBLICATION_WORKING_DAYS) are published.
    Returns {"tasks": [task ids], "published": n}."""
    with app_context(config), unit_of_work():
        today = local_date(now, config)
        return {"tasks": planning.reinspection_due(today),
                "published": planning.publish_due(today, int(setting(config, "GBFIELD_PUBLICATION_WORKING_DAYS")))}
