"""`gbfield jurisdictions add | import | list`: the administrative-division tree that users,
inspections and access rules hang on (6-digit codes: province 110000 → city 110100 →
district 110105)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from cli.main import UsageError, add_command
from server import create_app
from server.accounts.service import ensure_jurisdiction, list_jurisdictions
from server.kernel.errors import DomainError
from server.kernel.uow import unit_of_work


def register(subparsers) -> None:
    """Add the `jurisdictions` command group."""
    parser = add_command(subparsers, "jurisdictions")
    sub = parser.add_subparsers(dest="jurisdictions_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add one division (idempotent)")
    add.add_argument("code", help="6-digit administrative division code, e.g. 110105")
    add.add_argument("name", help="name, e.g. 朝阳区")
    add.add_argument("--parent", help="the parent's code (omit for a province)")
    add.set_defaults(func=run_add)
    imp = sub.add_parser("import", help="add divisions from a CSV with columns code,name,parent")
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=run_import)
    lst = sub.add_parser("list", help="print the tree")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=run_list)


def _app():

    return create_app()


def run_add(args) -> int:
    """Add one division. Raises UsageError for a malformed code or an unknown parent."""
    return _add_rows([(args.code.strip(), args.name.strip(), (args.parent or "").strip() or None)])


def run_import(args) -> int:
    """Add every row of a CSV (UTF-8, header code,name,parent; parents before children or in
    any order). Raises UsageError naming the first bad row; nothing is stored then."""
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取 {args.file}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"code", "name"} <= set(reader.fieldnames):
        raise UsageError("CSV 需要表头 code,name,parent / the CSV needs the header code,name,parent")
    rows = [((r.get("code") or "").strip(), (r.get("name") or "").strip(), (r.get("parent") or "").strip() or None)
            for r in reader]
    # parents first: a row whose parent is also in the file waits for it
    codes = {code for code, _, _ in rows}
    ordered, placed = [], set()
    while len(ordered) < len(rows):
        progress = False
        for row in rows:
            if row[0] not in placed and (row[2] is None or row[2] not in codes or row[2] in placed):
                ordered.append(row)
                placed.add(row[0])
                progress = True
        if not progress:
            raise UsageError("上级关系成环 / the parent column forms a cycle")
    return _add_rows(ordered)


def _add_rows(rows: list[tuple[str, str, str | None]]) -> int:

    app = _app()
    with app.app_context(), unit_of_work():
        for n, (code, name, parent) in enumerate(rows, start=1):
            if not name:
                raise UsageError(f"第{n}行缺少名称 / row {n}: name is empty ({code})")
            try:
                ensure_jurisdiction(code, name, parent)
            except DomainError as exc:
                raise UsageError(f"第{n}行 / row {n} ({code}): {exc.message}") from exc
    print(f"{len(rows)} 个行政区划已就绪 / {len(rows)} division(s) in place")
    return 0


def run_list(args) -> int:
    """Print the tree, indented by level (or JSON)."""
    app = _app()
    with app.app_context():
        items = list_jurisdictions()
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    for item in items:
        depth = item["path"].strip("/").count("/")
        print(f"{'  ' * depth}{item['code']}  {item['name']}")
    return 0
