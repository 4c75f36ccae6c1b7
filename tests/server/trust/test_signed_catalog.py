"""Signed pull pages end to end with real Ed25519 keys: the real app signs, a tablet
enrolled on it (device.trust) verifies before applying a page. An altered byte, a missing
signature, a page signed by an unknown key are refused with a readable message and the
last valid catalog stays; a rotation announced before the switch goes through."""
from __future__ import annotations

import pytest
from server_testkit import PASSWORD, Api, dispose_app, make_app

from device import memory_store
from device.trust import CatalogTrust
from server.kernel.extensions import db
from server.kernel.signing import KeyFileError, read_key, write_key_pair
from server.registry.service import save_product
from sync.client import RetryPolicy, SyncClient, WsgiTransport
from sync.protocol.catalog_signing import KEYS_HEADER, SIGNATURE_HEADER, key_id

INSPECTOR = "insp_chaoyang"


class Tampering(WsgiTransport):
    """The real transport with a hand in the middle of pull answers: `tamper(body, headers)`
    returns what the tablet receives instead."""

    tamper = None

    def _send(self, method, path, body, params, headers):
        status, raw, answer = super()._send(method, path, body, params, headers)
        if self.tamper is not None and path.endswith("/sync/pull"):
            raw, answer = self.tamper(raw, dict(answer))
        return status, raw, answer


@pytest.fixture
def keys(tmp_path):
    """Two key pairs on disk: current and next."""
    write_key_pair(tmp_path / "k1.key")
    write_key_pair(tmp_path / "k2.key")
    return tmp_path / "k1.key", tmp_path / "k2.key"


@pytest.fixture
def world(tmp_path, keys):
    url = f"sqlite:///{tmp_path / 'signed.db'}"
    apps = []

    def app_with(current, nxt=None):
        app = make_app(url, GBFIELD_CATALOG_KEY=str(current), GBFIELD_CATALOG_NEXT_KEY=str(nxt) if nxt else None) \
            if not apps else _reopen(url, current, nxt)
        apps.append(app)
        return app

    yield app_with
    for app in apps:
        dispose_app(app)


def _reopen(url, current, nxt):
    """The same server restarted with other key settings (the database is kept)."""
    from server import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "GBFIELD_PUBLIC_URL": "http://gbfield.test",
                       "GBFIELD_PASSWORD_PROFILE": "cheapest-for-tests", "GBFIELD_CATALOG_KEY": str(current),
                       "GBFIELD_CATALOG_NEXT_KEY": str(nxt) if nxt else None})


def enrol(app):
    """Return (store, transport) of a tablet enrolled the real way (its keys from the answer)."""
    api = Api(app)
    code = api.call("POST", "/api/v1/devices/enrolments", "admin", json={"username": INSPECTOR}).json["code"]
    transport = Tampering(app)
    answer = transport.enrol(code, "t", "test", PASSWORD)
    store = memory_store()
    CatalogTrust(store.state).remember(answer["catalog_keys"])
    transport.token = answer["token"]
    return store, transport


def sync(store, transport):
    return SyncClient(store, transport, retry=RetryPolicy(max_attempts=1), check_digest=False,
                      prefetch=False).sync()


def rename_a_product(app, name):
    """A registrar's change the next pull brings (a catalog row: product)."""
    with app.app_context():
        from server.registry.models import Product

        row = db.session.execute(db.select(Product).limit(1)).scalar_one()
        save_product({**row.data, "name": name})
        db.session.commit()
        return row.gtin


def flip_a_byte(body, headers):
    at = body.index(b"renamed")          # one bit of one byte of the product's new name
    return body[:at] + bytes([body[at] ^ 0x01]) + body[at + 1:], headers


def drop_signature(body, headers):
    headers.pop(SIGNATURE_HEADER, None)
    return body, headers


def test_enrolment_hands_the_tablet_the_servers_key(world, keys):
    app = world(keys[0])
    store, transport = enrol(app)
    public = bytes(read_key(keys[0]).verify_key)
    assert list(CatalogTrust(store.state).keys()) == [key_id(public)]
    report = sync(store, transport)
    assert report.ok and report.pulled > 100, report.errors


@pytest.mark.parametrize("tamper, reason", [(flip_a_byte, "目录数据与签名不符"), (drop_signature, "目录数据没有签名")])
def test_an_altered_or_unsigned_page_is_refused_and_the_last_valid_catalog_stays(world, keys, tamper, reason):
    app = world(keys[0])
    store, transport = enrol(app)
    assert sync(store, transport).ok
    before, cursor = store.catalog.counts(), store.state.cursor
    gtin = rename_a_product(app, "改过的名称 renamed")
    kept = store.catalog.row("product", gtin)
    transport.tamper = tamper
    report = sync(store, transport)
    assert not report.ok
    assert reason in report.errors[0] and "已保留上次有效的目录" in report.errors[0]
    assert store.catalog.counts() == before and store.state.cursor == cursor
    assert store.catalog.row("product", gtin) == kept
    transport.tamper = None                     # the next clean page goes through
    assert sync(store, transport).ok
    assert store.catalog.row("product", gtin)["name"] == "改过的名称 renamed"


def test_a_first_pull_that_is_altered_stores_nothing(world, keys):
    app = world(keys[0])
    store, transport = enrol(app)
    transport.tamper = lambda body, headers: (body.replace(b"mg/kg", b"mg/kh", 1), headers)
    report = sync(store, transport)
    assert not report.ok and "目录数据与签名不符" in report.errors[0]
    assert sum(store.catalog.counts().values()) == 0 and store.state.cursor == 0


def test_a_page_signed_by_an_unknown_key_is_refused(world, keys, tmp_path):
    app = world(keys[0])
    store, transport = enrol(app)
    assert sync(store, transport).ok
    write_key_pair(tmp_path / "rogue.key")
    rogue = world(tmp_path / "rogue.key")         # the same data, signed by a key never announced
    gtin = rename_a_product(rogue, "rogue")
    kept, cursor = store.catalog.row("product", gtin), store.state.cursor
    report = sync(store, Tampering(rogue, transport.token))
    assert not report.ok and "本设备不信任的密钥" in report.errors[0]
    assert store.catalog.row("product", gtin) == kept and store.state.cursor == cursor


def test_rotation_announced_before_the_switch(world, keys):
    k1, k2 = keys
    id1, id2 = (key_id(bytes(read_key(k).verify_key)) for k in keys)
    app = world(k1, f"{k2}.pub")                 # step 1: the next key announced (public half only)
    store, transport = enrol(app)
    late_store, late_transport = enrol(app)      # a tablet that does not sync during the window
    assert set(CatalogTrust(store.state).keys()) == {id1, id2}
    CatalogTrust(late_store.state).remember({id1: CatalogTrust(late_store.state).keys()[id1]})
    assert sync(store, transport).ok
    switched = world(k2)                          # step 2: the next key becomes the current one
    rename_a_product(switched, "签名已轮换 rotated")
    on_time = Tampering(switched, transport.token)
    assert sync(store, on_time).ok
    assert set(CatalogTrust(store.state).keys()) == {id2}      # the retired key is trusted no more
    late = sync(late_store, Tampering(switched, late_transport.token))
    assert not late.ok and "本设备不信任的密钥" in late.errors[0]  # re-enrol (docs/security.md)


def test_a_bad_key_file_stops_the_server_starting(tmp_path):
    (tmp_path / "bad.key").write_text("ed25519-private not-base64!\n", encoding="ascii")
    with pytest.raises(KeyFileError):
        make_app(f"sqlite:///{tmp_path / 'x.db'}", GBFIELD_CATALOG_KEY=str(tmp_path / "bad.key"))
    write_key_pair(tmp_path / "only.key")
    with pytest.raises(KeyFileError, match="private"):
        make_app(f"sqlite:///{tmp_path / 'y.db'}", GBFIELD_CATALOG_KEY=str(tmp_path / "only.key.pub"))


def test_every_pull_answer_is_signed(world, keys):
    app = world(keys[0])
    api = Api(app)
    r = api.pull(token=api.device(INSPECTOR), since=10**9)
    assert r.status_code == 200 and r.json["changes"] == []
    assert r.headers[SIGNATURE_HEADER].startswith(key_id(bytes(read_key(keys[0]).verify_key)) + " ")
    assert r.headers[KEYS_HEADER].count("=") >= 1
