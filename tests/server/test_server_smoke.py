from server_testkit import finding, inspection_item


def test_push_pull_roundtrip(api):
    token = api.device("insp_chaoyang")
    item = inspection_item(findings=[finding(measured="15"), finding(measured="25", outcome="pass")])
    r = api.push([item], token=token)
    assert r.status_code == 200, r.json
    assert r.json["results"][0]["status"] == "applied"
    rej = r.json["rejudged"]
    assert [x["disagrees"] for x in rej] == [False, True]
    page = api.pull(token=token).json
    kinds = {c["entity"] for c in page["changes"]}
    assert {"indicator", "inspection", "finding", "flag", "ruleset", "product"} <= kinds
