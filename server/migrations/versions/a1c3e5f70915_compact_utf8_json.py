"""JSON stored as compact UTF-8 on every backend; the change log's data as json text

SQLite kept JSON written by the stdlib defaults (`\\uXXXX` escapes, 6 bytes per Chinese
character, spaces after separators): every JSON column's rows holding an escape are
rewritten compact (the same objects: content hashes, versions and digests, computed on
canonical JSON, do not change). On PostgreSQL `changes.data` becomes `json` (text kept as
written, so a pull serves the stored compact text unchanged) instead of `jsonb` (whose
text form has spaces); its rows are rewritten compact.

Revision ID: a1c3e5f70915
Revises: b4ce52fb9cf6
Create Date: 2026-12-01 14:40:00

"""
import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'a1c3e5f70915'
down_revision = 'b4ce52fb9cf6'
branch_labels = None
depends_on = None

CHUNK = 2000


def _compact(text):
    return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))


def _rewrite(bind, select_sql, update_sql):
    """Rewrite (key, text) rows of `select_sql` compact with `update_sql`, in chunks."""
    rows = bind.execute(sa.text(select_sql)).all()
    for start in range(0, len(rows), CHUNK):
        batch = [{"k": key, "v": _compact(value)} for key, value in rows[start:start + CHUNK]
                 if value is not None]
        if batch:
            bind.execute(sa.text(update_sql), batch)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE changes ALTER COLUMN data TYPE json USING data::json")
        _rewrite(bind, "SELECT seq, data::text FROM changes WHERE data IS NOT NULL",
                 "UPDATE changes SET data = CAST(:v AS json) WHERE seq = :k")
        return
    inspector = sa.inspect(bind)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if isinstance(column["type"], sa.JSON):
                name = column["name"]
                _rewrite(bind, f'SELECT rowid, "{name}" FROM "{table}" '          # noqa: S608 — names from the schema
                               f"WHERE \"{name}\" LIKE '%\\u%' OR \"{name}\" LIKE '%: %' OR \"{name}\" LIKE '%, %'",
                         f'UPDATE "{table}" SET "{name}" = :v WHERE rowid = :k')  # noqa: S608


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.alter_column("changes", "data", type_=postgresql.JSONB(), postgresql_using="data::jsonb")
