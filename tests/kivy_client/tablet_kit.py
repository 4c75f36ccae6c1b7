"""Constants shared by the tablet tests (a unique basename: test folders have no __init__.py)."""
DEMO_GTIN = "06901234567892"
FORMALDEHYDE_A = "GB 18401-2010/4.1/formaldehyde/A"
ODOUR = "GB 18401-2010/4.1/odour"
GOOD_CREDIT = "91110105MA01ABCD00"


def second_device_store(server, path):
    """Another enrolled tablet of the same inspector (its own token), synced once."""
    from server_testkit import Api

    from device import open_store
    from sync.client import SyncClient, WsgiTransport

    token = Api(server).device("insp_chaoyang")
    store = open_store(path)
    store.state.save_credentials({"server_url": "http://gbfield.test", "device_id": "t2", "token": token,
                                  "user": {"username": "insp_chaoyang"}})
    assert SyncClient(store, WsgiTransport(server, token)).sync().ok
    return store, token


def make_conflict(server, store, tmp_path, *, mine="北京示例婴童服饰有限公司（我的）",
                  theirs="北京示例婴童服饰有限公司（另一台）") -> str:
    """A REAL conflict: `store` creates and sends an inspection; a second tablet of the same
    inspector edits it and syncs; then `store` edits it offline and syncs → the server
    answers conflict. Returns the inspection id."""
    from device import DeviceRecords
    from sync.client import SyncClient, WsgiTransport

    token = store.state.credentials()["token"]
    records = DeviceRecords(store)
    ident = records.create_inspection("2025-06-01", company_name="北京示例婴童服饰有限公司",
                                      credit_code=GOOD_CREDIT, gtin=DEMO_GTIN)
    assert SyncClient(store, WsgiTransport(server, token)).sync().ok
    other, other_token = second_device_store(server, tmp_path / "other.sqlite")
    DeviceRecords(other).edit_inspection(ident, company_name=theirs)
    assert SyncClient(other, WsgiTransport(server, other_token)).sync().ok
    other.close()
    records.edit_inspection(ident, company_name=mine)
    report = SyncClient(store, WsgiTransport(server, token)).sync()
    assert report.conflicts == 1, report
    return ident


def stroke(k: int = 0) -> list:
    """One pen stroke across the pad (points in 0..1), different for each `k`."""
    return [[(0.1 + i / 40, 0.5 + ((i + k) % 7) / 30) for i in range(30)]]


def complete(inspection, folder):
    """完成检查 for an open inspection: officer and party sign; returns the CompletionPresenter."""
    from datetime import UTC, datetime

    from kivy_client.presenters.completion import CompletionPresenter
    from kivy_client.presenters.onsite import OfficerProfile

    done = CompletionPresenter(inspection.store, inspection, folder=folder, now=lambda: datetime.now(UTC),
                               profile=OfficerProfile("李检查", "11010520190123", "北京市朝阳区市场监督管理局"))
    done.begin()
    assert done.problems == (), done.problems
    done.sign("officer:0", stroke())
    done.sign("party", stroke(3))
    done.finish()
    return done
