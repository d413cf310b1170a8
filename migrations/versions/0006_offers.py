"""offers: where the quantity comes from (stock or made to order) and the shipping they priced;
transfer proofs the payee refused, with the reason

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('offers') as batch_op:
        batch_op.add_column(sa.Column('from_stock', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('shipping_idr', sa.BigInteger(), nullable=False, server_default='0'))
    with op.batch_alter_table('payments') as batch_op:
        batch_op.add_column(sa.Column('proof_refused_reason', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('payments') as batch_op:
        batch_op.drop_column('proof_refused_reason')
    with op.batch_alter_table('offers') as batch_op:
        batch_op.drop_column('shipping_idr')
        batch_op.drop_column('from_stock')
