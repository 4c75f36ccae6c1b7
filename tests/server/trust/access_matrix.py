"""The access matrix's world and walker (used by test_access_matrix and the policy
mutation test): users of every role at every position, the records of 朝阳区, and
`run_op(world, op)` returning the cases whose answer differs from access_table."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from access_table import CODES, CSV, POSITIONS, ROLE_PREFIX, ROLES, Op
from server_testkit import PASSWORD, Api, finding, inspection_item, make_app, uid

from codes.gtin import check_digit
from server.accounts import devices as tablets
from server.accounts import service as accounts
from server.accounts.models import Device, Token
from server.kernel import clock
from server.kernel.auth import hash_token
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work
from server.photos import service as photos
from server.photos.samples import make_photo
from server.planning import service as planning
from server.planning.models import Task
from server.planning.publication import stage_publication

CONSOLE_ROLES = ("supervisor", "expert", "admin")
TOKEN_CASES = ("device", "revoked_device", "expired", "garbage")


@dataclass
class World:
    api: Api
    ids: dict
    tokens: dict = field(default_factory=dict)        # token case → token
    consoles: dict = field(default_factory=dict)      # username → (client, csrf)
    gtins: itertools.count = field(default_factory=lambda: itertools.count(10_000))

    @property
    def app(self):
        return self.api.app


def username(role: str, position: str) -> str:
    return f"{ROLE_PREFIX[role]}_{position}"


def build_world(db_url: str) -> World:
    """Return the world: users, the inspection {I} with a photo {P}, the question {Q}."""
    app = make_app(db_url)
    with app.app_context(), unit_of_work():
        accounts.ensure_jurisdiction("110100", "北京市市辖区", "110000")
        for role, position in itertools.product(ROLES, POSITIONS):
            accounts.create_user(username(role, position), PASSWORD, role, CODES[position])
    api = Api(app)
    data = make_photo(640, 480)
    with app.app_context(), unit_of_work():
        photo = photos.store_photo(data, photos.hashlib.sha256(data).hexdigest(), accounts.principal_of("ins_own"))
        sha = photo.sha256
    inspection = inspection_item(findings=[finding(measured="12")], photos=[sha])
    assert api.push([inspection], "ins_own").json["results"][0]["status"] == "applied"
    question = {"mutation_id": uid(), "entity": "question", "id": uid(), "base_version": 0,
                "data": {"id": None, "text": "5.1条的限值是否适用于外包装？"}}
    question["data"]["id"] = question["id"]
    assert api.push([question], "ins_own").json["results"][0]["status"] == "applied"
    world = World(api, {"I": inspection["id"], "P": sha, "Q": question["id"], "X": "no-such-interpretation",
                        **_planning(app)})
    with app.app_context(), unit_of_work():
        world.tokens["device"] = tablets.issue_device_token("ins_own")[1]
        revoked_id, world.tokens["revoked_device"] = tablets.issue_device_token("ins_own")
        db.session.get(Device, revoked_id).revoked_at = clock.now()
    expired = api.client.post("/api/v1/auth/login", json={"username": "ins_own", "password": PASSWORD}).json["token"]
    with app.app_context(), unit_of_work():
        db.session.get(Token, hash_token(expired)).expires_at = clock.now() - timedelta(minutes=1)
    world.tokens["expired"] = expired
    world.tokens["garbage"] = "garbage-token-that-was-never-issued"
    return world


# ---- the enforcement cycle's records (朝阳区) -------------------------------------------------

ASSETS = Path(__file__).resolve().parents[3] / "assets" / "registry"
ROSTER = ("执法证号,姓名,身份证号,辖区,执法领域,回避企业,登录账号\n"
          "JC110105001,张三,110105199601011009,110105,textile,,ins_own\n"
          "JC110105002,赵敏,110105199702021011,110105,textile,,\n").encode()
PLAN_ID = "matrix-2026-textile"


def _planning(app) -> dict:
    """A drawn plan {L} of 朝阳区 with an open task {T} and a published result {R}."""
    today = clock.now().date()
    with app.app_context(), unit_of_work():
        admin = accounts.principal_of("adm_own")
        planning.import_enterprises(admin, (ASSETS / "demo_enterprises.csv").read_bytes(), "e.csv")
        planning.import_inspectors(admin, ROSTER, "roster.csv")
        planning.import_items(admin, (ASSETS / "demo_items.csv").read_bytes(), "items.csv")
        planning.create_plan(admin, {"id": PLAN_ID, "name": "矩阵测试抽查", "items": ["textile-infant"],
                                     "scope": {"jurisdictions": ["110105"]}, "allocation": {"count": 2},
                                     "starts": today.isoformat(), "ends": (today + timedelta(days=30)).isoformat()},
                             jurisdiction="110105")
        task_ids = planning.run(admin, PLAN_ID)["tasks"]
        done = db.session.get(Task, task_ids[1])
        done.state, done.outcome, done.reviewed_on = "closed", "pass", today
        stage_publication(done)
        db.session.flush()
        planning.publish(admin, PLAN_ID)
    return {"L": PLAN_ID, "T": task_ids[0], "R": task_ids[1]}


# ---- fresh records ------------------------------------------------------------------------

def _fresh_inspection(world: World, owner: str) -> str:
    item = inspection_item(findings=[finding(measured="12")])
    assert world.api.push([item], owner).json["results"][0]["status"] == "applied"
    return item["id"]


def _fresh_device(world: World) -> str:
    with world.app.app_context(), unit_of_work():
        return tablets.issue_device_token("ins_own")[0]


def _fresh_product(world: World) -> str:
    body = "690" + f"{next(world.gtins):09d}"
    gtin = body + check_digit(body)
    r = world.api.call("PUT", f"/api/v1/products/{gtin}", "admin",
                       json={"name": "连体衣", "category": "infant", "product_class": "A", "standards": "GB 18401"})
    assert r.status_code == 200, r.json
    return gtin


def _ids(world: World, op: Op) -> dict:
    ids = dict(world.ids)
    if op.fresh == "inspection":
        ids["I"] = _fresh_inspection(world, "ins_own")
    elif op.fresh == "inspection_approved":      # ins_own's, approved by a supervisor of the province
        ids["I"] = _fresh_inspection(world, "ins_own")
        r = world.api.call("POST", f"/api/v1/inspections/{ids['I']}/reviews", "sup_province",
                           json={"outcome": "approved"})
        assert r.status_code == 201, r.json
    elif op.fresh == "inspection_by_sup":
        ids["I"] = _fresh_inspection(world, "sup_own")
    elif op.fresh == "device":
        ids["D"] = _fresh_device(world)
    elif op.fresh == "product":
        ids["G"] = _fresh_product(world)
    return ids


# ---- one call -----------------------------------------------------------------------------

def _classify(status: int) -> str:
    if status >= 500:
        return "E"
    return {401: "U", 403: "F", 404: "H"}.get(status, "O")


def _api_call(world: World, op: Op, ids: dict, token: str) -> str:
    path = op.path.format(**ids)
    api = world.api
    if op.body == "push_new":
        r = api.push([inspection_item(jurisdiction="110105")], token=token)
    elif op.body == "push_edit":
        r = api.push([inspection_item(ids["I"], base_version=1, note="改")], token=token)
    elif op.body == "photo_check":
        r = api.call("POST", path, token=token, json={"hashes": [ids["P"]]})
        if r.status_code == 200:
            return "O" if r.json["present"] == [ids["P"]] else "H"
    elif op.body in ("pull_inspection", "pull_question", "pull_history"):
        entity, key = {"pull_inspection": ("inspection", "I"), "pull_question": ("question", "Q"),
                       "pull_history": ("history", "I")}[op.body]
        r = api.call("GET", f"/api/v1/sync/pull?limit=10000&entities={entity}", token=token)
        if r.status_code == 200:
            return "O" if ids[key] in {c["id"] for c in r.json["changes"]} else "H"
    elif op.body == "tus":
        r = api.call("POST", path, token=token, headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10"})
    elif op.body == "csv":
        r = api.call(op.method, path, token=token, data=CSV.encode(), content_type="text/csv")
    else:
        r = api.call(op.method, path, token=token, **({"json": op.body} if op.body is not None else {}))
    if op.body in ("push_new", "push_edit") and r.status_code == 200:
        result = r.json["results"][0]
        if result["status"] == "applied":
            return "O"
        return "F" if result.get("error") in ("forbidden", "outside_jurisdiction") else f"?{result}"
    return _classify(r.status_code)


def _console(world: World, user: str, *, fresh: bool = False):
    """Return (client, csrf token) of a console session of `user`, or None when the
    console refuses to sign them in (403)."""
    if not fresh and user in world.consoles:
        return world.consoles[user]
    client = world.app.test_client()
    client.get("/console/login")
    with client.session_transaction() as session:
        csrf = session.get("console_csrf")
    if csrf is None:
        client.get("/console/login")
    r = client.post("/console/login", data={"username": user, "password": PASSWORD,
                                            "csrf_token": _csrf(client)})
    entry = None if r.status_code == 403 else (client, _csrf(client))
    assert r.status_code in (302, 403), (user, r.status_code)
    if not fresh:
        world.consoles[user] = entry
    return entry


def _csrf(client) -> str:
    with client.session_transaction() as session:
        if "console_csrf" not in session:
            import secrets
            session["console_csrf"] = secrets.token_urlsafe(16)
        return session["console_csrf"]


def _console_call(world: World, op: Op, ids: dict, user: str) -> str:
    entry = _console(world, user, fresh=op.name == "c_logout")
    if entry is None:
        return "F"
    client, csrf = entry
    path = op.path.format(**ids)
    if op.method == "POST":
        r = client.post(path, data={**(op.body or {}), "csrf_token": csrf})
    else:
        r = client.get(path)
    if r.status_code == 302 and "/console/login" in r.headers.get("Location", "") and op.name != "c_logout":
        return "U"      # the session was refused (signing out ends on the sign-in page: allowed)
    return _classify(r.status_code)


def run_op(world: World, op: Op, *, first_miss: bool = False) -> tuple[int, list[str]]:
    """Run every case of `op` (with `first_miss`, stop at the first mismatch); return
    (cases run, descriptions of the mismatches)."""
    misses, cases = [], 0
    for role in ROLES:
        if first_miss and misses:
            break
        for position, expected in zip(POSITIONS, op.expect[role], strict=True):
            user = username(role, position)
            ids = _ids(world, op)
            if op.console:
                got = _console_call(world, op, ids, user)
            else:
                token = world.api.client.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD}
                                              ).json["token"] if op.name == "logout" else world.api.login(user)
                got = _api_call(world, op, ids, token)
            cases += 1
            if got != expected:
                misses.append(f"{op.name}: {user} expected {expected} got {got}")
    if not op.console and not (first_miss and misses):
        for case in TOKEN_CASES:
            expected = op.expect["inspector"][0] if case == "device" else "U"
            ids = _ids(world, op)
            token = world.tokens["device"] if case == "device" and op.name != "logout" else world.tokens[case]
            if case == "device" and op.name == "logout":
                with world.app.app_context(), unit_of_work():
                    token = tablets.issue_device_token("ins_own")[1]
            got = _api_call(world, op, ids, token)
            cases += 1
            if got != expected:
                misses.append(f"{op.name}: token {case} expected {expected} got {got}")
    return cases, misses
