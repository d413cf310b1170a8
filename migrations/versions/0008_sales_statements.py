"""sales statements a lender can verify

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

import app.core.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sales_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('snapshot_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', app.core.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', app.core.types.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', app.core.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_sales_statements_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_sales_statements_issued_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_statements')),
    sa.UniqueConstraint('code', name=op.f('uq_sales_statements_code'))
    )
    with op.batch_alter_table('sales_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_statements_group_id'), ['group_id'], unique=False)


def downgrade():
    op.drop_table('sales_statements')
