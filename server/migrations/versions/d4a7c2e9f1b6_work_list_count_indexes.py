"""work list counts inside a subtree as index-only scans: by status, and with a disagreement
(bench/console.py: the filtered pages' counts visited the heap for every match)

Revision ID: d4a7c2e9f1b6
Revises: d3e8f1a2b4c6
Create Date: 2026-12-01 19:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4a7c2e9f1b6'
down_revision = 'd3e8f1a2b4c6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index('ix_inspections_status_path', ['status', 'jurisdiction_path'], unique=False,
                              postgresql_ops={'jurisdiction_path': 'varchar_pattern_ops'})
        batch_op.create_index('ix_inspections_disagreement_path', ['jurisdiction_path'], unique=False,
                              postgresql_ops={'jurisdiction_path': 'varchar_pattern_ops'},
                              postgresql_where=sa.text('has_disagreement IS true'),
                              sqlite_where=sa.text('has_disagreement IS 1'))


def downgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index('ix_inspections_disagreement_path')
        batch_op.drop_index('ix_inspections_status_path')
