"""POST /api/v1/catalog/workbook: a committee workbook uploaded over HTTP, imported through
the catalog service (experts and admins), its row report, the change devices pull, and
each refusal as a 4xx naming the problem in the caller's language."""
from __future__ import annotations

import io
import json

import pytest
from server_testkit import Api, dispose_app, make_app

import assets
from assets.xlsx import write_workbook

RADIUM = "GB 6566-2010/3.1/internal-exposure-index"


@pytest.fixture(scope="module")
def catalog_api(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('catalog-api') / 'server.db'}")
    yield Api(app)
    dispose_app(app)


def _book(tmp_path, limit="≤0.9") -> bytes:
    std = next(d for d in json.loads(assets.canonical_json(assets.load_catalog())) if d["code"] == "GB 6566")
    next(i for i in std["editions"][0]["indicators"] if i["id"] == RADIUM)["limit"] = limit
    return write_workbook([std], tmp_path / "book.xlsx").read_bytes()


def _post(api, who, content: bytes | None, query: str = "", **kw):
    data = {"file": (io.BytesIO(content), "GB-6566.xlsx")} if content is not None else None
    return api.call("POST", "/api/v1/catalog/workbook" + query, who, data=data,
                    content_type="multipart/form-data" if data else None, **kw)


def test_an_expert_imports_a_workbook_and_devices_pull_the_change(catalog_api, tmp_path):
    content = _book(tmp_path, "≤0.8")
    r = _post(catalog_api, "expert", content, "?check=true")
    assert r.status_code == 200, r.json
    assert r.json["summary"] is None and r.json["report"]["standards"] == ["GB 6566"]
    before = catalog_api.pull("insp_chaoyang", since=0, limit=1, entities="indicator").json["cursor"]
    r = _post(catalog_api, "expert", content)
    assert r.status_code == 200, r.json
    assert r.json["summary"]["indicator"]["changed"] == 1 and r.json["summary"]["ruleset_created"] is True
    assert all(row["status"] == "ok" for row in r.json["report"]["rows"])
    pulled = catalog_api.pull("insp_chaoyang", since=before, limit=1000, entities="indicator").json
    changed = [c for c in pulled["changes"] if c["id"] == RADIUM]
    assert changed and changed[-1]["data"]["limit"] == "≤0.8"


def test_an_admin_may_too_and_the_raw_body_works(catalog_api, tmp_path):
    r = catalog_api.call("POST", "/api/v1/catalog/workbook?check=1", "admin", data=_book(tmp_path),
                         content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert r.status_code == 200, r.json


@pytest.mark.parametrize("who, status", [("sup_chaoyang", 403), ("insp_chaoyang", 403), (None, 401)])
def test_others_may_not(catalog_api, tmp_path, who, status):
    assert _post(catalog_api, who, _book(tmp_path)).status_code == status


def test_refusals_name_the_problem(catalog_api, tmp_path):
    r = _post(catalog_api, "expert", None)
    assert r.status_code == 400 and r.json["error"] == "validation_failed" and "上传" in r.json["message"]
    r = _post(catalog_api, "expert", b"gtin,name\n", headers={"Accept-Language": "en"})
    assert r.status_code == 400 and r.json["message"].startswith("Not a readable standards workbook")
    r = _post(catalog_api, "expert", write_workbook([], tmp_path / "empty.xlsx").read_bytes())
    assert r.status_code == 400 and r.json["details"]["standards"] == [] and "没有可导入的标准" in r.json["message"]
