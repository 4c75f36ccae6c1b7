"""Signed pull pages for in-memory test transports (the fake server, scripted transports):
the same headers the real server sends, made with a fixed test key."""
from __future__ import annotations

import orjson
from nacl.signing import SigningKey

from sync.protocol.catalog_signing import (
    KEYS_HEADER,
    SIGNATURE_HEADER,
    SIGNED_FIELD,
    keys_header,
    sign_page,
    signed_block,
)

#: the fixed key in-memory servers sign with (a real Ed25519 key, from a fixed seed)
TEST_KEY = SigningKey(bytes(range(32)))


def signed(page: dict, key: SigningKey = TEST_KEY, announce: list[SigningKey] | None = None) -> dict:
    """Return `page` as a transport hands it to the engine: its body signed by `key`,
    announcing `announce` (default: `key` alone), under SIGNED_FIELD."""
    body = orjson.dumps(page)
    keys = keys_header([bytes(k.verify_key) for k in (announce or [key])])
    headers = {KEYS_HEADER: keys, SIGNATURE_HEADER: sign_page(body, key, keys)}
    return {**orjson.loads(body), SIGNED_FIELD: signed_block(body, headers)}
