"""staged uploads in the database (GBFIELD_UPLOAD_STAGING=database)

Revision ID: b7d2c4e6f813
Revises: a1c3e5f70915
Create Date: 2026-12-01 15:30:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'b7d2c4e6f813'
down_revision = 'a1c3e5f70915'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staged_uploads',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('info', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                  nullable=False),
        sa.Column('offset', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('staged_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staged_uploads_expires_at'), ['expires_at'], unique=False)
    op.create_table(
        'staged_chunks',
        sa.Column('upload_id', sa.String(length=32), nullable=False),
        sa.Column('offset', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['upload_id'], ['staged_uploads.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('upload_id', 'offset'),
    )


def downgrade():
    op.drop_table('staged_chunks')
    with op.batch_alter_table('staged_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staged_uploads_expires_at'))
    op.drop_table('staged_uploads')
