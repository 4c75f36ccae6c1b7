"""`gbfield evidence verify`: check the evidence hash chain (DATABASE_URL selects the database).

Exit 0 "chain intact, N events" (and the head hash, worth writing down somewhere else:
it proves later that nothing was cut off the end); exit 1 naming the first broken link.
"""
from __future__ import annotations

from cli.main import add_command
from server import create_app
from server.evidence import service


def register(subparsers) -> None:
    """Add the evidence commands to the `gbfield` parser."""
    e = add_command(subparsers, "evidence")
    esub = e.add_subparsers(dest="evidence_command", metavar="ACTION")
    v = esub.add_parser("verify", help="verify the evidence hash chain; name the first broken link",
                        description="Recompute every evidence event's hash and its link to the one before. "
                                    "Exit 0 when intact, 1 at the first broken link.")
    v.add_argument("--database-url", help="database to check (default: DATABASE_URL, else the instance SQLite)")
    v.add_argument("--expect-head", metavar="SHA256",
                   help="also fail unless the chain's head hash is this one (detects a cut-off tail)")
    v.set_defaults(func=run_verify)


def run_verify(args) -> int:
    """Verify the chain; print the outcome; return 0 intact, 1 broken."""
    overrides = {"SQLALCHEMY_DATABASE_URI": args.database_url} if args.database_url else None
    app = create_app(overrides)
    with app.app_context():
        report = service.verify()
    if not report.ok:
        link = report.first_broken
        print(f"证据链断裂 / chain BROKEN at event #{link.seq}: {link.reason} "
              f"({report.count} events before it are intact)")
        return 1
    if args.expect_head and args.expect_head.lower() != report.head:
        print(f"证据链末端不符 / chain head mismatch: expected {args.expect_head}, found {report.head} "
              f"after {report.count} events (events were removed from or added to the end)")
        return 1
    print(f"证据链完整 / chain intact, {report.count} events, head {report.head}")
    return 0
