"""offline sales book

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

import app.core.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('offline_sales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('sold_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('reduce_stock', sa.Boolean(), nullable=False),
    sa.Column('total_idr', sa.BigInteger(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(), nullable=False),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.String(length=500), nullable=True),
    sa.Column('corrected_at', app.core.types.UTCDateTime(), nullable=True),
    sa.CheckConstraint('total_idr >= 0', name=op.f('ck_offline_sales_total_nonnegative')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_offline_sales_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_offline_sales_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['offline_sales.id'], name=op.f('fk_offline_sales_replaced_by_id_offline_sales'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_sales'))
    )
    with op.batch_alter_table('offline_sales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_sales_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offline_sales_sold_on'), ['sold_on'], unique=False)
    op.create_table('offline_sale_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount_idr', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity >= 1', name=op.f('ck_offline_sale_lines_quantity_positive')),
    sa.CheckConstraint('amount_idr >= 0', name=op.f('ck_offline_sale_lines_amount_nonnegative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_offline_sale_lines_product_id_products'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sale_id'], ['offline_sales.id'], name=op.f('fk_offline_sale_lines_sale_id_offline_sales'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_sale_lines'))
    )
    with op.batch_alter_table('offline_sale_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_sale_lines_sale_id'), ['sale_id'], unique=False)


def downgrade():
    op.drop_table('offline_sale_lines')
    op.drop_table('offline_sales')
