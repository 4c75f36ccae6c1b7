"""The catalog keys this device trusts, and the check a pulled page passes before it is applied.

    trust = CatalogTrust(store.state)
    trust.remember(answer["catalog_keys"])      # at enrolment
    announced = trust.check(raw_page)           # raises PageRefused; nothing stored yet
    trust.remember(announced)                   # with the page, in its transaction

A device holds the keys its enrolment answer named; from then on a page is applied only
when it is signed by one of them, and the device then trusts exactly the keys that page
announces (the server's current key and, during a rotation, the next). A device with no
key yet (enrolled before the server signed) trusts the first signed page it gets and says
so (`first_use`); it never goes back to accepting unsigned pages.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from device.errors import DeviceError
from device.stores.state import StateStore
from sync.protocol.catalog_signing import (
    SIGNED_FIELD,
    UNSIGNED,
    SignatureInvalid,
    parse_keys,
    verify_page,
)

STATE_KEY = "catalog_keys"

#: what the officer reads when a page is refused, by SignatureInvalid.reason
REASONS = {
    "unsigned": "目录数据没有签名",
    "unknown_key": "目录数据由本设备不信任的密钥签名",
    "altered": "目录数据与签名不符（传输中被改动）",
    "malformed": "目录签名无法读取",
}


class PageRefused(DeviceError):
    """A pulled page whose signature does not verify: nothing of it is applied, the last
    valid catalog stays. `reason` is a sync.protocol.catalog_signing reason."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{REASONS.get(reason, reason)}，已保留上次有效的目录 / catalog page refused "
                         f"({detail}); the last valid catalog is kept")
        self.reason = reason


class CatalogTrust:
    """The trusted keys, kept in the device's state store under "catalog_keys"."""

    def __init__(self, state: StateStore):
        self.state = state
        #: True after `check` accepted a page on first use (the device held no key)
        self.first_use = False

    def keys(self) -> dict[str, str]:
        """Return {key id: public key base64} this device trusts (empty before enrolment)."""
        return dict(self.state.get(STATE_KEY) or {})

    def remember(self, keys: Mapping[str, str] | None) -> None:
        """Trust exactly `keys` from now on (nothing happens for None or empty); raises
        PageRefused when a key is not a valid Ed25519 key with its id."""
        if not keys:
            return
        text = ",".join(f"{ident}={b64}" for ident, b64 in keys.items())
        try:
            checked = parse_keys(text)
        except SignatureInvalid as exc:
            raise PageRefused(exc.reason, str(exc)) from exc
        self.state.set(STATE_KEY, checked)

    def check(self, page: Mapping[str, Any]) -> dict[str, str]:
        """Return the keys a pulled page announces once its signature (the transport's
        SIGNED_FIELD block) verifies with a trusted key; raises PageRefused otherwise.
        A device with no key trusts a signed page's own announced keys (first use)."""
        signed = page.get(SIGNED_FIELD)
        trusted = self.keys()
        try:
            if not trusted:
                if not signed or not signed.get("signature"):
                    raise SignatureInvalid(UNSIGNED, "the page carries no signature")
                trusted = parse_keys(str(signed.get("keys") or ""))
                self.first_use = True
            return verify_page(signed, trusted)
        except SignatureInvalid as exc:
            raise PageRefused(exc.reason, str(exc)) from exc
