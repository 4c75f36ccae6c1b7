"""Migration fd5c5a43600e (the catalog model's columns) up and down on SQLite and
PostgreSQL: a database imported before it gets the columns filled from each row's `data`,
exactly as the import writes them; downgrade drops them and keeps the rows."""
from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

import assets
from server import MIGRATIONS_DIR, create_app
from server.catalog.importer import import_catalog, indicator_columns
from server.kernel.extensions import db

#: the revision it follows (read from the script, so re-chaining migrations on landing keeps this test right)
BEFORE = ScriptDirectory(MIGRATIONS_DIR).get_revision("fd5c5a43600e").down_revision
NEW_INDICATOR = ("kind", "confirmed", "unverified", "answers", "grade_table")
NEW_EDITION = ("relations", "amendments", "unverified")


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}


def _snapshot(table: str, names) -> dict:
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text(f"SELECT id, {', '.join(names)} FROM {table}")).mappings().all()
    return {r["id"]: {n: r[n] for n in names} for r in rows}


def _norm(cols: dict) -> dict:
    """The columns as Python values (SQLite hands JSON back as text, booleans as 0/1)."""
    out = {}
    for name, value in cols.items():
        if name == "confirmed":
            value = bool(value)
        elif name != "kind" and isinstance(value, str):
            value = json.loads(value)
        out[name] = value
    return out


def test_up_down_up_fills_the_columns_from_data(db_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        import_catalog(assets.load_catalog(), source="test", effective_from=date(2000, 1, 1))
        db.session.commit()
        written_ind = _snapshot("indicators", NEW_INDICATOR)
        written_ed = _snapshot("editions", NEW_EDITION)
        count = len(written_ind)
        db.session.remove()

        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        assert not set(NEW_INDICATOR) & _columns("indicators")
        assert not set(NEW_EDITION) & _columns("editions")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM indicators")).scalar() == count

        upgrade(directory=MIGRATIONS_DIR)
        filled_ind = _snapshot("indicators", NEW_INDICATOR)
        filled_ed = _snapshot("editions", NEW_EDITION)
        with db.engine.connect() as conn:
            data = dict(conn.execute(sa.text("SELECT id, data FROM indicators")).all())
        db.session.remove()
        db.engine.dispose()

    assert len(filled_ind) == count
    for ident, cols in filled_ind.items():
        row = data[ident]
        expected = indicator_columns(json.loads(row) if isinstance(row, str) else row)
        assert _norm(cols) == {n: expected[n] for n in NEW_INDICATOR} == _norm(written_ind[ident]), ident
    assert any(not _norm(c)["confirmed"] for c in filled_ind.values())
    assert {i: _norm(c) for i, c in filled_ed.items()} == {i: _norm(c) for i, c in written_ed.items()}
    assert _norm(filled_ed["GB 31701-2015"])["relations"]
