"""`gbfield interpretations list|publish`: read and publish official interpretations."""
from __future__ import annotations

import json
import sys
from datetime import date

from cli.main import UsageError, add_command
from server import create_app
from server.accounts import service as accounts
from server.interpretations import service as interpretations
from server.kernel.errors import DomainError, NotFound
from server.kernel.uow import unit_of_work


def register(subparsers) -> None:
    """Add the interpretations command group to the `gbfield` parser."""
    p = add_command(subparsers, "interpretations")
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    ls = sub.add_parser("list", help="list published interpretations")
    ls.add_argument("--standard", help='standard code, e.g. "GB 18401"')
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=run_list)
    pub = sub.add_parser("publish", help="publish an interpretation from a JSON file")
    pub.add_argument("file", help='JSON: {title, text, clauses: [{edition_id, clause}], indicator_ids?, '
                                  'effective, until?, effect: {"method": "rounded"}, id? (new version)}')
    pub.add_argument("--as", dest="username", required=True, help="the expert or admin publishing it")
    pub.set_defaults(func=run_publish)


def _app():
    return create_app()


def run_list(args) -> int:
    """Print the published interpretations (newest versions)."""
    with _app().app_context():
        items = interpretations.list_public(standard=args.standard)
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=1))
        return 0
    for item in items:
        print(f"{item['id']}  v{item['version']}  {item['edition_id']} 第{item['clause']}条  "
              f"{item['effective']}  {item['title']}")
    return 0


def run_publish(args) -> int:
    """Publish the file's interpretation as `--as`; print it and the flags raised."""
    try:
        with open(args.file, encoding="utf-8") as fh:
            body = json.load(fh)
    except (OSError, ValueError) as exc:
        raise UsageError(f"无法读取 {args.file}: {exc}") from exc
    with _app().app_context():
        try:
            who = accounts.principal_of(args.username, token_id="cli")
        except NotFound as exc:
            raise UsageError(f"用户不存在 / unknown user {args.username}") from exc
        try:
            with unit_of_work():
                result = interpretations.publish(
                    who, title=body["title"], text=body["text"], clauses=body["clauses"],
                    indicator_ids=body.get("indicator_ids"), effect=body["effect"],
                    effective=date.fromisoformat(body["effective"]),
                    until=date.fromisoformat(body["until"]) if body.get("until") else None,
                    interpretation_id=body.get("id"))
        except (KeyError, ValueError) as exc:
            raise UsageError(f"文件内容不完整 / incomplete file: {exc}") from exc
        except DomainError as exc:
            print(f"gbfield interpretations: {exc.message}", file=sys.stderr)
            return 1
    print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    return 0
