"""Presentation helpers of the inspection pages: finding revisions grouped, counts,
products. Only reads; every rule about what a caller may see stays in the services that
produced the dicts passed in.
"""
from __future__ import annotations


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
