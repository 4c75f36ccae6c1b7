"""The two directories (一单两库) and the item list in the database: imports from CSV/XLSX
through `sampling`'s row checks with the row-by-row report (like the registry's import),
each import recorded in the evidence log, and the reads the draw needs.

    import_enterprises(principal, content, filename) -> report     # 检查对象名录库
    import_inspectors(principal, content, filename) -> report      # 执法检查人员名录库
    import_items(principal, content, filename) -> report           # 随机抽查事项清单

A report is `sampling.RowReport.to_dict()` plus {source, kind, dry_run, added, changed,
unchanged, outside}. A row whose jurisdiction lies outside the caller's subtree is rejected
(the reason says so); the others are applied. Re-importing the same file changes nothing.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from sampling import Enterprise as EnterpriseValue
from sampling import Inspector as InspectorValue
from sampling import TableError, check_enterprise_file, check_inspector_file, check_item_file
from sampling.tables import RowReport
from server.accounts import service as accounts
from server.evidence import service as evidence
from server.kernel import clock
from server.kernel.access import require_action, subtree_filter
from server.kernel.auth import Principal
from server.kernel.errors import ValidationFailed
from server.kernel.extensions import db
from server.planning.models import Enterprise, InspectionItem, RosterInspector
from server.registry import service as registry

OUTSIDE = "不在本人辖区内 (outside your jurisdiction)"


def _read(check, content: bytes, filename: str, **kw) -> RowReport:
    try:
        return check(content, filename, **kw)
    except TableError as exc:
        raise ValidationFailed("table", problem=str(exc), details={"file": [str(exc)]}) from exc


def _path_of(code: str) -> str | None:
    return accounts.jurisdiction_path(code)


def _report(report: RowReport, kind: str, source: str, dry_run: bool) -> dict[str, Any]:
    return {**report.to_dict(), "kind": kind, "source": source, "dry_run": dry_run,
            "added": 0, "changed": 0, "unchanged": 0}


def _apply(principal: Principal, report: RowReport, out: dict[str, Any], save, jurisdiction_of, *,
           dry_run: bool) -> None:
    """Refuse rows outside the caller's subtree, save the rest, count the results."""
    by_row = {r["row"]: r for r in out["rows"]}
    for row in report.rows:
        if not row.accepted:
            continue
        code = jurisdiction_of(row.value)
        path = _path_of(code) if code else principal.jurisdiction_path
        if code and path is None:
            row_out = by_row[row.row]
            row_out["status"] = "rejected"
            row_out["errors"].append({"column": "jurisdiction", "column_label": "辖区",
                                      "reason": f"未知行政区划 {code} (unknown jurisdiction)"})
            out["accepted"] -= 1
            out["rejected"] += 1
            continue
        if not principal.in_subtree(path):
            row_out = by_row[row.row]
            row_out["status"] = "rejected"
            row_out["errors"].append({"column": "jurisdiction", "column_label": "辖区", "reason": OUTSIDE})
            out["accepted"] -= 1
            out["rejected"] += 1
            continue
        result = "unchanged" if dry_run else save(row.value, path)
        by_row[row.row]["result"] = result
        out[result] += 1


def _upsert(model, key: dict[str, Any], columns: dict[str, Any], *, versioned: bool = True) -> str:
    """Add the row of `model` with primary key `key`, or bring it to `columns`; return
    "added", "unchanged" or "changed" (the row report's words). Versioned rows count up."""
    row = db.session.get(model, next(iter(key.values())))
    if row is None:
        db.session.add(model(**key, updated_at=clock.now(), **({"version": 1} if versioned else {}), **columns))
        return "added"
    if all(getattr(row, k) == v for k, v in columns.items()):
        return "unchanged"
    for name, value in columns.items():
        setattr(row, name, value)
    if versioned:
        row.version += 1
    row.updated_at = clock.now()
    return "changed"


def _save_enterprise(value: EnterpriseValue, path: str) -> str:
    return _upsert(Enterprise, {"credit_code": value.credit_code}, {
        "name": value.name, "address": value.address, "jurisdiction_code": value.jurisdiction,
        "jurisdiction_path": path, "industry": value.industry, "risk_class": value.risk_class,
        "products": list(value.products)})


def _save_inspector(value: InspectorValue, path: str) -> str:
    return _upsert(RosterInspector, {"code": value.code}, {
        "name": value.name, "id_number": value.id_number, "jurisdiction_code": value.jurisdiction,
        "jurisdiction_path": path, "competences": sorted(value.competences),
        "conflicts": sorted(value.conflicts), "account": value.account})


def _save_item(value: dict, _path: str) -> str:
    return _upsert(InspectionItem, {"id": value["id"]},
                   {k: value[k] for k in ("name", "competence", "legal_basis", "category", "standards", "indicators")},
                   versioned=False)


def _import(principal: Principal, kind: str, report: RowReport, save, jurisdiction_of, source: str,
            dry_run: bool) -> dict[str, Any]:
    out = _report(report, kind, source, dry_run)
    _apply(principal, report, out, save, jurisdiction_of, dry_run=dry_run)
    if not dry_run:
        db.session.flush()
        evidence.append_event("imported", actor=principal.username, record_type=kind, record_id=source[:200],
                              details={"rows": len(out["rows"]), "accepted": out["accepted"],
                                       "rejected": out["rejected"], "added": out["added"],
                                       "changed": out["changed"]})
    return out


def import_enterprises(principal: Principal, content: bytes, filename: str = "", *, source: str | None = None,
                       dry_run: bool = False) -> dict[str, Any]:
    """Import a 检查对象名录库 file (CSV UTF-8/GB18030 or XLSX); return the row report.
    Raises Forbidden (not a supervisor), ValidationFailed (the file cannot be read)."""
    require_action(principal, "directory.import")
    report = _read(check_enterprise_file, content, filename)
    return _import(principal, "enterprises", report, _save_enterprise, lambda v: v.jurisdiction,
                   source or filename or "upload", dry_run)


def import_inspectors(principal: Principal, content: bytes, filename: str = "", *, source: str | None = None,
                      dry_run: bool = False) -> dict[str, Any]:
    """Import a 执法检查人员名录库 file; return the row report. Raises like import_enterprises."""
    require_action(principal, "directory.import")
    report = _read(check_inspector_file, content, filename)
    return _import(principal, "inspectors", report, _save_inspector, lambda v: v.jurisdiction,
                   source or filename or "upload", dry_run)


def import_items(principal: Principal, content: bytes, filename: str = "", *, source: str | None = None,
                 dry_run: bool = False) -> dict[str, Any]:
    """Import a 随机抽查事项清单 file; return the row report. Raises like import_enterprises."""
    require_action(principal, "directory.import")
    report = _read(check_item_file, content, filename)
    return _import(principal, "items", report, _save_item, lambda _v: None, source or filename or "upload",
                   dry_run)


def items_by_id(ids: Iterable[str]) -> dict[str, dict]:
    """Return {id: item dict} of the listed item ids that exist."""
    wanted = list(dict.fromkeys(ids))
    rows = db.session.execute(select(InspectionItem).where(InspectionItem.id.in_(wanted))).scalars() if wanted else []
    return {r.id: {"id": r.id, "name": r.name, "competence": r.competence, "legal_basis": r.legal_basis,
                   "category": r.category, "standards": list(r.standards), "indicators": list(r.indicators)}
            for r in rows}


def directory_for(principal: Principal, path: str) -> list[EnterpriseValue]:
    """Return the enterprises of the subtree `path` as sampling values (credit code order)."""
    rows = db.session.execute(select(Enterprise).where(Enterprise.jurisdiction_path.startswith(path, autoescape=True))
                              .order_by(Enterprise.credit_code)).scalars()
    return [EnterpriseValue(credit_code=r.credit_code, name=r.name, jurisdiction=r.jurisdiction_code,
                            industry=r.industry, risk_class=r.risk_class, address=r.address,
                            products=tuple(r.products or ())) for r in rows]


def roster_for(principal: Principal, path: str) -> list[InspectorValue]:
    """Return the roster officers of the subtree `path` as sampling values (code order)."""
    rows = db.session.execute(select(RosterInspector)
                              .where(RosterInspector.jurisdiction_path.startswith(path, autoescape=True))
                              .order_by(RosterInspector.code)).scalars()
    return [InspectorValue(code=r.code, jurisdiction=r.jurisdiction_code, competences=tuple(r.competences),
                           conflicts=tuple(r.conflicts), name=r.name, id_number=r.id_number, account=r.account)
            for r in rows]


def list_enterprises(principal: Principal, *, q: str | None = None, limit: int = 100,
                     offset: int = 0) -> list[dict]:
    """Return directory rows in the caller's subtree (credit code order), filtered by `q`
    (part of the name or credit code). Raises Forbidden for roles that may not read it."""
    require_action(principal, "directory.read")
    query = select(Enterprise)
    scope = subtree_filter(principal, Enterprise.jurisdiction_path)
    if scope is not None:
        query = query.where(scope)
    if q and q.strip():
        text = q.strip()
        query = query.where(Enterprise.name.contains(text, autoescape=True)
                            | Enterprise.credit_code.contains(text.upper(), autoescape=True))
    rows = list(db.session.execute(query.order_by(Enterprise.credit_code).limit(limit).offset(offset)).scalars())
    registered = registered_products([r.credit_code for r in rows])
    return [{"credit_code": r.credit_code, "name": r.name, "address": r.address,
             "jurisdiction": r.jurisdiction_code, "industry": r.industry, "risk_class": r.risk_class,
             "products": list(r.products or ()), "registered_products": registered[r.credit_code],
             "version": r.version} for r in rows]


def registered_products(credit_codes: Iterable[str]) -> dict[str, list[dict]]:
    """Return {credit code: the registry's live products of the enterprise} — those
    registered to its credit code and those its directory row lists by GTIN (a GTIN the
    registry does not know is left out: the registry is the one list of products)."""
    codes = list(dict.fromkeys(credit_codes))
    listed = [g for row in db.session.execute(select(Enterprise.products).where(Enterprise.credit_code.in_(codes)))
              .scalars() for g in (row or ())] if codes else []
    found = registry.products_of(codes, listed)
    return {code: found.get(code, []) for code in codes}


def enterprise(credit_code: str) -> Enterprise | None:
    """Return the directory row of a credit code, or None."""
    return db.session.get(Enterprise, credit_code)


def accounts_of(codes: Iterable[str]) -> dict[str, int]:
    """Return {roster code: user id} of the listed officers who have a login."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return {}
    out = {}
    for code, account in db.session.execute(select(RosterInspector.code, RosterInspector.account)
                                            .where(RosterInspector.code.in_(wanted))):
        user = accounts.find_user(account) if account else None
        if user is not None:
            out[code] = user.id
    return out


def roster_codes_of(username: str) -> list[str]:
    """Return the roster codes whose login is `username`."""
    return list(db.session.execute(select(RosterInspector.code).where(RosterInspector.account == username)).scalars())

