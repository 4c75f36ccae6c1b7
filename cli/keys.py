"""`gbfield keys generate PATH` / `gbfield keys show PATH`: the catalog signing key.

The key lives in a file, never in the database: point GBFIELD_CATALOG_KEY at it (and, during
a rotation, GBFIELD_CATALOG_NEXT_KEY at the next key's .pub file). docs/security.md.
"""
from __future__ import annotations

from pathlib import Path

from cli.main import UsageError, add_command
from server.kernel.signing import KeyFileError, read_key, write_key_pair
from sync.protocol.catalog_signing import key_id, public_b64


def register(subparsers) -> None:
    """Add the keys command to the `gbfield` parser."""
    p = add_command(subparsers, "keys", description="The Ed25519 key the server signs pull pages with. "
                    "generate writes PATH (private, mode 0600) and PATH.pub; show prints a key file's id.")
    sub = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    gen = sub.add_parser("generate", help="write a new key pair: PATH and PATH.pub")
    gen.add_argument("path", type=Path)
    gen.set_defaults(func=run_generate)
    show = sub.add_parser("show", help="print the id and public key of a key file")
    show.add_argument("path", type=Path)
    show.set_defaults(func=run_show)


def run_generate(args) -> int:
    """Write a new key pair; refuses to overwrite (exit 2)."""
    try:
        ident, public = write_key_pair(args.path)
    except FileExistsError as exc:
        raise UsageError(f"{args.path} exists: a key is never overwritten (move it away first)") from exc
    print(f"密钥已生成 / key written: {args.path} (private, 0600), {args.path}.pub")
    print(f"id {ident}  public {public}")
    print(f"GBFIELD_CATALOG_KEY={args.path}   (or, to announce it as the next key: "
          f"GBFIELD_CATALOG_NEXT_KEY={args.path}.pub)")
    return 0


def run_show(args) -> int:
    """Print `id <id> public <base64> (<kind>)` of a key file; exit 2 for a bad file."""
    try:
        key = read_key(args.path)
    except KeyFileError as exc:
        raise UsageError(str(exc)) from exc
    verify = getattr(key, "verify_key", key)
    kind = "private" if verify is not key else "public"
    print(f"id {key_id(bytes(verify))}  public {public_b64(verify)}  ({kind})")
    return 0
