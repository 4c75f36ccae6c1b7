"""The catalog signing key: kept in a file outside the database, loaded once per app.

    GBFIELD_CATALOG_KEY       path of the current private key (default
                              <instance>/catalog_ed25519.key, made on first use, mode 0600)
    GBFIELD_CATALOG_NEXT_KEY  path of the next key during a rotation (its public file is
                              enough: the private half can stay offline until the switch)

Key files are one line: `ed25519-private <seed base64>` or `ed25519-public <key base64>`
(`gbfield keys generate PATH` writes PATH and PATH.pub). Pull pages are signed with the
current key and announce current + next (sync.protocol.catalog_signing).
"""
from __future__ import annotations

import base64
import binascii
import os
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from nacl.signing import SigningKey, VerifyKey

from server.kernel.errors import ServerError
from sync.protocol.catalog_signing import (
    KEYS_HEADER,
    SIGNATURE_HEADER,
    key_id,
    keys_header,
    sign_page,
)

PRIVATE, PUBLIC = "ed25519-private", "ed25519-public"
EXTENSION = "gbfield_catalog_signer"


class KeyFileError(ServerError, ValueError):
    """A key file that is missing, unreadable or not an Ed25519 key line."""


def write_key_pair(path: Path) -> tuple[str, str]:
    """Write a new private key to `path` (mode 0600) and its public key to `path`.pub;
    return (key id, public base64). Raises FileExistsError rather than overwrite a key."""
    key = SigningKey.generate()
    public = base64.b64encode(bytes(key.verify_key)).decode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(f"{PRIVATE} {base64.b64encode(bytes(key)).decode('ascii')}\n")
    Path(f"{path}.pub").write_text(f"{PUBLIC} {public}\n", encoding="ascii")
    return key_id(bytes(key.verify_key)), public


def read_key(path: Path) -> SigningKey | VerifyKey:
    """Return the key in `path` (a SigningKey for a private file, a VerifyKey for a public
    one). Raises KeyFileError when the file is missing or not a key line."""
    try:
        kind, _, b64 = path.read_text(encoding="ascii").strip().partition(" ")
        raw = base64.b64decode(b64, validate=True)
    except (OSError, UnicodeDecodeError, binascii.Error, ValueError) as exc:
        raise KeyFileError(f"{path}: not a readable key file ({exc})") from exc
    if len(raw) != 32 or kind not in (PRIVATE, PUBLIC):
        raise KeyFileError(f"{path}: expected one line '{PRIVATE} <base64>' or '{PUBLIC} <base64>'")
    return SigningKey(raw) if kind == PRIVATE else VerifyKey(raw)


def _default_key(instance: Path) -> Path:
    path = instance / "catalog_ed25519.key"
    try:
        write_key_pair(path)
    except FileExistsError:  # made earlier, or by another worker starting at the same time:
        for _ in range(50):  # that one may still be writing it
            if path.read_text(encoding="ascii").strip():
                break
            time.sleep(0.01)
    return path


@dataclass(frozen=True)
class PageSigner:
    """Signs pull pages with the current key and announces current (+ next)."""

    key: SigningKey
    announced: str

    @classmethod
    def from_config(cls, config, instance: Path) -> PageSigner:
        """Return the signer of `config` (GBFIELD_CATALOG_KEY / _NEXT_KEY). Raises
        KeyFileError for a missing or bad file, or a public-only current key."""
        current = read_key(Path(config.get("GBFIELD_CATALOG_KEY") or _default_key(instance)))
        if not isinstance(current, SigningKey):
            raise KeyFileError("GBFIELD_CATALOG_KEY must name a private key file (ed25519-private)")
        keys = [bytes(current.verify_key)]
        if config.get("GBFIELD_CATALOG_NEXT_KEY"):
            nxt = read_key(Path(config["GBFIELD_CATALOG_NEXT_KEY"]))
            public = bytes(nxt.verify_key if isinstance(nxt, SigningKey) else nxt)
            if public not in keys:
                keys.append(public)
        return cls(current, keys_header(keys))

    def headers(self, body: bytes) -> dict[str, str]:
        """Return the two headers of a signed page whose body is `body`."""
        return {KEYS_HEADER: self.announced, SIGNATURE_HEADER: sign_page(body, self.key, self.announced)}

    def keys(self) -> dict[str, str]:
        """Return {id: public base64} of the announced keys (what enrolment hands a tablet)."""
        out = {}
        for part in self.announced.split(","):
            ident, _, b64 = part.partition("=")
            out[ident] = b64
        return out


def init_app(app) -> None:
    """Load the signer once (at app creation, so a bad key file fails the start)."""
    app.extensions[EXTENSION] = PageSigner.from_config(app.config, Path(app.instance_path))


def signer() -> PageSigner:
    """Return the current app's PageSigner."""
    return current_app.extensions[EXTENSION]
