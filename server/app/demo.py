"""Demo data: jurisdictions, users with documented passwords, the real catalog, products
and a few inspections. Idempotent: running it twice changes nothing the second time."""
from __future__ import annotations

from datetime import date

import assets
from assets.registry import DEMO_CSV
from server.accounts import service as accounts
from server.accounts.models import User
from server.catalog.service import import_catalog
from server.inspections import service as inspections
from server.kernel.uow import unit_of_work
from server.registry.service import import_csv, live_product
from server.syncing.push import push

#: (code, name, parent)
JURISDICTIONS = (
    ("110000", "北京市", None),
    ("110100", "北京市市辖区", "110000"),
    ("110105", "朝阳区", "110100"),
    ("110108", "海淀区", "110100"),
    ("310000", "上海市", None),
    ("310100", "上海市市辖区", "310000"),
    ("310115", "浦东新区", "310100"),
)

#: (username, role, jurisdiction, display name). Every demo password is DEMO_PASSWORD.
USERS = (
    ("admin", "admin", "110000", "系统管理员"),
    ("sup_chaoyang", "supervisor", "110105", "朝阳区科室负责人"),
    ("sup_haidian", "supervisor", "110108", "海淀区科室负责人"),
    ("sup_pudong", "supervisor", "310115", "浦东新区科室负责人"),
    ("insp_chaoyang", "inspector", "110105", "朝阳区执法人员 张三"),
    ("insp_haidian", "inspector", "110108", "海淀区执法人员 李四"),
    ("insp_pudong", "inspector", "310115", "浦东新区执法人员 王五"),
    ("expert", "expert", "110000", "技术委员会专家"),
    ("registrar", "registrar", "110000", "北京市产品登记员"),
)
DEMO_PASSWORD = "gbfield-demo"

#: Products: GTINs with China prefixes (690–699) and valid check digits; companies with
#: valid 统一社会信用代码 check characters (made up, not real companies).
def seed_jurisdictions() -> None:
    """Create the demo jurisdiction tree (idempotent)."""
    for code, name, parent in JURISDICTIONS:
        accounts.ensure_jurisdiction(code, name, parent)


def seed_users(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Create the demo users (idempotent); returns them by username."""
    out = {}
    for username, role, code, name in USERS:
        user = accounts.find_user(username)
        if user is None:
            user = accounts.create_user(username, password, role, code, display_name=name)
        out[username] = user
    return out


def seed_products() -> int:
    """Import the demo product registry (assets/registry/demo_products.csv) through the
    registry's CSV import (idempotent); returns how many products were added or changed.

    Raises ValidationFailed when the shipped CSV is unusable (a packaging bug)."""
    report = import_csv(None, DEMO_CSV.read_bytes(), source="demo")
    return report["added"] + report["changed"]


DEMO_INSPECTIONS = (
    ("5f0c1a2e-0000-4000-8000-000000000001", "insp_chaoyang", "06901234567892",
     [("GB 18401-2010/4.1/formaldehyde/A", "15", "mg/kg", "pass"),
      ("GB 18401-2010/4.1/formaldehyde/A", "24", "mg/kg", "pass")]),   # the second disagrees on purpose
    ("5f0c1a2e-0000-4000-8000-000000000002", "insp_pudong", "06920000000012",
     [("GB 17761-2018/4.1/max-speed", "24.6", "km/h", "pass")]),
)


def seed_inspections(users: dict[str, User]) -> int:
    """Push the demo inspections through the push service (idempotent); returns how many."""
    count = 0
    for n, (ident, username, gtin, findings) in enumerate(DEMO_INSPECTIONS):
        if inspections.exists(ident):
            continue
        user = users[username]
        principal = accounts.principal_of(user.username, token_id="demo")
        product = live_product(gtin)
        data = {"id": ident, "inspected_on": date(2025, 6, 10 + n).isoformat(),
                "jurisdiction": user.jurisdiction_code, "company_name": product.get("company_name"),
                "credit_code": product.get("credit_code"), "address": "示例地址", "gtin": gtin,
                "product_name": product.get("name"), "product_class": product.get("product_class"),
                "batch": "B2025-06",
                "findings": [{"id": f"{ident[:-3]}{n}{k:02d}", "revision": 1, "indicator_id": ind,
                              "measured": measured, "unit": unit,
                              "device_verdict": {"outcome": outcome}, "ruleset_version": None}
                             for k, (ind, measured, unit, outcome) in enumerate(findings)]}
        push(principal, {"items": [{"mutation_id": f"{ident[:-3]}9{n}{n}", "entity": "inspection",
                                    "id": ident, "base_version": 0, "data": data}]})
        count += 1
    return count


def load_demo(*, with_inspections: bool = True) -> dict:
    """Load every piece of demo data (idempotent) in two units of work (the world, then the
    inspections pushed into it); returns a summary."""
    with unit_of_work():
        seed_jurisdictions()
        users = seed_users()
        summary = import_catalog(assets.load_catalog(), source="assets (demo)", effective_from=date(2000, 1, 1))
        products = seed_products()
    with unit_of_work():
        pushed = seed_inspections(users) if with_inspections else 0
    return {"catalog": summary, "products": products, "inspections": pushed,
            "users": [u[0] for u in USERS], "password": DEMO_PASSWORD}
