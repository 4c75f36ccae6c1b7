"""`gbfield draw verify DRAW.json`: re-run a published 双随机 draw from its own inputs.
`gbfield draw run PLAN --as SUPERVISOR`: commit and reveal a stored plan's draw against
the database (DATABASE_URL), making one task per target. `gbfield plans import PLAN.json
--as SUPERVISOR`, `gbfield plans list --as USER`, `gbfield plans directory KIND FILE --as
SUPERVISOR` (KIND: enterprises, inspectors, items; the row-by-row report).

Exit 0 when the re-run gives the published result and every digest fits its commitment,
1 listing what differs, 2 when the file is not a draw document. `--commitment HEX` also
checks the commitment digest that was published before the draw (it catches an input
changed together with its digest). Needs nothing but the file: no database, no server.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.main import UsageError, add_command
from sampling import SamplingError, verify
from server import create_app
from server.accounts.service import principal_of
from server.kernel import uow
from server.kernel.errors import DomainError
from server.planning import service


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
    r = dsub.add_parser("run", help="commit and reveal a stored plan's draw; one task per target",
                        description="Commit (the commitment digest is printed: publish it), reveal, store the "
                                    "result and create the tasks. DATABASE_URL selects the database.")
    r.add_argument("plan_id", metavar="PLAN")
    r.add_argument("--as", dest="username", required=True, help="the supervisor drawing the plan")
    r.add_argument("--json", action="store_true", help="print the answer as JSON")
    r.set_defaults(func=run_draw)

    p = add_command(subparsers, "plans")
    psub = p.add_subparsers(dest="plans_command", metavar="ACTION")
    i = psub.add_parser("import", help="store a plan (sampling plan JSON; items may be item-list ids)")
    i.add_argument("file", metavar="PLAN.json")
    i.add_argument("--as", dest="username", required=True, help="the supervisor defining the plan")
    i.set_defaults(func=run_plan_import)
    ls = psub.add_parser("list", help="list the plans the user may see")
    ls.add_argument("--as", dest="username", required=True)
    ls.set_defaults(func=run_plan_list)
    d = psub.add_parser("directory", help="import the enterprise directory, the roster or the item list")
    d.add_argument("kind", choices=("enterprises", "inspectors", "items"))
    d.add_argument("file", help="CSV (UTF-8 or GB18030) or XLSX")
    d.add_argument("--as", dest="username", required=True)
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=run_directory_import)


def _service(username: str, action):
    """Run `action(planning service, principal)` in one unit of work; DomainErrors become
    UsageError (exit 2)."""
    app = create_app()
    with app.app_context():
        try:
            with uow.unit_of_work():
                return action(service, principal_of(username))
        except DomainError as exc:
            raise UsageError(exc.message) from exc


def run_draw(args) -> int:
    """Commit and reveal; print the commitment and the tasks; return 0."""
    answer = _service(args.username, lambda s, who: s.run(who, args.plan_id))
    if args.json:
        print(json.dumps({k: v for k, v in answer.items() if k != "document"}, ensure_ascii=False, indent=2))
    else:
        print(f"承诺值 / commitment: {answer['commitment_sha256']}")
        print(f"抽取 {answer['targets']} 个检查对象，生成 {len(answer['tasks'])} 项任务，人员不足 {answer['shortfalls']} 项 "
              f"({answer['targets']} targets, {len(answer['tasks'])} tasks, {answer['shortfalls']} short of officers)")
    return 0


def run_plan_import(args) -> int:
    """Store the plan in the file; print its id; return 0."""
    body = _load(args.file)
    plan = _service(args.username, lambda s, who: s.create_plan(who, body))
    print(f"已保存抽查计划 / plan stored: {plan['id']} {plan['name']}")
    return 0


def run_plan_list(args) -> int:
    """Print the plans the user may see; return 0."""
    for plan in _service(args.username, lambda s, who: s.list_plans(who)):
        print(f"{plan['id']}\t{plan['state']}\t{plan['name']}\t{plan.get('commitment_sha256') or ''}")
    return 0


def run_directory_import(args) -> int:
    """Import a directory file; print the row report; return 0 (all rows accepted) or 1."""
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取文件 / cannot read {path}: {exc.strerror}") from exc
    importer = {"enterprises": "import_enterprises", "inspectors": "import_inspectors", "items": "import_items"}
    report = _service(args.username, lambda s, who: getattr(s, importer[args.kind])(who, content, path.name))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{path.name}：共 {len(report['rows'])} 行，接受 {report['accepted']} 行，拒绝 {report['rejected']} 行；"
              f"新增 {report['added']}，更新 {report['changed']}，未变 {report['unchanged']}")
        for row in report["rows"]:
            for err in row["errors"]:
                print(f"  第 {row['row']} 行  {err['column_label']}（{err['column']}）：{err['reason']}")
    return 1 if report["rejected"] else 0


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
