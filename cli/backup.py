"""`gbfield backup PATH` / `gbfield restore PATH [--force]`: the database and the blobs.

DATABASE_URL and the blob settings (GBFIELD_BLOB_STORE, GBFIELD_BLOB_DIR, GBFIELD_S3_*)
choose what is backed up and where it is restored (server.kernel.backup, docs/operations.md).
The catalog signing key is a file of its own: it is not in the archive.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from cli.main import UsageError, add_command
from cli.server import upgrade_database
from server import create_app
from server.kernel import backup as archive
from server.kernel.blobs import BlobStoreError


def register(subparsers) -> None:
    """Add the backup and restore commands to the `gbfield` parser."""
    b = add_command(subparsers, "backup", description="Write the database (every table) and every blob "
                    "to one tar archive (PATH.tar, or PATH.tar.gz compressed); never overwrites a file.")
    b.add_argument("path", type=Path)
    b.add_argument("--quiet", action="store_true", help="no progress lines")
    b.set_defaults(func=run_backup)
    r = add_command(subparsers, "restore", description="Load an archive of `gbfield backup` into this "
                    "server's database and blob store (migrated first). Refuses a target that holds "
                    "any row or blob unless --force, which empties it first.")
    r.add_argument("path", type=Path)
    r.add_argument("--force", action="store_true", help="replace what the target holds (it is deleted)")
    r.add_argument("--quiet", action="store_true", help="no progress lines")
    r.set_defaults(func=run_restore)


STAGES = {"rows": "表 tables", "blobs": "文件 blobs"}


class _Progress:
    """Progress lines on stderr: at most one a second, and each stage's last."""

    def __init__(self, verb: str, quiet: bool):
        self.verb, self.quiet, self.last = verb, quiet, 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.quiet or (done < total and now - self.last < 1.0):
            return
        self.last = now
        print(f"{self.verb}: {STAGES.get(stage, stage)} {done}/{total}", file=sys.stderr, flush=True)


def run_backup(args) -> int:
    """Write the archive; print what it holds. Exit 2 when PATH exists or there is no schema."""
    app = create_app()
    started = time.monotonic()
    with app.app_context():
        try:
            manifest = archive.backup(args.path, _Progress("备份 backup", args.quiet))
        except (archive.BackupError, BlobStoreError) as exc:
            raise UsageError(str(exc)) from exc
    rows = sum(manifest["tables"].values())
    print(f"备份完成 / backup written: {args.path} — {rows} rows in {len(manifest['tables'])} tables, "
          f"{len(manifest['blobs'])} blobs, schema {manifest['revision']}, {time.monotonic() - started:.1f} s")
    return 0


def run_restore(args) -> int:
    """Migrate the target, check it is empty (or empty it with --force), load the archive."""
    app = create_app()
    started = time.monotonic()
    try:
        archive.read_manifest(args.path)
        upgrade_database(app)
        if args.force:
            with app.app_context():
                archive.empty_target()
            upgrade_database(app)
        with app.app_context():
            manifest = archive.restore(args.path, _Progress("恢复 restore", args.quiet))
    except (archive.BackupError, BlobStoreError) as exc:
        raise UsageError(str(exc)) from exc
    rows = sum(manifest["tables"].values())
    print(f"恢复完成 / restored: {rows} rows, {len(manifest['blobs'])} blobs from {args.path} "
          f"(made {manifest['made_at']}), {time.monotonic() - started:.1f} s")
    return 0
