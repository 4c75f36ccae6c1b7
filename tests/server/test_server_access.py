"""Every access decision: role × endpoint × own / other jurisdiction → expected status."""
import pytest
from server_testkit import Api, inspection_item, make_app

OWN = "own"      # an inspection in 朝阳区 (110105) by insp_chaoyang
OTHER = "other"  # an inspection in 浦东新区 (310115) by insp_pudong


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    api = Api(make_app(f"sqlite:///{tmp_path_factory.mktemp('acc') / 'a.db'}"))
    return api


def _fresh(world):
    own, other = inspection_item(jurisdiction="110105"), inspection_item(jurisdiction="310115")
    assert world.push([own], "insp_chaoyang").json["results"][0]["status"] == "applied"
    assert world.push([other], "insp_pudong").json["results"][0]["status"] == "applied"
    return {OWN: own["id"], OTHER: other["id"]}


# (who, method, path, body, expected status)
CASES = [
    # list inspections
    ("insp_chaoyang", "GET", "/api/v1/inspections/", None, 200),
    ("sup_chaoyang", "GET", "/api/v1/inspections/", None, 200),
    ("expert", "GET", "/api/v1/inspections/", None, 403),
    (None, "GET", "/api/v1/inspections/", None, 401),
    # read one
    ("insp_chaoyang", "GET", "/api/v1/inspections/{own}", None, 200),
    ("insp_chaoyang", "GET", "/api/v1/inspections/{other}", None, 404),
    ("insp_haidian", "GET", "/api/v1/inspections/{own}", None, 404),
    ("sup_chaoyang", "GET", "/api/v1/inspections/{own}", None, 200),
    ("sup_chaoyang", "GET", "/api/v1/inspections/{other}", None, 404),
    ("sup_pudong", "GET", "/api/v1/inspections/{other}", None, 200),
    ("expert", "GET", "/api/v1/inspections/{own}", None, 403),
    ("admin", "GET", "/api/v1/inspections/{other}", None, 200),
    # review
    ("sup_chaoyang", "POST", "/api/v1/inspections/{own}/reviews", {"outcome": "approved"}, 201),
    ("sup_chaoyang", "POST", "/api/v1/inspections/{other}/reviews", {"outcome": "approved"}, 404),
    ("sup_haidian", "POST", "/api/v1/inspections/{own}/reviews", {"outcome": "approved"}, 404),
    ("insp_chaoyang", "POST", "/api/v1/inspections/{own}/reviews", {"outcome": "approved"}, 403),
    ("expert", "POST", "/api/v1/inspections/{own}/reviews", {"outcome": "approved"}, 403),
    ("admin", "POST", "/api/v1/inspections/{other}/reviews", {"outcome": "approved"}, 201),
    # enrolment
    ("sup_chaoyang", "POST", "/api/v1/devices/enrolments", {"username": "insp_chaoyang"}, 201),
    ("sup_chaoyang", "POST", "/api/v1/devices/enrolments", {"username": "insp_pudong"}, 404),
    ("sup_chaoyang", "POST", "/api/v1/devices/enrolments", {"username": "admin"}, 404),
    ("insp_chaoyang", "POST", "/api/v1/devices/enrolments", {"username": "insp_chaoyang"}, 403),
    ("expert", "POST", "/api/v1/devices/enrolments", {"username": "insp_chaoyang"}, 403),
    ("admin", "POST", "/api/v1/devices/enrolments", {"username": "insp_pudong"}, 201),
    # device list / revoke
    ("insp_chaoyang", "GET", "/api/v1/devices/", None, 403),
    ("sup_chaoyang", "GET", "/api/v1/devices/", None, 200),
    ("insp_chaoyang", "POST", "/api/v1/devices/no-such/revoke", None, 403),
    ("sup_chaoyang", "POST", "/api/v1/devices/no-such/revoke", None, 404),
    # sync: any authenticated role
    ("expert", "GET", "/api/v1/sync/pull?limit=1", None, 200),
    (None, "GET", "/api/v1/sync/pull?limit=1", None, 401),
    (None, "POST", "/api/v1/sync/push", {"items": []}, 401),
    (None, "POST", "/api/v1/sync/digest", {"digests": {}}, 401),
    ("insp_chaoyang", "POST", "/api/v1/sync/digest", {"digests": {}}, 200),
    ("insp_chaoyang", "GET", "/api/v1/auth/me", None, 200),
    (None, "GET", "/api/v1/auth/me", None, 401),
]


@pytest.mark.parametrize("who,method,path,body,expected", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[4]}" for c in CASES])
def test_access_decision(world, who, method, path, body, expected):
    ids = _fresh(world)
    kw = {"json": body} if body is not None else {}
    r = world.call(method, path.format(**ids), who, **kw)
    assert r.status_code == expected, r.json
    if expected >= 400:
        assert r.json["status"] == expected


# push writes: (who, jurisdiction of the new inspection, expected item status)
PUSH_CASES = [
    ("insp_chaoyang", "110105", "applied"),
    ("insp_chaoyang", "110108", "rejected"),
    ("insp_chaoyang", "310115", "rejected"),
    ("sup_chaoyang", "110105", "applied"),
    ("sup_chaoyang", "110108", "rejected"),
    ("admin", "310115", "applied"),
    ("expert", "110105", "rejected"),
]


@pytest.mark.parametrize("who,code,expected", PUSH_CASES)
def test_push_access(world, who, code, expected):
    r = world.push([inspection_item(jurisdiction=code)], who)
    assert r.json["results"][0]["status"] == expected


@pytest.mark.parametrize("who,target,expected", [
    ("insp_haidian", OWN, "rejected"),     # another inspector's inspection in another district
    ("insp_chaoyang", OTHER, "rejected"),
    ("sup_chaoyang", OWN, "applied"),       # supervisor of that district may correct
])
def test_edit_access(world, who, target, expected):
    ids = _fresh(world)
    r = world.push([inspection_item(ids[target], base_version=1, jurisdiction="110105" if target == OWN else "310115")],
                   who)
    assert r.json["results"][0]["status"] == expected


def test_supervisor_lists_only_their_subtree(world):
    _fresh(world)
    rows = world.call("GET", "/api/v1/inspections/", "sup_chaoyang").json
    assert rows and {r["jurisdiction"] for r in rows} == {"110105"}
