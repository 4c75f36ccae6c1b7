"""What the inspections list shows, as rows for a download: inspections (one row each, with
their counts), findings (the newest revision of each, both verdicts) and reviews, read
with a server-side cursor in batches so memory does not grow with the row count. Every
export is written in the evidence log (`exported`) before its first row goes out."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import case, func, select

from server.accounts import service as accounts
from server.catalog import service as catalog
from server.evidence import service as evidence
from server.inspections.listing import InspectionFilters, latest_findings, order_by, where_clauses
from server.inspections.models import Inspection, Review
from server.kernel.auth import Principal
from server.kernel.extensions import db

KINDS = ("inspections", "findings", "reviews")
BATCH = 2000
#: the words (console.col_* / console.export_col_*) heading each kind's columns
COLUMNS = {
    "inspections": ("col_date", "col_company", "credit_code", "address", "col_inspector", "col_jurisdiction",
                    "col_status", "col_findings", "col_fail", "col_disagree", "col_updated", "export_col_id"),
    "findings": ("col_date", "col_company", "credit_code", "col_jurisdiction", "col_inspector", "col_status",
                 "indicator", "export_col_indicator_id", "measured", "export_col_unit", "limit",
                 "device_verdict", "export_col_device_version", "server_verdict", "export_col_server_version",
                 "col_disagree", "revision", "export_col_id", "export_col_finding_id"),
    "reviews": ("col_date", "col_company", "credit_code", "col_jurisdiction", "export_col_reviewer",
                "export_col_review_outcome", "comment", "export_col_reviewed_at", "version", "export_col_id"),
}


def header(kind: str, words: dict[str, str]) -> list[str]:
    """Return the column titles of an export in the words' language."""
    return [words[key] for key in COLUMNS[kind]]


def record_export(principal: Principal, kind: str, fmt: str, filters: InspectionFilters, sort: str) -> int:
    """Count the rows of an export and write its `exported` event (who, what, which
    filters, how many rows); returns the count. Raises like where_clauses."""
    where = where_clauses(principal, filters)
    if kind == "reviews":
        query = select(func.count()).select_from(Review).join(Inspection, Review.inspection_id == Inspection.id)
    elif kind == "findings":
        latest, is_latest = latest_findings()
        query = select(func.count()).select_from(latest).join(Inspection, latest.inspection_id == Inspection.id) \
            .where(is_latest)
    else:
        query = select(func.count()).select_from(Inspection)
    rows = db.session.execute(query.where(*where)).scalar_one()
    given = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
             for k, v in vars(filters).items() if v not in (None, False, "")}
    evidence.append_event("exported", actor=principal.username, record_type=f"{kind}_list",
                          details={"kind": kind, "format": fmt, "filters": given, "sort": sort, "rows": rows})
    return rows


def rows(principal: Principal, kind: str, filters: InspectionFilters, words: dict[str, str], *,
         sort: str = "updated", descending: bool = True) -> Iterator[list]:
    """Yield the rows of export `kind` ("inspections" | "findings" | "reviews") in the
    list's order, BATCH at a time from a server-side cursor. Raises like where_clauses."""
    where = where_clauses(principal, filters)
    if kind == "findings":
        yield from _finding_rows(where, words, order_by(sort, descending))
    elif kind == "reviews":
        yield from _review_rows(where, words, order_by(sort, descending))
    else:
        yield from _inspection_rows(where, words, order_by(sort, descending))


def _names(words: dict[str, str]):
    jurisdictions: dict[str, str] = {}
    users: dict[int, str] = {}

    def jurisdiction(code: str) -> str:
        if code not in jurisdictions:
            jurisdictions[code] = accounts.jurisdiction_names([code]).get(code, code)
        return jurisdictions[code]

    def user(user_id: int | None) -> str:
        if user_id not in users:
            users[user_id] = accounts.usernames([user_id]).get(user_id, "") if user_id is not None else ""
        return users[user_id]

    def status(value: str | None) -> str:
        return words.get(f"status_{value}", value or "")

    def outcome(value: str | None) -> str:
        return words.get(f"outcome_{value}", value or "") if value else ""

    return jurisdiction, status, outcome, user


def _stream(query):
    return db.session.execute(query.execution_options(yield_per=BATCH))


def _inspection_rows(where, words, ordering) -> Iterator[list]:
    latest, is_latest = latest_findings()
    verdict = func.coalesce(latest.server_outcome, latest.device_outcome)
    findings = (select(func.count()).where(latest.inspection_id == Inspection.id, is_latest)
                .correlate(Inspection).scalar_subquery())
    failing = (select(func.coalesce(func.sum(case((verdict == "fail", 1), else_=0)), 0))
               .where(latest.inspection_id == Inspection.id, is_latest).correlate(Inspection).scalar_subquery())
    query = select(Inspection.inspected_on, Inspection.company_name, Inspection.credit_code,
                   Inspection.data["address"].as_string(), Inspection.inspector_id,
                   Inspection.jurisdiction_code, Inspection.status, findings, failing, Inspection.has_disagreement,
                   Inspection.updated_at, Inspection.id).where(*where).order_by(*ordering)
    jurisdiction, status, _, user = _names(words)
    for row in _stream(query):
        (day, company, code, address, inspector, jur, state, n, fail, disagree, updated, ident) = row
        yield [day, company, code, address, user(inspector), jurisdiction(jur), status(state), n, int(fail or 0),
               disagree, updated, ident]


def _finding_rows(where, words, ordering) -> Iterator[list]:
    latest, is_latest = latest_findings()
    query = (select(Inspection.inspected_on, Inspection.company_name, Inspection.credit_code,
                    Inspection.jurisdiction_code, Inspection.inspector_id, Inspection.status,
                    latest.indicator_id, latest.measured, latest.unit, latest.device_outcome,
                    latest.device_ruleset_version, latest.server_outcome, latest.server_ruleset_version,
                    latest.disagrees, latest.revision, Inspection.id, latest.id,
                    latest.server_verdict["limit_text"].as_string())
             .join(latest, latest.inspection_id == Inspection.id).where(is_latest, *where)
             .order_by(*ordering, latest.id))
    jurisdiction, status, outcome, user = _names(words)
    indicators: dict[str, dict] = {}
    for row in _stream(query):
        (day, company, code, jur, inspector, state, indicator_id, measured, unit, device, device_version,
         server, server_version, disagrees, revision, ident, finding_id, limit) = row
        if indicator_id not in indicators:
            indicators[indicator_id] = catalog.indicator_info([indicator_id]).get(indicator_id, {})
        info = indicators[indicator_id]
        yield [day, company, code, jurisdiction(jur), user(inspector), status(state), info.get("name") or indicator_id,
               indicator_id, measured, unit, limit or info.get("limit"), outcome(device), device_version,
               outcome(server), server_version, disagrees, revision, ident, finding_id]


def _review_rows(where, words, ordering) -> Iterator[list]:
    query = (select(Inspection.inspected_on, Inspection.company_name, Inspection.credit_code,
                    Inspection.jurisdiction_code, Review.reviewer_id, Review.outcome,
                    Review.comment, Review.created_at, Review.inspection_version, Inspection.id)
             .join(Review, Review.inspection_id == Inspection.id).where(*where)
             .order_by(*ordering, Review.created_at))
    jurisdiction, _, outcome, user = _names(words)
    for row in _stream(query):
        (day, company, code, jur, reviewer, result, comment, at, version, ident) = row
        yield [day, company, code, jurisdiction(jur), user(reviewer), outcome(result), comment, at, version, ident]
