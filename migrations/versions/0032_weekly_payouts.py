"""Weekly payouts a group may choose (payout_schedules)

Revision ID: 0032
Revises: 0031
"""

import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'payout_schedules',
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('weekly', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('last_on', sa.Date(), nullable=True),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_payout_schedules_group_id_groups'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_payout_schedules_changed_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('group_id', name=op.f('pk_payout_schedules')),
    )


def downgrade():
    op.drop_table('payout_schedules')
