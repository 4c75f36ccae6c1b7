"""`gbfield registry import FILE.csv [--json] [--dry-run]`: load products into the registry.

Valid rows are applied (each changed product becomes a change tablets pull); rejected
rows are listed with their row number, column and reason. Exit 0 when every row was
accepted, 1 when some rows were rejected, 2 when the file cannot be used at all.
"""
from __future__ import annotations

import json
from pathlib import Path

from assets.registry import DEMO_CSV
from cli.main import UsageError, add_command
from server import create_app
from server.kernel import uow
from server.kernel.errors import DomainError
from server.registry.service import import_csv


def register(subparsers) -> None:
    """Add `registry import` to the `gbfield` parser."""
    r = add_command(subparsers, "registry")
    rsub = r.add_subparsers(dest="registry_command", metavar="ACTION")
    i = rsub.add_parser("import", help="import products from a CSV file and print the report",
                        description="Columns: gtin, name, standards (required); kind, category, product_class, "
                                    "company_name, credit_code. standards: 'GB 18401@infant:A; GB 31701'. "
                                    "UTF-8 or GB18030. DATABASE_URL selects the database.")
    i.add_argument("file", nargs="?", help="CSV file (omit with --demo)")
    i.add_argument("--demo", action="store_true", help="import the packaged demo products (assets/registry/demo_products.csv)")
    i.add_argument("--json", action="store_true", help="print the report as JSON")
    i.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    i.set_defaults(func=run_import)


def run_import(args) -> int:
    """Import the CSV; print the report; return 0 (all rows accepted) or 1 (some rejected).
    Raises UsageError when the file is missing or unusable (no header, unknown encoding)."""

    if args.demo == bool(args.file):
        raise UsageError("give a CSV file or --demo (one of them)")
    path = Path(DEMO_CSV if args.demo else args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取文件 / cannot read {path}: {exc.strerror}") from exc
    app = create_app()
    with app.app_context():
        try:
            with uow.unit_of_work():
                report = import_csv(None, content, source=path.name, dry_run=args.dry_run)
                if args.dry_run:
                    uow.rollback()   # a dry run stores nothing
        except DomainError as exc:
            raise UsageError(exc.message) from exc
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 1 if report["rejected"] else 0


def format_report(report: dict) -> str:
    """Return the report as readable lines (Chinese first)."""
    mode = "（试运行，未写入）" if report["dry_run"] else ""
    lines = [(f"导入 {report['source']}{mode}：共 {report['rows']} 行，接受 {report['accepted']} 行，"
             f"拒绝 {report['rejected']} 行；新增 {report['added']}，更新 {report['changed']}，"
             f"未变 {report['unchanged']}"),
             (f"imported {report['source']}: {report['rows']} rows, {report['accepted']} accepted, "
             f"{report['rejected']} rejected; {report['added']} added, {report['changed']} changed, "
             f"{report['unchanged']} unchanged")]
    if report["ignored_columns"]:
        lines.append(f"忽略的列 / ignored columns: {', '.join(report['ignored_columns'])}")
    for item in report["rejections"]:
        for err in item["errors"]:
            lines.append(f"  第 {item['row']} 行  {err['column_label']}（{err['column']}）：{err['reason']}")
    return "\n".join(lines)
