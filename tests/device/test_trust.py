"""device.trust on its own: first use, refusals, and keys that are not keys."""
from __future__ import annotations

import pytest
from nacl.signing import SigningKey
from signed_pages import TEST_KEY, signed

from device import memory_store
from device.trust import CatalogTrust, PageRefused
from sync.protocol.catalog_signing import SIGNED_FIELD, key_id, public_b64

PAGE = {"cursor": 1, "has_more": False, "remaining": 0, "changes": []}
OTHER = SigningKey(bytes(range(1, 33)))


def trust_with(*keys):
    trust = CatalogTrust(memory_store().state)
    trust.remember({key_id(bytes(k.verify_key)): public_b64(k) for k in keys})
    return trust


def test_a_device_with_no_key_trusts_the_first_signed_page_and_then_only_its_keys():
    trust = CatalogTrust(memory_store().state)
    announced = trust.check(signed(PAGE))
    assert trust.first_use and announced == {key_id(bytes(TEST_KEY.verify_key)): public_b64(TEST_KEY)}
    trust.remember(announced)
    with pytest.raises(PageRefused) as caught:
        trust.check(signed(PAGE, OTHER))
    assert caught.value.reason == "unknown_key"


def test_an_unsigned_page_is_refused_even_before_any_key():
    for trust in (CatalogTrust(memory_store().state), trust_with(TEST_KEY)):
        with pytest.raises(PageRefused) as caught:
            trust.check(dict(PAGE))
        assert caught.value.reason == "unsigned" and "目录数据没有签名" in str(caught.value)


@pytest.mark.parametrize("field, value, reason", [
    ("body_sha256", "00" * 32, "altered"),
    ("keys", "", "altered"),                   # the announced keys are signed too
    ("signature", "abc", "unknown_key"),
    ("body_sha256", "not hex", "malformed"),
])
def test_a_changed_signature_block_is_refused(field, value, reason):
    page = signed(PAGE)
    page[SIGNED_FIELD] = {**page[SIGNED_FIELD], field: value}
    with pytest.raises(PageRefused) as caught:
        trust_with(TEST_KEY).check(page)
    assert caught.value.reason == reason


def test_next_key_signs_once_it_was_announced():
    trust = trust_with(TEST_KEY)
    trust.remember(trust.check(signed(PAGE, TEST_KEY, announce=[TEST_KEY, OTHER])))
    assert trust.check(signed(PAGE, OTHER)) == {key_id(bytes(OTHER.verify_key)): public_b64(OTHER)}


def test_a_key_that_is_not_a_key_is_not_remembered():
    trust = CatalogTrust(memory_store().state)
    with pytest.raises(PageRefused):
        trust.remember({"0011223344556677": public_b64(TEST_KEY)})   # id does not match the key
    assert trust.keys() == {}
