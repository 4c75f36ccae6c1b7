"""`gbfield tablet --store PATH`: run the Kivy tablet app on a device store."""
from __future__ import annotations

import os

from cli.device import default_store
from cli.main import UsageError, add_command


def register(subparsers) -> None:
    """Add the `tablet` command."""
    parser = add_command(subparsers, "tablet")
    parser.add_argument("--store", default=None,
                        help="device store file (default: $GBFIELD_DEVICE_STORE or ~/.local/share/gbfield/device.sqlite)")
    parser.add_argument("--size", default=None, metavar="WxH", help="window size on a desktop, e.g. 1280x800")
    parser.set_defaults(func=cmd_tablet)


def cmd_tablet(args) -> int:
    """Run the app until its window is closed; return 0. Raises UsageError for a bad --size."""
    size = None
    if args.size:
        try:
            width, height = (int(part) for part in args.size.lower().split("x"))
            size = (width, height)
        except ValueError as exc:
            raise UsageError(f"窗口大小应为 宽x高 / --size must be WxH, e.g. 1280x800: {args.size!r}") from exc
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kivy_client.app import run  # noqa: PLC0415 — Kivy reads KIVY_NO_ARGS when first imported: set it first

    run(args.store or default_store(), size=size)
    return 0
