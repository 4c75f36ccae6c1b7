"""The planning feature's public service (the only module other features and tools call):
the directories and item list, plans and draws, tasks and orders to correct, 回头看,
publication (一公开), estimates and the demo cycle. docs/planning.md lists what each is for.
"""
from __future__ import annotations

from server.planning.assignments import (
    cancel_task,
    officer_problems,
    reassign_task,
    withdraw_result,
)
from server.planning.cycle import issue_order, on_review, reinspection_due
from server.planning.demo import demo_cycle
from server.planning.directories import (
    check_item_file,
    import_enterprises,
    import_inspectors,
    import_items,
    list_enterprises,
    registered_products,
)
from server.planning.plans import (
    commit,
    create_plan,
    draw_document,
    get_plan,
    list_plans,
    pseudonym,
    reveal,
    run,
)
from server.planning.publication import publish, publish_due, published_rows
from server.planning.queries import (
    list_orders,
    list_tasks,
    plan_estimate,
    plan_report,
    published_plans,
)

__all__ = ["cancel_task", "check_item_file", "commit", "create_plan", "demo_cycle", "draw_document", "get_plan",
           "import_enterprises", "import_inspectors", "import_items", "issue_order", "list_enterprises",
           "list_orders", "list_plans", "list_tasks", "officer_problems", "on_review", "plan_estimate", "plan_report", "pseudonym",
           "publish", "publish_due", "published_plans", "published_rows", "reassign_task", "registered_products", "reinspection_due", "reveal", "run",
           "withdraw_result"]
