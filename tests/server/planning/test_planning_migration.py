"""The planning migration goes up and down (SQLite and PostgreSQL): down removes exactly
its tables, up again restores them."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from server import MIGRATIONS_DIR, create_app
from server.kernel.extensions import db

TABLES = {"enterprises", "roster_inspectors", "inspection_items", "plans", "draws", "tasks", "orders", "publications"}
REVISION = "37eb3fcfca07"
#: the revision it follows (read from the script, so re-chaining migrations on landing keeps this test right)
BEFORE = ScriptDirectory(MIGRATIONS_DIR).get_revision(REVISION).down_revision


def _tables():
    return set(sa.inspect(db.engine).get_table_names())


def test_planning_migration_up_and_down(db_url):
    from flask_migrate import downgrade, upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=REVISION)
        assert TABLES <= _tables()
        others = _tables() - TABLES
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        assert _tables() & TABLES == set() and _tables() == others
        upgrade(directory=MIGRATIONS_DIR, revision=REVISION)
        assert TABLES <= _tables()
        db.engine.dispose()


WITHDRAWALS = "5e1b7c9d2a40"
COLUMNS = {"withdrawn_on", "withdrawn_by", "withdrawn_reason"}


def test_the_withdrawal_columns_go_up_and_down(db_url):
    from flask_migrate import downgrade, upgrade

    before = ScriptDirectory(MIGRATIONS_DIR).get_revision(WITHDRAWALS).down_revision
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=WITHDRAWALS)
        assert COLUMNS <= {c["name"] for c in sa.inspect(db.engine).get_columns("publications")}
        downgrade(directory=MIGRATIONS_DIR, revision=before)
        assert not COLUMNS & {c["name"] for c in sa.inspect(db.engine).get_columns("publications")}
        db.engine.dispose()
