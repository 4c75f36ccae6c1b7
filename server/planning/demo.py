"""The demo cycle (for the demo year and `make run`): the demo directories and item list,
one plan drawn with a fixed seed, results pushed and reviewed, one failure with its order
to correct, and the results published. Idempotent: a second call changes nothing.

    planning.service.demo_cycle()            # -> {plan_id, commitment_sha256, tasks, published, …}
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from server.accounts import service as accounts
from server.inspections import service as inspections
from server.kernel import clock
from server.kernel.extensions import db
from server.planning import cycle, directories, plans, publication
from server.planning.models import Plan, Task
from server.syncing import service as syncing

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "registry"
DEMO_PLAN_ID = "demo-2026-textile-chaoyang"
#: a fixed seed, so the demo draw is the same on every machine (never do this for a real plan)
DEMO_SEED = hashlib.sha256(b"gbfield demo draw 2026").hexdigest()
FORMALDEHYDE = "GB 18401-2010/4.1/formaldehyde/A"


def demo_plan_body(today: date) -> dict[str, Any]:
    """The demo plan: 朝阳区 textile enterprises, strata by credit-risk class, 20 % (D: 50 %)."""
    return {"id": DEMO_PLAN_ID, "name": "2026年朝阳区婴幼儿纺织产品双随机抽查（演示）", "items": ["textile-infant"],
            "scope": {"jurisdictions": ["110105"]}, "strata": ["risk_class"],
            "allocation": {"ratio": "0.2", "minimum": 1, "overrides": [{"where": {"risk_class": "D"}, "ratio": "0.5"}]},
            "inspectors_per_target": 2, "starts": today.isoformat(), "ends": (today + timedelta(days=60)).isoformat()}


def _import(principal) -> None:
    directories.import_enterprises(principal, (ASSETS / "demo_enterprises.csv").read_bytes(), "demo_enterprises.csv")
    directories.import_inspectors(principal, (ASSETS / "demo_inspectors.csv").read_bytes(), "demo_inspectors.csv")
    directories.import_items(principal, (ASSETS / "demo_items.csv").read_bytes(), "demo_items.csv")


def _inspect(officer, task: Task, measured: str, on: date) -> str:
    ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"gbfield-demo-inspection/{task.id}"))
    enterprise = task.data["enterprise"]
    data = {"id": ident, "inspected_on": on.isoformat(), "jurisdiction": task.jurisdiction_code,
            "company_name": enterprise["name"], "credit_code": task.credit_code, "address": enterprise["address"],
            "product_class": "A", "category": "infant", "task_id": task.id,
            "findings": [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"gbfield-demo-finding/{task.id}")), "revision": 1,
                          "indicator_id": FORMALDEHYDE, "measured": measured, "unit": "mg/kg",
                          "device_verdict": {"outcome": "pass" if float(measured) <= 20 else "fail"}}]}
    syncing.push(officer, {"items": [{"mutation_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"gbfield-demo-m/{ident}")),
                                      "entity": "inspection", "id": ident, "base_version": 0, "data": data}]})
    return ident


def demo_cycle(*, supervisor: str = "sup_chaoyang", officer: str = "insp_chaoyang",
               today: date | None = None) -> dict[str, Any]:
    """Run the demo cycle in the caller's unit of work (needs the demo users); returns a
    summary. Raises NotFound when the demo users are missing."""
    today = today or clock.now().date()
    boss = accounts.principal_of(supervisor, token_id="demo")
    if db.session.get(Plan, DEMO_PLAN_ID) is None:
        _import(boss)
        plans.create_plan(boss, demo_plan_body(today))
        plans.run(boss, DEMO_PLAN_ID, seed=DEMO_SEED)
        db.session.flush()
        worker = accounts.principal_of(officer, token_id="demo")
        tasks = db.session.query(Task).filter(Task.plan_id == DEMO_PLAN_ID).order_by(Task.credit_code).all()
        for n, task in enumerate(tasks):
            measured = "64" if n == 0 else str(8 + n % 10)
            ident = _inspect(worker, task, measured, today)
            db.session.flush()
            inspections.review_inspection(boss, ident, "approved")
            if n == 0:
                results = inspections.finding_results(ident)
                cycle.issue_order(boss, ident, [r["id"] for r in results], "甲醛含量超标，限期整改并召回同批次产品",
                                  today + timedelta(days=15), task_id=task.id,
                                  company_name=task.data["enterprise"]["name"])
        publication.publish(boss, DEMO_PLAN_ID, today=today)
    doc = plans.draw_document(DEMO_PLAN_ID) or {}
    return {"plan_id": DEMO_PLAN_ID, "commitment_sha256": doc.get("commitment_sha256"),
            "tasks": db.session.query(Task).filter(Task.plan_id == DEMO_PLAN_ID).count(),
            "published": len(publication.published_rows(plan_id=DEMO_PLAN_ID))}
