"""flag follow-up: acknowledged_at, assignee_id, resolution on flags; flag_actions

Revision ID: c0a51e7f1a90
Revises: 8e2f4a6c1d37
Create Date: 2026-12-01 15:05:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c0a51e7f1a90'
down_revision = '8e2f4a6c1d37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('resolution', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_flags_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_flags_assignee_id_users'), 'users', ['assignee_id'], ['id'])

    op.create_table(
        'flag_actions',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('flag_id', sa.String(length=36), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('assignee_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_flag_actions_actor_id_users')),
        sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_flag_actions_assignee_id_users')),
        sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_flag_actions_flag_id_flags')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_actions')),
    )
    with op.batch_alter_table('flag_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_actions_flag_id'), ['flag_id'], unique=False)


def downgrade():
    with op.batch_alter_table('flag_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_actions_flag_id'))
    op.drop_table('flag_actions')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_flags_assignee_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_flags_assignee_id'))
        batch_op.drop_column('resolution')
        batch_op.drop_column('assignee_id')
        batch_op.drop_column('acknowledged_at')
