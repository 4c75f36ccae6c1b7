"""Signed pull pages: what the server signs, what the device checks before applying a page.

Every pull page is answered with two headers:

    X-Gbfield-Catalog-Keys: <id>=<public key, base64>,<id>=<public key, base64>
    X-Gbfield-Signature:    <id of the signing key> <Ed25519 signature, base64>

The signature covers `signed_message(keys header, SHA-256 of the page body)`: the exact
bytes of the (decoded) body, and the list of keys the server announces — the current key
and, during a rotation, the next one. A device applies a page only when the signature
verifies with a key it already trusts; it then trusts exactly the announced keys (so the
next key is trusted before the server switches to it, and a retired key stops being
trusted). Keys are Ed25519 (PyNaCl, libsodium); a key's id is the first 16 hex digits of
the SHA-256 of its 32 public bytes. docs/security.md (Signed catalog) tells the rotation.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from sync.protocol.constants import ErrorCode
from sync.protocol.errors import ProtocolError

SIGNATURE_HEADER = "X-Gbfield-Signature"
KEYS_HEADER = "X-Gbfield-Catalog-Keys"
#: the field a transport adds to a pulled page: the two headers and the body's SHA-256
SIGNED_FIELD = "_signed"
_DOMAIN = b"gbfield pull page v1\n"

#: why a page was refused (SignatureInvalid.reason)
UNSIGNED, UNKNOWN_KEY, ALTERED, MALFORMED = "unsigned", "unknown_key", "altered", "malformed"


class SignatureInvalid(ProtocolError):
    """A pull page that is unsigned, signed by a key the device does not trust, or altered.
    `reason` is one of UNSIGNED, UNKNOWN_KEY, ALTERED, MALFORMED."""

    def __init__(self, reason: str, message: str):
        super().__init__(message, code=ErrorCode.VALIDATION_FAILED, details={"signature": [reason]})
        self.reason = reason


def key_id(public_key: bytes) -> str:
    """Return the id of a 32-byte Ed25519 public key (16 hex digits of its SHA-256)."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def public_b64(key: SigningKey | VerifyKey) -> str:
    """Return the base64 text of a key's public half."""
    verify = key.verify_key if isinstance(key, SigningKey) else key
    return base64.b64encode(bytes(verify)).decode("ascii")


def keys_header(public_keys: list[bytes]) -> str:
    """Return the X-Gbfield-Catalog-Keys value announcing `public_keys` (current first)."""
    return ",".join(f"{key_id(k)}={base64.b64encode(k).decode('ascii')}" for k in public_keys)


def parse_keys(header: str) -> dict[str, str]:
    """Return {id: public key base64} of a keys header; raises SignatureInvalid (MALFORMED)
    when an entry is not `<id>=<32-byte key>` or its id does not match its key."""
    out: dict[str, str] = {}
    for part in (header or "").split(","):
        if not part.strip():
            continue
        ident, _, b64 = part.strip().partition("=")
        try:
            raw = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32 or key_id(raw) != ident:
            raise SignatureInvalid(MALFORMED, f"announced key {ident!r} is not a valid Ed25519 key")
        out[ident] = b64
    return out


def signed_message(keys: str, body_sha256: bytes) -> bytes:
    """Return the bytes the signature covers: a domain prefix, the keys header, the body hash."""
    return _DOMAIN + keys.encode("ascii") + b"\n" + body_sha256


def sign_page(body: bytes, key: SigningKey, keys: str) -> str:
    """Return the X-Gbfield-Signature value of `body` signed by `key`, announcing `keys`."""
    sig = key.sign(signed_message(keys, hashlib.sha256(body).digest())).signature
    return f"{key_id(bytes(key.verify_key))} {base64.b64encode(sig).decode('ascii')}"


def signed_block(body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """Return what a transport attaches to a pulled page (SIGNED_FIELD): the headers as
    received (None when absent) and the SHA-256 hex of the exact body bytes."""
    return {"signature": headers.get(SIGNATURE_HEADER), "keys": headers.get(KEYS_HEADER),
            "body_sha256": hashlib.sha256(body).hexdigest()}


def verify_page(signed: Mapping[str, Any] | None, trusted: Mapping[str, str]) -> dict[str, str]:
    """Return the keys the page announces ({id: base64}) once its signature verifies with
    one of `trusted` ({id: public key base64}).

    Raises SignatureInvalid: UNSIGNED (no signature), UNKNOWN_KEY (signed by a key not in
    `trusted`), ALTERED (the signature does not match the body or the keys), MALFORMED.
    """
    if not signed or not signed.get("signature"):
        raise SignatureInvalid(UNSIGNED, "the page carries no signature")
    ident, _, sig_b64 = str(signed["signature"]).partition(" ")
    if ident not in trusted:
        raise SignatureInvalid(UNKNOWN_KEY, f"the page is signed by key {ident}, which this device does not trust")
    keys = str(signed.get("keys") or "")
    try:
        signature = base64.b64decode(sig_b64, validate=True)
        digest = bytes.fromhex(str(signed.get("body_sha256") or ""))
        verify = VerifyKey(base64.b64decode(trusted[ident], validate=True))
    except (binascii.Error, ValueError, TypeError) as exc:
        raise SignatureInvalid(MALFORMED, f"unreadable signature: {exc}") from exc
    try:
        verify.verify(signed_message(keys, digest), signature)
    except (BadSignatureError, ValueError) as exc:
        raise SignatureInvalid(ALTERED, "the page does not match its signature (altered on the way)") from exc
    announced = parse_keys(keys)
    if ident not in announced:
        raise SignatureInvalid(MALFORMED, "the signing key is not among the announced keys")
    return announced
