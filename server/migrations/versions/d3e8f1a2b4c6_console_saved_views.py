"""console saved views per user: console_saved_views

Revision ID: d3e8f1a2b4c6
Revises: 5e1b7c9d2a40
Create Date: 2026-12-01 19:05:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'd3e8f1a2b4c6'
down_revision = '5e1b7c9d2a40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'console_saved_views',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('list_name', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('args', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('user_id', 'list_name', 'name', name=op.f('pk_console_saved_views')),
    )


def downgrade():
    op.drop_table('console_saved_views')
