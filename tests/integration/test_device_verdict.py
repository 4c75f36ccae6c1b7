"""The tablet's provisional verdict, computed offline from its synced catalog, equals the
server's re-judgement of the same finding (same rules code, same rule-set version)."""
import pytest
from device_kit import client_for, enrol_device

from device import DeviceRecords, catalog_judge

FORMALDEHYDE_A = "GB 18401-2010/4.1/formaldehyde/A"


@pytest.mark.parametrize("measured", ["12", "20.4", "20.6", "300"])
def test_device_verdict_equals_server_rejudgement(live_server, tmp_path, measured):
    store = enrol_device(live_server.url, "li", tmp_path / "li.sqlite")
    client = client_for(store, check_digest=False)
    assert client.sync().ok
    records = DeviceRecords(store, judge=catalog_judge(store))
    iid = records.create_inspection("2024-05-20", company_name="测试企业")
    fid = records.add_finding(iid, FORMALDEHYDE_A, measured, "mg/kg")
    device = store.records.get("finding", fid)["data"]
    assert device["device_verdict"]["outcome"] in ("pass", "fail")
    versions = [r[0] for r in store.db.execute("SELECT id FROM catalog WHERE entity = 'ruleset'")]
    assert device["ruleset_version"] in versions
    report = client.sync()
    assert report.ok and report.applied == 2 and report.rejudged == 1, report
    server = store.records.get("finding", fid)["data"]
    assert server["server_ruleset_version"] == device["ruleset_version"]
    assert server["server_verdict"]["outcome"] == device["device_verdict"]["outcome"]
    assert server["server_verdict"]["compared_value"] == device["device_verdict"]["compared_value"]
    assert server["disagrees"] is False
