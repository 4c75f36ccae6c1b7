"""Demo data: jurisdictions, users with documented passwords, the real catalog, products,
a few fixed inspections and a year of work (server.app.demo_year). Idempotent: running it
twice changes nothing the second time."""
from __future__ import annotations

import functools
import hashlib
import time as timer
from datetime import date, datetime

import assets
from assets.registry import DEMO_CSV
from server.accounts import service as accounts
from server.accounts.models import User
from server.app.demo_year import CHINA, PhotoMaker, YearPlan, frozen_clock, year_plan
from server.catalog.service import current_catalog, import_catalog
from server.inspections import service as inspections
from server.inspections.models import Inspection
from server.interpretations import service as interpretations
from server.interpretations.questions import answer_question
from server.kernel import clock
from server.kernel.auth import Principal
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work
from server.photos.service import store_photo
from server.planning import service as planning
from server.registry.service import import_csv, list_products, live_product
from server.statistics import service as statistics
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
#: the demo year's fourth district (seeded with the year only: tests keep the small world)
YEAR_JURISDICTIONS = (("310104", "徐汇区", "310100"),)

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
#: the users the demo year adds (same password)
YEAR_USERS = (
    ("sup_xuhui", "supervisor", "310104", "徐汇区科室负责人"),
    ("insp_chaoyang2", "inspector", "110105", "朝阳区执法人员 赵敏"),
    ("insp_haidian2", "inspector", "110108", "海淀区执法人员 钱伟"),
    ("insp_pudong2", "inspector", "310115", "浦东新区执法人员 孙丽"),
    ("insp_xuhui", "inspector", "310104", "徐汇区执法人员 周杰"),
    ("insp_xuhui2", "inspector", "310104", "徐汇区执法人员 吴芳"),
)
DEMO_PASSWORD = "gbfield-demo"

#: Products: GTINs with China prefixes (690–699) and valid check digits; companies with
#: valid 统一社会信用代码 check characters (made up, not real companies).
def seed_jurisdictions() -> None:
    """Create the demo jurisdiction tree (idempotent)."""
    for code, name, parent in JURISDICTIONS:
        accounts.ensure_jurisdiction(code, name, parent)


def seed_users(password: str = DEMO_PASSWORD, users: tuple = USERS) -> dict[str, User]:
    """Create the demo users (idempotent); returns them by username."""
    out, hashed = {}, None
    for username, role, code, name in users:
        user = accounts.find_user(username)
        if user is None:
            hashed = hashed or accounts.hash_password(password)    # one argon2 run for them all
            user = accounts.create_user(username, password, role, code, display_name=name, password_hash=hashed)
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


#: the seed of the demo year (the same seed, the same year relative to today)
DEMO_SEED = 2026


@functools.cache
def _principal(username: str) -> Principal:
    """The demo user `username` acting through the services (cached for one load)."""
    return accounts.principal_of(username, token_id="demo")


def _push_one(username: str, entity: str, ident: str, data: dict, base_version: int, tag: str) -> dict:
    principal = _principal(username)
    mutation = hashlib.sha256(f"{tag}:{ident}:{base_version}".encode()).hexdigest()[:32]
    answer = push(principal, {"items": [{"mutation_id": mutation, "entity": entity, "id": ident,
                                         "base_version": base_version, "data": data}]})
    return answer["results"][0]


def apply_year(plan: YearPlan, *, photo_maker: PhotoMaker | None = None) -> dict:
    """Apply a demo year (server.app.demo_year.year_plan) through the services: photos,
    pushes, reviews, corrections, questions, answers and publications, each at its own
    moment on the server's clock. The caller commits. Returns counts."""
    events: list[tuple[datetime, int, str, object]] = []
    for n, item in enumerate(plan.inspections):
        events.append((item.at, n, "push", item))
        for k, review in enumerate(item.reviews):
            if item.resubmit_at and k == 1:
                events.append((item.resubmit_at, n, "resubmit", item))
            events.append((review[0], n, "review", (item, review)))
        if item.resubmit_at and len(item.reviews) == 1:
            events.append((item.resubmit_at, n, "resubmit", item))
    for n, question in enumerate(plan.questions):
        events.append((question["at"], 10_000 + n, "question", question))
        if question["answer"]:
            events.append((question["answer"][0], 10_000 + n, "answer", question))
    for n, publication in enumerate(plan.publications):
        events.append((publication["at"], 20_000 + n, "publish", publication))
    events.sort(key=lambda e: (e[0], e[1]))
    # every photo asked for at once, in push order: the maker can draw them while we push
    jobs = [(mark, int(item.id[:8], 16) % 10_000 + k) for _at, _n, kind, item in events
            if kind == "push" for k, mark in enumerate(item.photos)]
    photos = iter(photo_maker(jobs) if photo_maker is not None and jobs else ())
    counts = {"inspections": 0, "reviews": 0, "photos": 0, "questions": 0, "answers": 0, "published": 0, "flags": 0}
    answers: dict[int, str] = {}
    _principal.cache_clear()      # user ids differ between databases
    expert = _principal("expert")
    with frozen_clock(clock) as set_clock:
        for at, _order, kind, payload in events:
            set_clock(at)
            if kind == "push":
                item = payload
                if photo_maker is not None and item.photos:
                    owner = _principal(item.inspector)
                    hashes = []
                    for k, _mark in enumerate(item.photos):
                        jpeg = next(photos)
                        sha = hashlib.sha256(jpeg).hexdigest()
                        store_photo(jpeg, sha, owner, filename=f"{item.id[:8]}-{k}.jpg")
                        hashes.append(sha)
                    item.data["photos"] = hashes
                    item.data["findings"][0]["photos"] = hashes[:1]
                    counts["photos"] += len(hashes)
                _push_one(item.inspector, "inspection", item.id, item.data, 0, "demo-year")
                counts["inspections"] += 1
            elif kind == "resubmit":
                item = payload
                row = db.session.get(Inspection, item.id)
                data = {**item.data, "batch": item.data["batch"] + "-补", "findings": []}
                data.pop("status", None)
                _push_one(item.inspector, "inspection", item.id, data, row.version, "demo-resubmit")
            elif kind == "review":
                item, (_at, outcome, comment) = payload
                row = db.session.get(Inspection, item.id)
                if row is not None and row.status in inspections.REVIEWABLE:
                    inspections.review_inspection(_principal(item.supervisor),
                                                  item.id, outcome, comment)
                    counts["reviews"] += 1
            elif kind == "question":
                _push_one(payload["inspector"], "question", payload["id"], {"id": payload["id"], **payload["data"]},
                          0, "demo-question")
                counts["questions"] += 1
            elif kind == "answer":
                answer = answer_question(expert, payload["id"], payload["answer"][1])
                answers[plan.questions.index(payload)] = answer["id"]
                counts["answers"] += 1
            else:
                pub = payload
                result = interpretations.publish(
                    expert, title=pub["title"], text=pub["text"], effect=pub["effect"], effective=pub["effective"],
                    clauses=pub["clauses"], indicator_ids=pub["indicator_ids"] or None,
                    answer_id=answers.get(pub["question"]))
                counts["published"] += 1
                counts["flags"] += len(result.get("flags") or [])
    return counts


def seed_year(*, today: date | None = None, photo_maker: PhotoMaker | None = None, seed: int = DEMO_SEED) -> dict:
    """Load the demo year unless it is there (idempotent: its first inspection decides), the
    enforcement cycle's demo (planning.service.demo_cycle: plan, draw, inspected tasks, an
    order to correct, published results), then the nightly figures and 回头看 reminders as of
    now. The caller commits."""
    for code, name, parent in YEAR_JURISDICTIONS:
        accounts.ensure_jurisdiction(code, name, parent)
    seed_users(users=YEAR_USERS)
    now = clock.now()
    today = today or now.astimezone(CHINA).date()
    products = list_products(None, limit=500)["items"]
    plan = year_plan(products, current_catalog(), today=today, seed=seed)
    counts: dict = {"inspections": 0}
    if plan.inspections and not inspections.exists(plan.inspections[0].id):
        counts = apply_year(plan, photo_maker=photo_maker)
    counts["plan"] = planning.demo_cycle(today=today)   # a 双随机 plan, its draw, results, an order
    counts["stats_rows"] = statistics.compute(now, days=370)
    counts["rechecks"] = len(inspections.remind_rechecks(now, today, 30))
    return counts


def load_demo(*, with_inspections: bool = True, year: bool = False, photo_maker: PhotoMaker | None = None) -> dict:
    """Load every piece of demo data (idempotent) in units of work (the world, the fixed
    inspections pushed into it, and with `year` a year of work ending today with its
    photos made by `photo_maker`); returns a summary with the seconds it took."""
    started = timer.perf_counter()
    with unit_of_work():
        seed_jurisdictions()
        users = seed_users()
        summary = import_catalog(assets.load_catalog(), source="assets (demo)", effective_from=date(2000, 1, 1))
        products = seed_products()
    with unit_of_work():
        pushed = seed_inspections(users) if with_inspections else 0
    worked = {}
    if year:
        with unit_of_work():
            worked = seed_year(photo_maker=photo_maker)
    return {"catalog": summary, "products": products, "inspections": pushed, "year": worked,
            "seconds": round(timer.perf_counter() - started, 1),
            "users": [u[0] for u in (*USERS, *(YEAR_USERS if year else ()))], "password": DEMO_PASSWORD}
