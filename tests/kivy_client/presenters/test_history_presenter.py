"""回头看 on the tablet from the server's window: a colleague's inspection of the same
enterprise (same district) reaches this tablet at sync as a `history` row, and the
HistoryPresenter shows it with its findings and whether the failure was fixed later."""
from server_testkit import Api, finding, inspection_item
from tablet_kit import GOOD_CREDIT

from kivy_client.presenters.history import HistoryPresenter
from sync.client import SyncClient, WsgiTransport


def test_a_colleagues_inspection_shows_in_the_history_after_sync(server, synced_store):
    from server_testkit import PASSWORD

    from server.app import demo
    from server.kernel.extensions import db

    with server.app_context():
        demo.seed_users(PASSWORD, tuple(u for u in demo.YEAR_USERS if u[0] == "insp_chaoyang2"))
        db.session.commit()
    api = Api(server)
    colleague = api.device("insp_chaoyang2")
    earlier = inspection_item(inspected_on="2024-11-05", findings=[finding(measured="64", outcome="fail")],
                              inspector="朝阳区执法人员 赵敏")
    later = inspection_item(inspected_on="2025-03-02", findings=[finding(measured="12", outcome="pass")])
    r = api.push([earlier, later], token=colleague)
    assert all(x["status"] == "applied" for x in r.json["results"]), r.json
    assert SyncClient(synced_store, WsgiTransport(server, synced_store.state.credentials()["token"])).sync().ok
    shown = HistoryPresenter(synced_store).show(GOOD_CREDIT)
    by_id = {p.id: p for p in shown}
    assert {earlier["id"], later["id"]} <= set(by_id)
    past = by_id[earlier["id"]]
    assert past.inspected_on == "2024-11-05" and not past.mine
    [failed] = past.findings
    assert (failed.measured, failed.outcome, failed.follow_up) == ("64", "fail", "fixed")
