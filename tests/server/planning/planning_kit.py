"""Helpers of the planning tests: a world with a directory, a roster whose two 朝阳区
officers both have logins (so every target gets both), the item list and a plan."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from server_testkit import PASSWORD

from server.accounts import service as accounts
from server.kernel import uow
from server.planning import service as planning

ASSETS = Path(__file__).resolve().parents[3] / "assets" / "registry"
ROSTER = ("执法证号,姓名,身份证号,辖区,执法领域,回避企业,登录账号\n"
          "JC110105001,张三,110105199601011009,110105,textile,,insp_chaoyang\n"
          "JC110105002,赵敏,110105199702021011,110105,textile,,insp_chaoyang2\n"
          "JC110108001,李四,110108198001010015,110108,textile,,insp_haidian\n").encode()
PLAN_ID = "test-2026-textile"


def supervisor(name: str = "sup_chaoyang"):
    return accounts.principal_of(name)


def seed_world(app) -> None:
    """Directory, roster (two officers with logins in 朝阳区), item list; a second 朝阳区 login."""
    with app.app_context(), uow.unit_of_work():
        if accounts.find_user("insp_chaoyang2") is None:
            accounts.create_user("insp_chaoyang2", PASSWORD, "inspector", "110105", display_name="赵敏")
        admin = accounts.principal_of("admin")
        planning.import_enterprises(admin, (ASSETS / "demo_enterprises.csv").read_bytes(), "demo_enterprises.csv")
        planning.import_inspectors(admin, ROSTER, "roster.csv")
        planning.import_items(admin, (ASSETS / "demo_items.csv").read_bytes(), "demo_items.csv")


def plan_body(today: date, *, count: int = 3, plan_id: str = PLAN_ID) -> dict:
    return {"id": plan_id, "name": "测试双随机抽查", "items": ["textile-infant"], "scope": {"jurisdictions": ["110105"]},
            "strata": ["risk_class"], "allocation": {"count": count}, "inspectors_per_target": 2,
            "starts": today.isoformat(), "ends": (today + timedelta(days=30)).isoformat()}
