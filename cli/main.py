"""Entry point of the `gbfield` console script.

Exit codes: 0 success, 1 a failure the command reports (e.g. a check found a problem),
2 unusable input (a one-line reason on stderr).
"""
from __future__ import annotations

import argparse
import importlib
import sys

# Sub-command modules, each exposing register(subparsers). Order = order in --help.
COMMAND_MODULES = (
    "cli.judge",       # judge, round
    "cli.standards",   # standards list|show|search
    "cli.qr",          # qr parse|make
    "cli.server",      # serve, db, users, catalog
    "cli.jurisdictions",  # jurisdictions add|import|list
    "cli.device",      # device enroll|sync|status
    "cli.evidence",    # evidence verify
    "cli.registry",    # registry import
    "cli.scheduler",   # scheduler [--once]
    "cli.interpretations",  # interpretations list|publish
    "cli.draw",        # draw verify
    "cli.tablet",      # tablet --store PATH (Kivy app)
)


class UsageError(Exception):
    """Raised by a command for unusable input; printed as one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gbfield",
        description="gbfield: field inspection against China's mandatory national standards",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that command group is not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"gbfield {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`gbfield ... | head`): stop quietly, as Unix tools do
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
