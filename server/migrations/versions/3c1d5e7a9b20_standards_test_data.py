"""standards.test_data: the synthetic catalog marked as test data

Revision ID: 3c1d5e7a9b20
Revises: b7d2c4e6f813
Create Date: 2026-12-01 14:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3c1d5e7a9b20'
down_revision = 'b7d2c4e6f813'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('test_data', sa.Boolean(), server_default=sa.false(), nullable=False))
    # standards imported before this column: the synthetic range GB 60000-69999 (assets.synthetic)
    op.execute("UPDATE standards SET test_data = true WHERE id LIKE 'GB 6____' AND title IS NOT NULL "
               "AND id >= 'GB 60000' AND id <= 'GB 69999'")


def downgrade():
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.drop_column('test_data')
