"""Presentation helpers: names for ids, local times, finding revisions grouped, counts.

Only reads (names of jurisdictions, users and indicators); every rule about what a caller
may see stays in the services that produced the dicts passed in.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.extensions import db
from server.models.accounts import Jurisdiction, User
from server.models.catalog import Indicator

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_time(value: str | None, with_date: bool = True) -> str:
    """Return an ISO timestamp as local (Beijing) time "YYYY-MM-DD HH:MM", or "—"."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TZ)
    return moment.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def jurisdiction_names(codes) -> dict[str, str]:
    """Return {code: name} for the given division codes."""
    codes = sorted({c for c in codes if c})
    if not codes:
        return {}
    return dict(db.session.execute(select(Jurisdiction.code, Jurisdiction.name)
                                   .where(Jurisdiction.code.in_(codes))).all())


def user_names(ids) -> dict[int, str]:
    """Return {user id: display name or username}."""
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.username, User.display_name).where(User.id.in_(ids))).all()
    return {uid: (display or name) for uid, name, display in rows}


def indicator_info(ids) -> dict[str, dict]:
    """Return {indicator id: {name, name_en, limit, unit, clause, edition_id}} from the catalog."""
    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    out = {}
    for row in db.session.execute(select(Indicator).where(Indicator.id.in_(ids))).scalars():
        data = row.data or {}
        out[row.id] = {"name": data.get("name") or row.id, "name_en": data.get("name_en") or data.get("name"),
                       "limit": data.get("limit"), "unit": data.get("unit"), "clause": row.clause,
                       "edition_id": row.edition_id}
    return out


def outcome_of(verdict) -> str | None:
    """Return a verdict dict's outcome ("pass" / "fail" / "inconclusive") or None."""
    return verdict.get("outcome") if isinstance(verdict, dict) else None


def group_findings(findings: list[dict]) -> list[dict]:
    """Group finding revisions by finding id: [{latest, history (older, newest first)}],
    ordered as the findings first appear."""
    groups: dict[str, list[dict]] = {}
    for item in findings:
        groups.setdefault(item["id"], []).append(item)
    out = []
    for revisions in groups.values():
        revisions.sort(key=lambda f: f["revision"])
        out.append({"latest": revisions[-1], "history": list(reversed(revisions[:-1]))})
    return out


def summary(detail: dict) -> dict:
    """Return {findings, fail, photos_missing, photos_referenced} of an inspection detail
    (latest revision of each finding; fail = the server's outcome, else the tablet's)."""
    latest = [g["latest"] for g in group_findings(detail.get("findings") or [])]
    fail = sum(1 for f in latest
               if (outcome_of(f.get("server_verdict")) or outcome_of(f.get("device_verdict"))) == "fail")
    status = detail.get("photo_status") or {}
    return {"findings": len(latest), "fail": fail, "photos_missing": len(status.get("missing") or []),
            "photos_referenced": len(status.get("referenced") or [])}


def products_of(detail: dict) -> list[dict]:
    """Return the inspection's products: `products` when given, else the single product fields."""
    products = [p for p in detail.get("products") or [] if isinstance(p, dict)]
    if products:
        return products
    single = {k: detail.get(k) for k in ("gtin", "product_name", "batch", "product_class", "manufactured_on")}
    if any(single.values()):
        return [{"gtin": single["gtin"], "name": single["product_name"], "batch": single["batch"],
                 "product_class": single["product_class"], "manufactured_on": single["manufactured_on"]}]
    return []


def parse_date(value: str) -> date | None:
    """Return a date from "YYYY-MM-DD", or None when empty/unreadable."""
    try:
        return date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None
