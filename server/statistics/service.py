"""Compliance statistics: per inspection day × jurisdiction × standard, computed nightly.

Counts use the newest revision of each finding and the server's outcome (the device's when
the server could not judge). The nightly job recomputes the last `days` days so late syncs
are counted; rows are replaced, so a rerun changes nothing.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select

from server.catalog import service as catalog
from server.inspections import service as inspections
from server.kernel import clock
from server.kernel.access import subtree_filter
from server.kernel.auth import Principal
from server.kernel.extensions import db
from server.statistics.models import ComplianceStat


def last_computed() -> str | None:
    """Return when the statistics were last computed (ISO 8601), or None."""
    at = db.session.execute(select(func.max(ComplianceStat.computed_at))).scalar()
    return clock.as_utc(at).isoformat() if at is not None else None


def compute(now: datetime, *, days: int = 7) -> int:
    """Recompute the statistics of inspection days [today-days, today]; returns rows written."""
    today = now.date()
    start = today - timedelta(days=days)
    rows = inspections.finding_outcomes(start, today)
    standards = catalog.indicator_standards({r.indicator_id for r in rows})
    groups: dict[tuple, dict] = defaultdict(lambda: {"inspections": set(), "findings": 0, "passed": 0,
                                                     "failed": 0, "inconclusive": 0, "disagreements": 0})
    paths = {}
    for r in rows:
        if r.indicator_id not in standards:
            continue   # an indicator no longer in the catalog has no standard to count under
        key = (r.inspected_on, r.jurisdiction_code, standards[r.indicator_id])
        paths[r.jurisdiction_code] = r.jurisdiction_path
        g = groups[key]
        g["inspections"].add(r.id)
        g["findings"] += 1
        outcome = r.server_outcome or r.device_outcome
        g[{"pass": "passed", "fail": "failed"}.get(outcome, "inconclusive")] += 1
        g["disagreements"] += 1 if r.disagrees else 0
    db.session.execute(delete(ComplianceStat).where(ComplianceStat.day >= start, ComplianceStat.day <= today))
    for (day, code, std), g in sorted(groups.items()):
        db.session.add(ComplianceStat(day=day, jurisdiction_code=code, jurisdiction_path=paths[code],
                                      standard_code=std, inspections=len(g["inspections"]), findings=g["findings"],
                                      passed=g["passed"], failed=g["failed"], inconclusive=g["inconclusive"],
                                      disagreements=g["disagreements"], computed_at=now))
    return len(groups)


def report(principal: Principal, *, date_from: date | None = None, date_to: date | None = None,
           standard: str | None = None) -> list[dict]:
    """Return totals per jurisdiction × standard inside the caller's subtree over the days
    [date_from, date_to] (default: the last 30 days up to today), with pass and
    disagreement rates."""
    date_to = date_to or clock.now().date()
    date_from = date_from or date_to - timedelta(days=30)
    cols = [func.sum(getattr(ComplianceStat, c)).label(c)
            for c in ("inspections", "findings", "passed", "failed", "inconclusive", "disagreements")]
    stmt = (select(ComplianceStat.jurisdiction_code, ComplianceStat.standard_code, *cols)
            .where(ComplianceStat.day >= date_from, ComplianceStat.day <= date_to)
            .group_by(ComplianceStat.jurisdiction_code, ComplianceStat.standard_code)
            .order_by(ComplianceStat.jurisdiction_code, ComplianceStat.standard_code))
    scope = subtree_filter(principal, ComplianceStat.jurisdiction_path)
    if scope is not None:
        stmt = stmt.where(scope)
    if standard:
        stmt = stmt.where(ComplianceStat.standard_code == standard)
    out = []
    for r in db.session.execute(stmt):
        row = {k: (int(v) if isinstance(v, (int, float)) or hasattr(v, "as_integer_ratio") else v)
               for k, v in r._mapping.items()}
        judged = row["passed"] + row["failed"]
        row["pass_rate"] = round(row["passed"] / judged, 4) if judged else None
        row["disagreement_rate"] = round(row["disagreements"] / row["findings"], 4) if row["findings"] else None
        out.append(row)
    return out
