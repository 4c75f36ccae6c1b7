"""`gbfield draw verify DRAW.json`: re-run a published 双随机 draw from its own inputs.

Exit 0 when the re-run gives the published result and every digest fits its commitment,
1 listing what differs, 2 when the file is not a draw document. `--commitment HEX` also
checks the commitment digest that was published before the draw (it catches an input
changed together with its digest). Needs nothing but the file: no database, no server.
"""
from __future__ import annotations

import json
import sys

from cli.main import UsageError, add_command
from sampling import SamplingError, verify


def register(subparsers) -> None:
    """Add the draw commands to the `gbfield` parser."""
    d = add_command(subparsers, "draw")
    dsub = d.add_subparsers(dest="draw_command", metavar="ACTION")
    v = dsub.add_parser("verify", help="re-run a published draw from its inputs and compare",
                        description="Re-run the draw in DRAW.json (algorithm gbfield-draw/1) from the inputs it "
                                    "publishes and compare with its result. Exit 0 match, 1 mismatch.")
    v.add_argument("draw_file", metavar="DRAW.json", help="the published draw document ('-' for stdin)")
    v.add_argument("--commitment", metavar="SHA256",
                   help="the commitment digest published before the draw (checked too)")
    v.add_argument("--json", action="store_true", help="print the report as JSON")
    v.set_defaults(func=run_verify)


def _load(path: str):

    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise UsageError(f"无法读取 {path}：{exc.strerror} (cannot read the file)") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path} 不是 UTF-8 JSON：{exc} (not a JSON file)") from exc


def run_verify(args) -> int:
    """Verify the draw; print the report; return 0 match, 1 mismatch (UsageError: not a draw)."""
    doc = _load(args.draw_file)
    try:
        report = verify(doc, expected_commitment=args.commitment)
    except SamplingError as exc:
        raise UsageError(exc.message) from exc
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines()))
    return 0 if report.matches else 1
