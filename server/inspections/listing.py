"""The inspections work list: the filters a supervisor narrows it by (all in SQL), the
sort orders, the total, and the per-row summaries computed in bulk. The console's list,
its exports and the JSON API read through here."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import String, and_, cast, exists, func, or_, select
from sqlalchemy.orm import aliased

from server.accounts import service as accounts
from server.inspections.models import Finding, Flag, Inspection
from server.inspections.records import inspection_json
from server.kernel.access import list_filter, require
from server.kernel.auth import Principal
from server.kernel.errors import ValidationFailed
from server.kernel.extensions import db
from server.photos import service as photos
from sync.protocol import INSPECTION_STATUSES

#: outcome filter: an inspection with a failing finding / findings that all pass / none yet
OUTCOMES = ("fail", "pass", "none")
#: flag kinds a list can be narrowed by (``flagged``)
FLAG_KINDS = ("disagreement", "interpretation_changed", "recheck_reminder", "open")
SORTS = {"inspected_on": Inspection.inspected_on, "company": Inspection.company_name,
         "status": Inspection.status, "updated": Inspection.updated_at,
         "jurisdiction": Inspection.jurisdiction_code}


@dataclass(frozen=True)
class InspectionFilters:
    """What a work list is narrowed by; None (or False) = not narrowed.

    `q` part of the company name or credit code; `inspector` a username; `jurisdiction` a
    division code (its whole subtree, inside the caller's); `date_from`/`date_to` the
    inspection day, both included; `outcome` one of OUTCOMES (the newest revision of each
    finding, the server's verdict else the tablet's); `standard` a standard code or edition
    ("GB 18401", "GB 18401-2010"); `product` part of a product name or a GTIN;
    `flagged` one of FLAG_KINDS; `interpretation` an interpretation id whose publication
    flagged the inspection.
    """
    status: str | None = None
    disagreement: bool | None = None
    q: str | None = None
    inspector: str | None = None
    jurisdiction: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    outcome: str | None = None
    standard: str | None = None
    product: str | None = None
    flagged: str | None = None
    interpretation: str | None = None

    @classmethod
    def of(cls, values: dict) -> InspectionFilters:
        """Return the filters named in `values` (other keys ignored)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})


def latest_findings():
    """Return (alias of findings, condition) selecting the newest revision of each finding."""
    newer = aliased(Finding)
    latest = aliased(Finding)
    return latest, ~exists().where(newer.id == latest.id, newer.revision > latest.revision)


def where_clauses(principal: Principal, f: InspectionFilters) -> list:
    """Return the WHERE clauses of a list for `principal` narrowed by `f`.

    Raises Forbidden for experts, ValidationFailed for an unknown status or outcome.
    """
    require(principal, "inspection.list")
    where = []
    scope = list_filter(principal, "inspection.read", Inspection.jurisdiction_path)
    if scope is not None:
        where.append(scope)
    if f.status is not None:
        if f.status not in INSPECTION_STATUSES:
            raise ValidationFailed("status", status=f.status, details={"status": list(INSPECTION_STATUSES)})
        where.append(Inspection.status == f.status)
    if f.disagreement is not None:
        where.append(Inspection.has_disagreement.is_(f.disagreement))
    text = (f.q or "").strip()
    if text:
        where.append(or_(Inspection.company_name.icontains(text, autoescape=True),
                         Inspection.credit_code.icontains(text, autoescape=True)))
    if f.inspector:
        where.append(Inspection.inspector_id.in_(accounts.user_ids_named(f.inspector)))
    if f.jurisdiction:
        path = accounts.jurisdiction_path(f.jurisdiction)
        where.append(Inspection.jurisdiction_path.startswith(path, autoescape=True) if path else False)
    if f.date_from:
        where.append(Inspection.inspected_on >= f.date_from)
    if f.date_to:
        where.append(Inspection.inspected_on <= f.date_to)
    if f.outcome is not None:
        where.append(_outcome_clause(f.outcome))
    if f.standard:
        latest, is_latest = latest_findings()
        code = f.standard.strip()
        where.append(exists().where(latest.inspection_id == Inspection.id, is_latest, or_(
            latest.indicator_id.startswith(f"{code}/", autoescape=True),
            latest.indicator_id.startswith(f"{code}-", autoescape=True))))
    if f.product:
        where.append(_product_clause(f.product.strip()))
    if f.flagged or f.interpretation:
        where.append(_flag_clause(f.flagged, f.interpretation))
    return where


def _outcome_clause(outcome: str):
    if outcome not in OUTCOMES:
        raise ValidationFailed("list_outcome", outcome=repr(outcome), details={"outcome": list(OUTCOMES)})
    latest, is_latest = latest_findings()
    verdict = func.coalesce(latest.server_outcome, latest.device_outcome)
    any_finding = exists().where(latest.inspection_id == Inspection.id)
    failing = exists().where(latest.inspection_id == Inspection.id, is_latest, verdict == "fail")
    if outcome == "fail":
        return failing
    if outcome == "pass":
        return and_(any_finding, ~failing)
    return ~any_finding


def _product_clause(text: str):
    """Inspections whose product matches: part of its name (the record's product_name), or
    a GTIN anywhere in the record (the single product or one of its products)."""
    if text.isdigit():
        return cast(Inspection.data, String).contains(f'"{text}"', autoescape=True)
    return Inspection.data["product_name"].as_string().icontains(text, autoescape=True)


def _flag_clause(kind: str | None, interpretation: str | None):
    clauses = [Flag.inspection_id == Inspection.id]
    if kind == "open":
        clauses.append(Flag.resolved_at.is_(None))
    elif kind == "disagreement":
        clauses.append(cast(Flag.data, String).not_like('%"kind"%'))
    elif kind:
        clauses.append(cast(Flag.data, String).contains(f'"{kind}"', autoescape=True))
    if interpretation:
        clauses.append(cast(Flag.data, String).contains(f'"{interpretation}"', autoescape=True))
    return exists().where(*clauses)


def order_by(sort: str = "updated", descending: bool = True) -> list:
    """Return the ORDER BY of a list sorted by `sort` (a key of SORTS), the id breaking ties."""
    column = SORTS.get(sort, Inspection.updated_at)
    return [column.desc() if descending else column.asc(), Inspection.id]


def list_inspections(principal: Principal, filters: InspectionFilters | None = None, *, sort: str = "updated",
                     descending: bool = True, limit: int = 100, offset: int = 0, summary: bool = False,
                     **values) -> list[dict]:
    """Return inspections inside the caller's subtree narrowed by `filters` (or the same
    names as keywords: status=, disagreement=, q=, …), sorted by `sort`; each row also has
    `inspector_name` (the inspector's display name, else the username).

    With `summary=True` each row also carries `summary` = {findings, fail, photos_missing,
    photos_referenced} (see inspection_summaries). Raises ValidationFailed for an unknown
    status or outcome, Forbidden for experts.
    """
    where = where_clauses(principal, filters or InspectionFilters.of(values))
    query = select(Inspection, accounts.username_of(Inspection.inspector_id),
                   accounts.display_name_of(Inspection.inspector_id)).where(*where)
    rows = db.session.execute(query.order_by(*order_by(sort, descending)).limit(limit).offset(offset)).all()
    items = [{**inspection_json(row, name), "inspector_name": shown} for row, name, shown in rows]
    if summary:
        summaries = inspection_summaries([row for row, _, _ in rows])
        for item in items:
            item["summary"] = summaries[item["id"]]
    return items


def count_inspections(principal: Principal, filters: InspectionFilters | None = None, **values) -> int:
    """Return how many inspections list_inspections would give with the same filters and no
    limit. Raises like list_inspections."""
    where = where_clauses(principal, filters or InspectionFilters.of(values))
    return db.session.execute(select(func.count()).select_from(Inspection).where(*where)).scalar_one()


def inspection_summaries(inspections: list[Inspection]) -> dict[str, dict]:
    """Return {inspection id: {findings, fail, photos_missing, photos_referenced}} for the
    given rows in two queries (every finding revision of those inspections, then which
    referenced photos have arrived). Counts use the newest revision of each finding; fail is
    the server's outcome, else the tablet's. Raises nothing."""
    ids = [row.id for row in inspections]
    latest: dict[str, tuple] = {}
    if ids:
        for fid, revision, inspection_id, server_outcome, device_outcome, data in db.session.execute(
                select(Finding.id, Finding.revision, Finding.inspection_id, Finding.server_outcome,
                       Finding.device_outcome, Finding.data).where(Finding.inspection_id.in_(ids))):
            if fid not in latest or revision > latest[fid][0]:
                latest[fid] = (revision, inspection_id, server_outcome or device_outcome, data or {})
    out = {row.id: {"findings": 0, "fail": 0, "refs": {p for p in (row.data or {}).get("photos") or ()
                                                        if photos.is_sha256(p)}} for row in inspections}
    for _, inspection_id, outcome, data in latest.values():
        entry = out[inspection_id]
        entry["findings"] += 1
        entry["fail"] += outcome == "fail"
        entry["refs"] |= {p for p in data.get("photos") or () if photos.is_sha256(p)}
    missing = photos.photos_missing(set().union(*(e["refs"] for e in out.values()))) if out else set()
    for entry in out.values():
        refs = entry.pop("refs")
        entry["photos_referenced"], entry["photos_missing"] = len(refs), len(refs & missing)
    return out


def company_names(principal: Principal, ids: list[str]) -> dict[str, str | None]:
    """Return {inspection id: company name} of those of `ids` the caller may see (others
    left out: their existence is not revealed). Raises Forbidden for experts."""
    if not ids:
        return {}
    where = where_clauses(principal, InspectionFilters())
    return dict(db.session.execute(select(Inspection.id, Inspection.company_name)
                                   .where(Inspection.id.in_(ids), *where)).all())
