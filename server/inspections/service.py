"""The inspections feature's public service: reading and reviewing inspections, the
verdicts a new interpretation changes (re-scan), 回头看 reminders and the finding outcomes
the statistics count."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from server.inspections.listing import InspectionFilters, count_inspections, list_inspections
from server.inspections.models import Finding, Inspection
from server.inspections.recheck import remind_rechecks
from server.inspections.rescan import (
    flag_changed_verdicts,
    preview_changed_verdicts,
    preview_withdrawal,
)
from server.inspections.review import (
    add_review_listener,
    get_inspection,
    photo_status,
    reopen_inspection,
    review_inspection,
)
from server.inspections.status import LOCKED, REVIEWABLE, TRANSITIONS, next_status
from server.kernel.extensions import db

__all__ = [
    "LOCKED",
    "REVIEWABLE",
    "TRANSITIONS",
    "InspectionFilters",
    "add_review_listener",
    "count_inspections",
    "exists",
    "finding_count",
    "finding_outcomes",
    "finding_results",
    "flag_changed_verdicts",
    "get_inspection",
    "inspection_brief",
    "list_inspections",
    "next_status",
    "photo_status",
    "preview_changed_verdicts",
    "preview_withdrawal",
    "remind_rechecks",
    "reopen_inspection",
    "review_inspection",
]


def finding_outcomes(start: date, end: date) -> list[tuple]:
    """Return, for the newest revision of each finding of the inspections made on days
    [start, end]: (inspection id, inspected_on, jurisdiction code, jurisdiction path,
    indicator id, server outcome, device outcome, disagrees)."""
    newest = (select(Finding.id.label("fid"), func.max(Finding.revision).label("rev"))
              .group_by(Finding.id).subquery())
    return list(db.session.execute(
        select(Inspection.id, Inspection.inspected_on, Inspection.jurisdiction_code, Inspection.jurisdiction_path,
               Finding.indicator_id, Finding.server_outcome, Finding.device_outcome, Finding.disagrees)
        .join(Finding, Finding.inspection_id == Inspection.id)
        .join(newest, (Finding.id == newest.c.fid) & (Finding.revision == newest.c.rev))
        .where(Inspection.inspected_on >= start, Inspection.inspected_on <= end)).all())


def exists(inspection_id: str) -> bool:
    """Return True when the server has inspection `inspection_id`."""
    return db.session.get(Inspection, inspection_id) is not None


def finding_count(inspection_id: str) -> int:
    """Return how many finding revisions an inspection has (for tests and the console)."""
    return int(db.session.execute(select(func.count()).select_from(Finding)
                                  .where(Finding.inspection_id == inspection_id)).scalar())


def finding_results(inspection_id: str) -> list[dict]:
    """Return the newest revision of each finding of an inspection as {id, indicator_id,
    measured, unit, outcome} (outcome: the server's verdict, else the tablet's), by id."""
    newest: dict[str, Finding] = {}
    for row in db.session.execute(select(Finding).where(Finding.inspection_id == inspection_id)).scalars():
        if row.id not in newest or row.revision > newest[row.id].revision:
            newest[row.id] = row
    return [{"id": f.id, "indicator_id": f.indicator_id, "measured": f.measured, "unit": f.unit,
             "outcome": f.server_outcome or f.device_outcome} for _, f in sorted(newest.items())]

def inspection_brief(inspection_id: str | None) -> dict | None:
    """Return {company_name, inspected_on, jurisdiction, products} of an inspection (what an
    expert answering a question asked from it needs), or None."""
    row = db.session.get(Inspection, inspection_id) if inspection_id else None
    if row is None:
        return None
    data = row.data or {}
    products = [p.get("name") or p.get("gtin") for p in data.get("products") or () if isinstance(p, dict)]
    if not products and (data.get("product_name") or data.get("gtin")):
        products = [data.get("product_name") or data.get("gtin")]
    return {"company_name": row.company_name, "inspected_on": row.inspected_on.isoformat(),
            "jurisdiction": row.jurisdiction_code, "products": [p for p in products if p],
            "batch": data.get("batch")}
