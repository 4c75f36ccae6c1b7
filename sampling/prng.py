"""The draw's pseudo-random function, specified so that anyone can re-run it.

Algorithm `gbfield-draw/1`:

    key(seed, purpose, *parts) = HMAC-SHA256(key = seed (32 bytes),
                                             message = UTF-8 of purpose, parts joined by U+001F)

written as 64 lower-case hex digits. A set is drawn by giving each member its key and
taking the members with the smallest keys (ties, which need a SHA-256 collision, fall to
the smaller identifier). Because HMAC-SHA256 with a secret key behaves as a random
function, every subset of the same size is equally likely, and the result does not depend
on the order the directory was listed in. Purposes used: "target" (parts: stratum label,
credit code) and "inspector" (parts: credit code, inspector code).

Python's `random` is not used: its generator is an implementation detail of CPython.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sampling.errors import SeedError

SEED_BYTES = 32
_SEPARATOR = "\x1f"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def new_seed() -> str:
    """Return a fresh seed: 32 bytes from the operating system's CSPRNG, as 64 hex digits."""
    return secrets.token_hex(SEED_BYTES)


def seed_bytes(seed: str) -> bytes:
    """Return the 32 bytes of a hex seed; raises SeedError when it is not 64 hex digits."""
    text = str(seed).strip().lower()
    if not _HEX64.match(text):
        raise SeedError(f"随机种子应为64位十六进制数字：{seed!r} (a seed is 64 hex digits)")
    return bytes.fromhex(text)


def seed_commitment(seed: str) -> str:
    """Return the published commitment of a seed: hex SHA-256 of its 32 bytes; raises SeedError."""
    return hashlib.sha256(seed_bytes(seed)).hexdigest()


def key(seed: bytes, purpose: str, *parts: str) -> str:
    """Return the hex HMAC-SHA256 key of (purpose, parts) under `seed` (see the module text)."""
    message = _SEPARATOR.join((purpose, *parts)).encode("utf-8")
    return hmac.digest(seed, message, "sha256").hex()     # the one-shot C implementation
