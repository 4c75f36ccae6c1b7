"""`alembic upgrade head` on an empty database yields exactly the models' schema
(a model change without a migration fails here)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server import MIGRATIONS_DIR, create_app
from server.kernel.extensions import db


def _diff_ignoring_noise(diffs):
    return [d for d in diffs if not (isinstance(d, tuple) and d[0] in ("remove_table",) and
                                     d[1].name == "alembic_version")]


def test_upgrade_head_matches_models(db_url):
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = _diff_ignoring_noise(compare_metadata(ctx, db.metadata))
        db.engine.dispose()
    assert diffs == [], f"models differ from migrations (run `flask db migrate`): {diffs}"
