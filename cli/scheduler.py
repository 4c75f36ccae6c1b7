"""`gbfield scheduler [--once]`: the one scheduler process (APScheduler behind a DB lease)."""
from __future__ import annotations

import json
import logging
import signal
import sys
import threading

from cli.main import add_command
from server.jobs.scheduler import SchedulerRunner


def register(subparsers) -> None:
    """Add the scheduler command to the `gbfield` parser."""
    p = add_command(subparsers, "scheduler", description="Runs edition status changes, question escalation, nightly statistics, purges and "
                    "回头看 reminders. Start one per installation; a second one waits as a standby "
                    "and takes over when the first stops. DATABASE_URL chooses the database.")
    p.add_argument("--once", action="store_true", help="run every job once for the current slot and exit")
    p.add_argument("--max-seconds", type=float, default=None, help="stop after this many seconds (tests)")
    p.set_defaults(func=run_scheduler)


def run_scheduler(args) -> int:
    """Run in the foreground until SIGINT/SIGTERM; --once runs each job once. Returns 1 when
    --once finds another process holding the lease."""

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runner = SchedulerRunner({})
    if args.once:
        result = runner.run_once()
        if result is None:
            print("另一个调度进程正在运行 / another scheduler holds the lease", file=sys.stderr)
            return 1
        print(json.dumps(result, ensure_ascii=False, default=str))
        return 0
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(f"scheduler {runner.holder} started", flush=True)
    runner.run(stop, max_seconds=args.max_seconds)
    return 0
