"""Standing orders: a business buyer's repeating order with one group, and the proposed orders its cycles make

Revision ID: 0030
Revises: 0029
"""

import sqlalchemy as sa
from alembic import op

from app.core.types import UTCDateTime

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'standing_orders',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('organisation_id', sa.Integer(), sa.ForeignKey('organisations.id', ondelete='CASCADE'), nullable=False),
        sa.Column('group_id', sa.Integer(), sa.ForeignKey('groups.id', ondelete='CASCADE'), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('address_id', sa.Integer(), sa.ForeignKey('delivery_addresses.id', ondelete='SET NULL'), nullable=True),
        sa.Column('frequency', sa.String(length=12), nullable=False),
        sa.Column('weekday', sa.Integer(), nullable=True),
        sa.Column('day_of_month', sa.Integer(), nullable=True),
        sa.Column('first_delivery', sa.Date(), nullable=False),
        sa.Column('lead_days', sa.Integer(), nullable=False),
        sa.Column('po_number', sa.String(length=40), nullable=True),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('ended_at', UTCDateTime(), nullable=True),
        sa.CheckConstraint('lead_days >= 1', name='lead_days_positive'),
        sa.CheckConstraint('weekday IS NULL OR (weekday >= 1 AND weekday <= 7)', name='weekday_iso'),
        sa.CheckConstraint('day_of_month IS NULL OR (day_of_month >= 1 AND day_of_month <= 28)', name='day_of_month'),
    )
    op.create_index('ix_standing_orders_organisation_id', 'standing_orders', ['organisation_id'])
    op.create_index('ix_standing_orders_group_id', 'standing_orders', ['group_id'])
    op.create_index('ix_standing_orders_status', 'standing_orders', ['status'])
    op.create_table(
        'standing_order_lines',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column(
            'standing_order_id', sa.Integer(), sa.ForeignKey('standing_orders.id', ondelete='CASCADE'), nullable=False
        ),
        sa.Column('product_id', sa.Integer(), sa.ForeignKey('products.id'), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.CheckConstraint('quantity >= 1', name='quantity_positive'),
    )
    op.create_index('ix_standing_order_lines_standing_order_id', 'standing_order_lines', ['standing_order_id'])
    op.create_table(
        'standing_proposals',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column(
            'standing_order_id', sa.Integer(), sa.ForeignKey('standing_orders.id', ondelete='CASCADE'), nullable=False
        ),
        sa.Column('delivery_date', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('checkout_id', sa.Integer(), sa.ForeignKey('checkouts.id', ondelete='SET NULL'), nullable=True),
        sa.Column('confirmed_by_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('confirmed_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.UniqueConstraint('standing_order_id', 'delivery_date'),
    )
    op.create_index('ix_standing_proposals_standing_order_id', 'standing_proposals', ['standing_order_id'])
    op.create_index('ix_standing_proposals_status', 'standing_proposals', ['status'])
    op.create_table(
        'standing_proposal_lines',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('proposal_id', sa.Integer(), sa.ForeignKey('standing_proposals.id', ondelete='CASCADE'), nullable=False),
        sa.Column('product_id', sa.Integer(), sa.ForeignKey('products.id'), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price_idr', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('quantity >= 0', name='quantity_not_negative'),
        sa.CheckConstraint('unit_price_idr > 0', name='price_positive'),
    )
    op.create_index('ix_standing_proposal_lines_proposal_id', 'standing_proposal_lines', ['proposal_id'])


def downgrade():
    op.drop_table('standing_proposal_lines')
    op.drop_table('standing_proposals')
    op.drop_table('standing_order_lines')
    op.drop_table('standing_orders')
