"""work list indexes: inspections newest first (all, by status, with a disagreement) and
the subtree prefix as an index range on PostgreSQL (bench/console.py)

Revision ID: 8e2f4a6c1d37
Revises: 3c1d5e7a9b20
Create Date: 2026-12-01 15:25:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8e2f4a6c1d37'
down_revision = '3c1d5e7a9b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index('ix_inspections_updated_at_id', ['updated_at', 'id'], unique=False)
        batch_op.create_index('ix_inspections_status_updated_at', ['status', 'updated_at'], unique=False)
        batch_op.create_index('ix_inspections_disagreement_updated_at', ['updated_at'], unique=False,
                              postgresql_where=sa.text('has_disagreement IS true'),
                              sqlite_where=sa.text('has_disagreement IS 1'))
        batch_op.create_index('ix_inspections_path_pattern', ['jurisdiction_path'], unique=False,
                              postgresql_ops={'jurisdiction_path': 'varchar_pattern_ops'})


def downgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index('ix_inspections_path_pattern')
        batch_op.drop_index('ix_inspections_disagreement_updated_at')
        batch_op.drop_index('ix_inspections_status_updated_at')
        batch_op.drop_index('ix_inspections_updated_at_id')
