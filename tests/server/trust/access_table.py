"""THE expected answers of the access matrix, written by hand (docs/security.md shows the
same table): every API operation and console page × every role × where the caller sits
relative to the record.

The records (an inspection, its photo, a question, a tablet) belong to the district
朝阳区 110105 and to the inspector `ins_own`. Each role has one user at each POSITION:

    own      110105 朝阳区 (the record's district; the inspector there is the owner)
    sibling  110108 海淀区 (another district of the same city)
    parent   110100 北京市市辖区 (the city above the record)
    province 110000 北京市 (the province above)
    other    310115 浦东新区 (another province)

A row gives, per role, one letter per position (in POSITIONS order):
    O  allowed (any answer past the access check: 2xx, 3xx, or 400/409 for the body)
    F  403 forbidden          H  404 not found (the record's existence is not revealed)
Tokens: `ins_own`'s tablet token answers as `ins_own`; a revoked tablet, an expired token
and a garbage token answer 401 everywhere but on PUBLIC routes.

Each row names the policy action it exercises (server.kernel.access.POLICY): the mutation
test removes each part of each rule in turn and expects some row of that action to fail.
"""
from __future__ import annotations

from dataclasses import dataclass

POSITIONS = ("own", "sibling", "parent", "province", "other")
CODES = {"own": "110105", "sibling": "110108", "parent": "110100", "province": "110000", "other": "310115"}
ROLES = ("inspector", "supervisor", "expert", "admin", "registrar")
ROLE_PREFIX = {"inspector": "ins", "supervisor": "sup", "expert": "exp", "admin": "adm", "registrar": "reg"}


@dataclass(frozen=True)
class Op:
    """One operation: `name`, HTTP `method` and `path` (placeholders {I} inspection, {P}
    photo, {Q} question, {D} device, {G} product, {X} interpretation, {L} plan, {T} task,
    {R} a published result's task), `body`, the policy
    `action`, the expected letters per role, and `fresh`: a record made anew per case
    ("inspection", "inspection_by_sup", "inspection_approved", "device",
    "product") because the call changes it."""

    name: str
    method: str
    path: str
    action: str
    expect: dict
    body: object = None
    fresh: str | None = None
    console: bool = False


def row(inspector, supervisor, expert, admin, registrar) -> dict:
    return dict(zip(ROLES, (inspector, supervisor, expert, admin, registrar), strict=True))


ALL = row("OOOOO", "OOOOO", "OOOOO", "OOOOO", "OOOOO")
SUBTREE_READ = row("OHOOH", "OHOOH", "FFFFF", "OOOOO", "FFFFF")
SUPERVISE = row("FFFFF", "OHOOH", "FFFFF", "OOOOO", "FFFFF")
SUPERVISORS = row("FFFFF", "OOOOO", "FFFFF", "OOOOO", "FFFFF")
EXPERTS = row("FFFFF", "FFFFF", "OOOOO", "OOOOO", "FFFFF")
ADMINS = row("FFFFF", "FFFFF", "FFFFF", "OOOOO", "FFFFF")
READERS = row("OOOOO", "OOOOO", "FFFFF", "OOOOO", "FFFFF")
REGISTRY = row("FFFFF", "FFFFF", "FFFFF", "OOOOO", "FFFOF")     # a registrar of a province only
CONSOLE_SUPERVISE = row("FFFFF", "OHOOH", "FFFFF", "OOOOO", "FFFFF")
#: the enforcement cycle's pages (issue 13) — supervisors of the record's subtree, admins:
#: a list page of plans, draws, tasks or orders is SUPERVISORS (rows filtered by subtree),
#: a page of one plan/task/order of 110105 is CONSOLE_SUPERVISE; add the record as a fresh
#: kind or to build_world's ids when the page needs one (access_matrix.py)
PLANNERS = SUPERVISORS
PLANNING_RECORD = CONSOLE_SUPERVISE
#: a record of 110105 owned by ins_own in a pull: the owner, supervisors of its subtree, admins
PULL_RECORD = row("OHHHH", "OHOOH", "HHHHH", "OOOOO", "HHHHH")

PRODUCT = {"name": "婴儿连体衣", "category": "infant", "product_class": "A", "standards": "GB 18401"}
CSV = "gtin,name,category,product_class,company_name,credit_code,standards\n6901234567892,连体衣,infant,A,,,GB 18401\n"

OPS: tuple[Op, ...] = (
    # accounts
    Op("me", "GET", "/api/v1/auth/me", "account.self", ALL),
    Op("logout", "POST", "/api/v1/auth/logout", "account.self", ALL),
    Op("unlock", "POST", "/api/v1/auth/users/ins_own/unlock", "user.unlock", ADMINS),
    Op("audit", "GET", "/api/v1/auth/audit", "audit.read", ADMINS),
    Op("c_audit", "GET", "/console/audit/", "audit.read", row("FFFFF", "FFFFF", "FFFFF", "OOOOO", "FFFFF"),
       console=True),
    Op("notifications", "GET", "/api/v1/questions/notifications", "account.self", ALL),
    # tablets
    Op("devices", "GET", "/api/v1/devices/", "device.list", SUPERVISORS),
    Op("enrolment", "POST", "/api/v1/devices/enrolments", "device.enrol", SUPERVISE, {"username": "ins_own"}),
    Op("enrolment_of_admin", "POST", "/api/v1/devices/enrolments", "device.enrol",
       row("FFFFF", "FHFFH", "FFFFF", "OOOOO", "FFFFF"), {"username": "adm_own"}),
    Op("revoke", "POST", "/api/v1/devices/{D}/revoke", "device.revoke", SUPERVISE, fresh="device"),
    # inspections
    Op("inspections", "GET", "/api/v1/inspections/", "inspection.list", READERS),
    Op("inspection", "GET", "/api/v1/inspections/{I}", "inspection.read", SUBTREE_READ),
    Op("photo_status", "GET", "/api/v1/inspections/{I}/photo-status", "inspection.read", SUBTREE_READ),
    Op("review", "POST", "/api/v1/inspections/{I}/reviews", "inspection.review", SUPERVISE,
       {"outcome": "approved"}, fresh="inspection"),
    Op("review_own", "POST", "/api/v1/inspections/{I}/reviews", "inspection.review",
       row("FFFFF", "FHOOH", "FFFFF", "OOOOO", "FFFFF"), {"outcome": "approved"}, fresh="inspection_by_sup"),
    Op("push_new", "POST", "/api/v1/sync/push", "inspection.write",
       row("OFOOF", "OFOOF", "FFFFF", "OOOOO", "FFFFF"), "push_new"),
    Op("push_edit", "POST", "/api/v1/sync/push", "inspection.write",
       row("OFFFF", "OFOOF", "FFFFF", "OOOOO", "FFFFF"), "push_edit", fresh="inspection"),
    # photos
    Op("photo", "GET", "/api/v1/photos/{P}", "photo.read", SUBTREE_READ),
    Op("photo_original", "GET", "/api/v1/photos/{P}/original", "photo.read", SUBTREE_READ),
    Op("photo_thumb", "GET", "/api/v1/photos/{P}/thumb", "photo.read", SUBTREE_READ),
    Op("photo_check", "POST", "/api/v1/photos/check", "photo.read", SUBTREE_READ, "photo_check"),
    Op("photo_publish", "POST", "/api/v1/photos/{P}/publish", "photo.publish", SUPERVISE),
    Op("photo_withdraw", "DELETE", "/api/v1/photos/{P}/publish", "photo.publish", SUPERVISE),
    Op("upload_create", "POST", "/api/v1/uploads", "photo.upload", READERS, "tus"),
    # registry
    Op("products", "GET", "/api/v1/products/", "registry.read", ALL),
    Op("product", "GET", "/api/v1/products/06901234567892", "registry.read", ALL),
    Op("product_put", "PUT", "/api/v1/products/{G}", "registry.write", REGISTRY, PRODUCT, fresh="product"),
    Op("product_withdraw", "DELETE", "/api/v1/products/{G}", "registry.write", REGISTRY, fresh="product"),
    Op("product_import", "POST", "/api/v1/products/import?dry_run=true", "registry.write", REGISTRY, "csv"),
    # questions and interpretations
    Op("questions", "GET", "/api/v1/questions/", "question.read", ALL),
    Op("question", "GET", "/api/v1/questions/{Q}", "question.read",
       row("OHHHH", "OHOOH", "OOOOO", "OOOOO", "HHHHH")),
    Op("answer", "POST", "/api/v1/questions/{Q}/answers", "question.answer", EXPERTS, {"text": "适用。"}),
    Op("expert_fields", "PUT", "/api/v1/questions/experts/exp_own/fields", "expert.fields", ADMINS,
       {"fields": ["textiles"]}),
    Op("publish", "POST", "/api/v1/interpretations/", "interpretation.publish", EXPERTS, {}),
    Op("publish_version", "POST", "/api/v1/interpretations/{X}/versions", "interpretation.publish", EXPERTS, {}),
    # figures and sync
    Op("compliance", "GET", "/api/v1/compliance/stats", "statistics.read", SUPERVISORS),
    Op("pull", "GET", "/api/v1/sync/pull?limit=1", "sync.use", ALL),
    Op("digest", "POST", "/api/v1/sync/digest", "sync.use", ALL, {"digests": {}}),
    # what a pull serves: O = the record is in the caller's pull, H = it is not
    Op("pull_inspection", "GET", "/api/v1/sync/pull", "pull.subtree", PULL_RECORD, "pull_inspection"),
    Op("pull_inspection_all", "GET", "/api/v1/sync/pull", "pull.everything", PULL_RECORD, "pull_inspection"),
    # 回头看: a colleague's inspection (not the owner's own: the tablet has it), in the subtree
    Op("pull_history", "GET", "/api/v1/sync/pull", "pull.history",
       row("HHOOH", "OHOOH", "HHHHH", "OOOOO", "HHHHH"), "pull_history"),
    Op("pull_question", "GET", "/api/v1/sync/pull", "pull.questions",
       row("OHHHH", "OHOOH", "OOOOO", "OOOOO", "HHHHH"), "pull_question"),
    # console pages (inspectors and registrars cannot sign in: console.enter)
    Op("c_home", "GET", "/console/", "console.enter", row("FFFFF", "OOOOO", "OOOOO", "OOOOO", "FFFFF"),
       console=True),
    Op("c_inspections", "GET", "/console/inspections/", "inspection.list", SUPERVISORS, console=True),
    Op("c_inspection", "GET", "/console/inspections/{I}", "inspection.read", CONSOLE_SUPERVISE, console=True),
    Op("c_review", "POST", "/console/inspections/{I}/review", "inspection.review", CONSOLE_SUPERVISE,
       {"outcome": "approved", "comment": ""}, fresh="inspection", console=True),
    Op("c_photo", "GET", "/console/photos/{P}/thumb", "photo.read", CONSOLE_SUPERVISE, console=True),
    Op("c_devices", "GET", "/console/devices/", "device.list", SUPERVISORS, console=True),
    Op("c_enrol", "POST", "/console/devices/enrol", "device.enrol", CONSOLE_SUPERVISE,
       {"username": "ins_own", "device_label": "x"}, console=True),
    Op("c_revoke", "GET", "/console/devices/{D}/revoke", "device.revoke", CONSOLE_SUPERVISE, fresh="device",
       console=True),
    Op("c_compliance", "GET", "/console/compliance/", "statistics.read", SUPERVISORS, console=True),
    Op("c_questions", "GET", "/console/questions/", "question.queue", EXPERTS, console=True),
    Op("c_question", "GET", "/console/questions/{Q}", "question.queue", EXPERTS, console=True),
    Op("c_answer", "POST", "/console/questions/{Q}/answer", "question.answer", EXPERTS, {"text": "适用。"},
       console=True),
    Op("c_publish", "POST", "/console/questions/{Q}/publish", "interpretation.publish", EXPERTS, {},
       console=True),
    Op("c_standards", "GET", "/console/standards/", "console.enter",
       row("FFFFF", "OOOOO", "OOOOO", "OOOOO", "FFFFF"), console=True),
    Op("c_standard", "GET", "/console/standards/GB 18401-2010", "console.enter",
       row("FFFFF", "OOOOO", "OOOOO", "OOOOO", "FFFFF"), console=True),
    Op("workbook_check", "POST", "/api/v1/catalog/workbook?check=true", "catalog.import", EXPERTS),
    Op("c_flags", "GET", "/console/flags/", "flag.follow_up", SUPERVISORS, console=True),
    Op("c_flag_act", "POST", "/console/flags/no-such-flag/act", "flag.follow_up", SUPERVISORS,
       {"action": "acknowledge"}, console=True),
    Op("c_my", "GET", "/console/my/", "console.enter", row("FFFFF", "OOOOO", "OOOOO", "OOOOO", "FFFFF"), console=True),
    Op("c_view_save", "POST", "/console/views/inspections/save", "console.enter", row("FFFFF", "OOOOO", "OOOOO", "OOOOO", "FFFFF"),
       {"name": "v"}, console=True),
    Op("c_view_delete", "POST", "/console/views/inspections/delete", "console.enter", row("FFFFF", "OOOOO", "OOOOO", "OOOOO", "FFFFF"),
       {"name": "v"}, console=True),
    Op("c_bulk_approve", "POST", "/console/inspections/bulk-approve", "inspection.review", SUPERVISORS,
       {"ids": "no-such-inspection"}, console=True),
    Op("c_export", "GET", "/console/inspections/export/inspections.csv", "inspection.list", SUPERVISORS,
       console=True),
    Op("c_document", "GET", "/console/inspections/{I}/report.pdf", "inspection.read", CONSOLE_SUPERVISE,
       console=True),
    Op("c_photo_viewer", "GET", "/console/inspections/{I}/photos/1", "photo.read", CONSOLE_SUPERVISE,
       console=True),
    Op("c_figures", "GET", "/console/figures/", "statistics.read", SUPERVISORS, console=True),
    Op("c_figures_export", "GET", "/console/figures/export.csv", "statistics.read", SUPERVISORS, console=True),
    # the enforcement cycle ({L} a drawn plan of 朝阳区, {T} its open task, {R} a published result)
    Op("c_plans", "GET", "/console/plans/", "plan.read", SUPERVISORS, console=True),
    Op("c_plan_new", "GET", "/console/plans/new", "plan.write", SUPERVISORS, console=True),
    Op("c_plan_create", "POST", "/console/plans/new", "plan.write", SUPERVISORS, {"id": ""}, console=True),
    Op("c_plan", "GET", "/console/plans/{L}", "plan.read", CONSOLE_SUPERVISE, console=True),
    Op("c_plan_verify", "GET", "/console/plans/{L}/verify", "plan.read", CONSOLE_SUPERVISE, console=True),
    Op("c_plan_report", "GET", "/console/plans/{L}/report", "plan.read", CONSOLE_SUPERVISE, console=True),
    Op("c_plan_commit", "POST", "/console/plans/{L}/commit", "plan.write", CONSOLE_SUPERVISE, {}, console=True),
    Op("c_results", "GET", "/console/plans/{L}/results", "result.publish", CONSOLE_SUPERVISE, console=True),
    Op("c_results_publish", "POST", "/console/plans/{L}/publish", "result.publish", CONSOLE_SUPERVISE, {},
       console=True),
    Op("c_result_withdraw", "POST", "/console/plans/{L}/results/{R}/withdraw", "result.publish", CONSOLE_SUPERVISE,
       {"reason": "更正"}, console=True),
    Op("c_tasks", "GET", "/console/tasks/", "task.manage", SUPERVISORS, console=True),
    Op("c_task", "GET", "/console/tasks/{T}", "task.manage", CONSOLE_SUPERVISE, console=True),
    Op("c_task_reassign", "POST", "/console/tasks/{T}/reassign", "task.manage", CONSOLE_SUPERVISE, {},
       console=True),
    Op("c_task_cancel", "POST", "/console/tasks/{T}/cancel", "task.manage", CONSOLE_SUPERVISE, {"reason": "测试"},
       console=True),
    Op("c_orders", "GET", "/console/orders/", "task.manage", SUPERVISORS, console=True),
    # published interpretations managed by experts ({X}: none such, so experts and admins get 404)
    Op("c_interpretations", "GET", "/console/interpretations/", "interpretation.publish", EXPERTS, console=True),
    Op("c_interpretation", "GET", "/console/interpretations/{X}", "interpretation.publish",
       row("FFFFF", "FFFFF", "HHHHH", "HHHHH", "FFFFF"), console=True),
    Op("c_revise", "POST", "/console/interpretations/{X}/revise", "interpretation.publish",
       row("FFFFF", "FFFFF", "HHHHH", "HHHHH", "FFFFF"), {"effect_key": "method", "method_value": "full",
                                                          "effective": "2024-01-01"}, console=True),
    Op("c_withdraw", "GET", "/console/interpretations/{X}/withdraw", "interpretation.publish",
       row("FFFFF", "FFFFF", "HHHHH", "HHHHH", "FFFFF"), console=True),
    # administration (console, admins; never on the admin's own account)
    Op("c_users", "GET", "/console/users/", "user.list", ADMINS, console=True),
    Op("c_user", "GET", "/console/users/ins_own", "user.list", ADMINS, console=True),
    Op("c_user_create", "POST", "/console/users/create", "user.manage", ADMINS, {"username": "Bad Name"},
       console=True),
    Op("c_user_edit_admin", "POST", "/console/users/adm_own/edit", "user.manage",
       row("FFFFF", "FFFFF", "FFFFF", "FOOOO", "FFFFF"), {"role": "no-such-role"}, console=True),
    Op("c_user_act", "GET", "/console/users/ins_own/disable", "user.manage", ADMINS, console=True),
    Op("c_user_unlock", "GET", "/console/users/ins_own/unlock", "user.unlock", ADMINS, console=True),
    Op("c_jurisdictions", "GET", "/console/jurisdictions/", "user.list", ADMINS, console=True),
    Op("c_jurisdiction_create", "POST", "/console/jurisdictions/create", "jurisdiction.manage", ADMINS,
       {"code": "110199", "name": ""}, console=True),
    Op("c_jurisdiction_rename", "POST", "/console/jurisdictions/110105/rename", "jurisdiction.manage", ADMINS,
       {"name": ""}, console=True),
    Op("c_expert_fields", "GET", "/console/experts/exp_own/fields", "expert.fields", ADMINS, console=True),
    Op("c_reopen", "POST", "/console/inspections/{I}/reopen", "inspection.reopen", CONSOLE_SUPERVISE,
       {"reason": "x"}, fresh="inspection_approved", console=True),
    Op("c_reopen_own", "POST", "/console/inspections/{I}/reopen", "inspection.reopen",
       row("FFFFF", "FHOOH", "FFFFF", "OOOOO", "FFFFF"), {"reason": "x"}, fresh="inspection_by_sup",
       console=True),
    Op("c_logout", "POST", "/console/logout", "console.enter", row("FFFFF", "OOOOO", "OOOOO", "OOOOO", "FFFFF"),
       console=True),
)

#: routes outside the matrix, with the reason (endpoint → why)
PUBLIC = {
    "resolver.resolver_description": "GS1 resolver description: public by design",
    "resolver.missing_gtin": "public resolver", "resolver.resolve_gtin": "public resolver (phones)",
    "resolver.standard": "public standard page", "resolver.static": "static files",
    "faq.index": "published interpretations: public", "faq.detail": "published interpretations: public",
    "faq.static": "static files", "static": "static files", "console.static": "static files",
    "swagger_ui_static": "static files", "api-docs.openapi_swagger_ui": "API documentation",
    "api-docs.openapi_json": "API documentation", "meta.health": "health check",
    "auth.login": "sign-in (throttled: tests/server/trust/test_login_throttle.py)",
    "console.login": "sign-in page", "devices.enrol": "a one-time code and the officer's password",
    "photos.public": "published copies only (test_photo_endpoints.py)",
    "interpretations.list_interpretations": "published interpretations: public",
    "interpretations.get_interpretation": "published interpretations: public",
    "planning_public.results_index": "一公开: published results, public by design (tests/server/planning)",
    "planning_public.results_plan": "一公开: published results", "planning_public.results_csv": "一公开",
    "planning_public.results_json": "一公开", "planning_public.results_draw": "一公开: the published draw",
    "planning_public.selfcheck_page": "合规自查清单: public by design (tests/server/planning)",
    "planning_public.selfcheck_pdf": "合规自查清单 as PDF: public",
    "site.home": "the public home page", "site.search": "public search over standards, products, interpretations",
    "meta.ready": "readiness probe for load balancers (says only ok / degraded / failing)",
    "metrics.metrics": "Prometheus scrape (counts and latencies, no records; keep it on the internal network: docs/operations.md)",
    "uploads.discover": "tus OPTIONS", "uploads.discover_1": "tus OPTIONS",
    "uploads.head": "an upload answers only its creator (uploads.service; tests/server/uploads)",
    "uploads.patch": "an upload answers only its creator (uploads.service; tests/server/uploads)",
    "uploads.delete": "an upload answers only its creator (uploads.service; tests/server/uploads)",
}
