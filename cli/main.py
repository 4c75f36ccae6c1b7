"""Entry point of the `gbfield` console script.

Exit codes: 0 success, 1 a failure the command reports (e.g. a check found a problem),
2 unusable input (a one-line reason on stderr).

Each command group is one module of `cli` with its imports at the top; only the module of
the command being run is imported (the server's commands bring Flask and SQLAlchemy, the
device's requests, the tablet's Kivy): the others are listed in `--help` from COMMANDS.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

#: every command: name -> (the module that registers and runs it, its one-line help).
#: Order = order in --help.
COMMANDS: dict[str, tuple[str, str]] = {
    "judge": ("cli.judge", "judge a measured value against a limit (GB/T 8170)"),
    "round": ("cli.judge", "round a value per GB/T 8170 §3"),
    "standards": ("cli.standards", "标准目录：列出、查看、搜索 / browse the standards catalog"),
    "qr": ("cli.qr", "parse product codes (GS1 / GB/T 33993) and make QR labels"),
    "serve": ("cli.server", "run the sync server (migrates the database first)"),
    "db": ("cli.server", "database migrations"),
    "users": ("cli.server", "manage users"),
    "catalog": ("cli.server", "the server's standards catalog"),
    "jurisdictions": ("cli.jurisdictions", "行政区划 / the jurisdiction tree (division codes)"),
    "device": ("cli.device", "device (tablet) sync engine: enroll, sync, status"),
    "evidence": ("cli.evidence", "evidence integrity (photo and record hash chain)"),
    "registry": ("cli.registry", "the product registry (GTIN → product → standards)"),
    "scheduler": ("cli.scheduler", "run the job scheduler (exactly one process holds it; others stand by)"),
    "interpretations": ("cli.interpretations", "official interpretations (list, publish)"),
    "draw": ("cli.draw", "双随机 draws: run a stored plan's draw, verify a published one"),
    "plans": ("cli.draw", "双随机 plans: import, list, and the directories they draw from"),
    "tablet": ("cli.tablet", "run the tablet app (Kivy) on a device store"),
    "backup": ("cli.backup", "备份数据库和文件 / back up the database and the blobs to one archive"),
    "restore": ("cli.backup", "从备份恢复 / restore a backup into an empty server"),
    "keys": ("cli.keys", "目录签名密钥 / the catalog signing key: generate, show"),
}


class UsageError(Exception):
    """Raised by a command for unusable input; printed as one line, exit code 2."""


def add_command(subparsers, name: str, **kwargs) -> argparse.ArgumentParser:
    """Add the parser of command `name` (a key of COMMANDS, whose help it gets); the
    command modules' `register(subparsers)` call this. Raises KeyError for an unlisted name."""
    return subparsers.add_parser(name, help=COMMANDS[name][1], **kwargs)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the `gbfield` parser: every command listed, the arguments of `command`'s
    module registered (its module imported); the others stay unloaded."""
    parser = argparse.ArgumentParser(
        prog="gbfield",
        description="gbfield: field inspection against China's mandatory national standards",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = COMMANDS[command][0] if command in COMMANDS else None
    for name, (module_name, help_text) in COMMANDS.items():
        if module_name != chosen:
            sub.add_parser(name, help=help_text)
        elif name not in sub.choices:      # the module adds all of its commands at once
            importlib.import_module(module_name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(command)
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
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
