"""`gbfield serve`, `gbfield db upgrade`, `gbfield users create|unlock`, `gbfield catalog import`."""
from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

from flask_migrate import upgrade
from werkzeug.serving import make_server

import assets
from assets.synthetic import generate
from cli.catalog_xlsx import print_report, workbook_standards, write_json
from cli.demo_photos import demo_photos
from cli.main import UsageError, add_command
from rules.catalog import Catalog
from server import MIGRATIONS_DIR, create_app
from server.accounts.service import create_user, unlock_user
from server.app.demo import USERS, YEAR_USERS, load_demo
from server.catalog.service import import_catalog, import_workbook
from server.jobs.scheduler import start_embedded
from server.kernel.errors import DomainError
from server.kernel.uow import unit_of_work


def register(subparsers) -> None:
    """Add the server commands to the `gbfield` parser."""
    s = add_command(subparsers, "serve", description="Upgrade the database, optionally load demo data, and serve "
                                          "the API (threaded werkzeug server). DATABASE_URL selects the database.")
    s.add_argument("--demo", action="store_true", help="load demo users, catalog, products and inspections")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=5000, help="port (default 5000; 0 = any free port)")
    s.set_defaults(func=run_serve)

    d = add_command(subparsers, "db")
    dsub = d.add_subparsers(dest="db_command", metavar="ACTION")
    up = dsub.add_parser("upgrade", help="apply every migration (alembic upgrade head)")
    up.set_defaults(func=run_db_upgrade)

    u = add_command(subparsers, "users")
    usub = u.add_subparsers(dest="users_command", metavar="ACTION")
    c = usub.add_parser("create", help="create a user")
    c.add_argument("username")
    c.add_argument("--role", required=True, choices=("inspector", "supervisor", "expert", "admin", "registrar"))
    c.add_argument("--jurisdiction", required=True, help="6-digit administrative division code, e.g. 110105")
    c.add_argument("--password-stdin", action="store_true", help="read the password from stdin (else prompt)")
    c.set_defaults(func=run_users_create)
    ul = usub.add_parser("unlock", help="clear a user's login locks (after repeated wrong passwords)")
    ul.add_argument("username")
    ul.set_defaults(func=run_users_unlock)

    k = add_command(subparsers, "catalog")
    ksub = k.add_subparsers(dest="catalog_command", metavar="ACTION")
    i = ksub.add_parser("import", help="import the packaged catalog, or a committee workbook FILE.xlsx (as changes devices pull)")
    i.add_argument("file", nargs="?", help="标准填报表 .xlsx（逐行报告；其中的标准替换同号的内置标准）")
    i.add_argument("--check", action="store_true", help="只检查工作簿并报告，不导入")
    i.add_argument("--out", metavar="DIR", help="把工作簿中的标准写成 JSON 文件到 DIR，不导入")
    i.add_argument("--report-json", action="store_true", help="逐行报告以 JSON 输出到标准输出")
    i.add_argument("--synthetic", type=int, metavar="N", help="add a synthetic catalog of N indicators (load tests)")
    i.set_defaults(func=run_catalog_import)


def _app():
    return create_app()


def upgrade_database(app) -> None:
    """Run `alembic upgrade head` on the app's database."""
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)


def run_db_upgrade(args) -> int:
    """Apply the migrations; returns 0."""
    app = _app()
    upgrade_database(app)
    print(f"database upgraded: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    return 0


def run_serve(args) -> int:
    """Migrate, load demo data when asked, then serve until interrupted."""
    app = _app()
    upgrade_database(app)
    if args.demo:
        with app.app_context():
            summary = load_demo(with_inspections=False, year=True, photo_maker=demo_photos)
        year = summary["year"]
        print(f"demo data loaded in {summary['seconds']} s (a year of work: {year.get('inspections', 0)} inspections, "
              f"{year.get('photos', 0)} photos, {year.get('questions', 0)} questions; figures: "
              f"{year.get('stats_rows', 0)} rows); users (password for all: {summary['password']}):")
        for username, role, code, name in (*USERS, *YEAR_USERS):
            print(f"  {username:15} {role:10} {code}  {name}")
    scheduler_stop = start_embedded({})   # only when GBFIELD_EMBED_SCHEDULER is set
    server = make_server(args.host, args.port, app, threaded=True)
    print(f"gbfield server on http://{args.host}:{server.server_port}  "
          f"(API /api/v1, docs /api/v1/docs)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if scheduler_stop is not None:
            scheduler_stop.set()
    return 0


def run_users_create(args) -> int:
    """Create a user; raises UsageError for an empty password or invalid input."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
    if not password:
        raise UsageError("empty password")
    app = _app()
    with app.app_context():
        try:
            with unit_of_work():
                user = create_user(args.username, password, args.role, args.jurisdiction)
        except DomainError as exc:
            raise UsageError(exc.message) from exc
        print(f"created {user.username} ({user.role}, {user.jurisdiction_code})")
    return 0


def run_users_unlock(args) -> int:
    """Clear the login locks of a user; raises UsageError for an unknown user."""
    app = _app()
    with app.app_context():
        try:
            with unit_of_work():
                cleared = unlock_user(None, args.username)
        except DomainError as exc:
            raise UsageError(exc.message) from exc
    print(f"unlocked {args.username} ({cleared} lock counters cleared)")
    return 0


def run_catalog_import(args) -> int:
    """Import the packaged (and optional synthetic) catalog, or a committee workbook (its
    good standards in place of the live ones of the same numbers); prints the summary as JSON."""
    if getattr(args, "file", None):

        if args.out or args.check:
            standards = workbook_standards(args.file, report_json=args.report_json)
            for path in write_json(standards, args.out) if args.out else ():
                print(f"写入 {path}", file=sys.stderr)
            return 0
        return _import_workbook(args)
    if args.check or args.out:
        raise UsageError("--check / --out 需要给出工作簿文件 FILE.xlsx")
    catalog = assets.load_catalog()
    if args.synthetic:
        real = json.loads(assets.canonical_json(catalog))
        catalog = Catalog.from_dicts(real + generate(min(500, args.synthetic), args.synthetic))
    app = _app()
    with app.app_context(), unit_of_work():
        summary = import_catalog(catalog, source="gbfield catalog import")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _import_workbook(args) -> int:
    """`gbfield catalog import FILE.xlsx`: through the catalog service (server.catalog.service.import_workbook)."""
    if not Path(args.file).is_file():
        raise UsageError(f"找不到文件：{args.file}")
    app = _app()
    with app.app_context():
        try:
            with unit_of_work():
                result = import_workbook(args.file, source=f"gbfield catalog import {Path(args.file).name}")
        except DomainError as exc:
            if "rows" in exc.details:
                print_report(exc.details)
            raise UsageError(exc.message) from exc
    if args.report_json:
        json.dump(result["report"], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    print_report(result["report"])
    print(json.dumps(result["summary"], ensure_ascii=False))
    return 0
