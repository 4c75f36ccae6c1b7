"""planning: a published result's withdrawal (withdrawn_on, withdrawn_by, withdrawn_reason)

Revision ID: 5e1b7c9d2a40
Revises: c0a51e7f1a90
Create Date: 2026-12-01 18:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e1b7c9d2a40'
down_revision = 'c0a51e7f1a90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('withdrawn_by')
        batch_op.drop_column('withdrawn_on')
