"""catalog model columns: indicator kind, confirmed, unverified, answers, grade_table;
edition relations, amendments, unverified (filled from each row's `data`)

Revision ID: fd5c5a43600e
Revises: 6755a1bdcd9b
Create Date: 2026-12-01 14:14:52.170435

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401  (autogenerate renders JSONB(astext_type=Text()))
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'fd5c5a43600e'
down_revision = '6755a1bdcd9b'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql')
#: an indicator whose `unverified` names one of these is not confirmed (rules.catalog.Indicator.confirmed)
UNCONFIRMED_PARTS = {"value", "grade_table"}


def _backfill():
    """Fill the new columns from the `data` each row already holds (what devices pull)."""
    bind = op.get_bind()
    editions = sa.table("editions", sa.column("id", sa.String), sa.column("data", JSON),
                        sa.column("relations", JSON), sa.column("amendments", JSON), sa.column("unverified", JSON))
    indicators = sa.table("indicators", sa.column("id", sa.String), sa.column("data", JSON),
                          sa.column("kind", sa.String), sa.column("confirmed", sa.Boolean),
                          sa.column("unverified", JSON), sa.column("answers", JSON), sa.column("grade_table", JSON))
    for ident, data in bind.execute(sa.select(editions.c.id, editions.c.data)).all():
        data = data or {}
        bind.execute(editions.update().where(editions.c.id == ident).values(
            relations=list(data.get("relations") or ()), amendments=list(data.get("amendments") or ()),
            unverified=list(data.get("unverified") or ())))
    for ident, data in bind.execute(sa.select(indicators.c.id, indicators.c.data)).all():
        data = data or {}
        unverified = list(data.get("unverified") or ())
        bind.execute(indicators.update().where(indicators.c.id == ident).values(
            kind=data.get("kind") or "limit", confirmed=not UNCONFIRMED_PARTS & set(unverified),
            unverified=unverified, answers=list(data.get("answers") or ()), grade_table=data.get("grade_table")))


def upgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relations', JSON, nullable=True))
        batch_op.add_column(sa.Column('amendments', JSON, nullable=True))
        batch_op.add_column(sa.Column('unverified', JSON, nullable=True))

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='limit', nullable=False))
        batch_op.add_column(sa.Column('confirmed', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('unverified', JSON, nullable=True))
        batch_op.add_column(sa.Column('answers', JSON, nullable=True))
        batch_op.add_column(sa.Column('grade_table', JSON, nullable=True))
        batch_op.create_index(batch_op.f('ix_indicators_confirmed'), ['confirmed'], unique=False)

    _backfill()


def downgrade():
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_confirmed'))
        batch_op.drop_column('grade_table')
        batch_op.drop_column('answers')
        batch_op.drop_column('unverified')
        batch_op.drop_column('confirmed')
        batch_op.drop_column('kind')

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('unverified')
        batch_op.drop_column('amendments')
        batch_op.drop_column('relations')
