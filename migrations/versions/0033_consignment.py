"""Consignment: agreements between a group and a store, and the goods placed there

Revision ID: 0033
Revises: 0032
"""

import sqlalchemy as sa
from alembic import op

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'consignment_agreements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('commission_percent', sa.Integer(), nullable=True),
        sa.Column('settlement_days', sa.Integer(), nullable=False),
        sa.Column('return_near_expiry_days', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=True),
        sa.Column('accepted_by_id', sa.Integer(), nullable=True),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_settled_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('commission_percent IS NULL OR (commission_percent >= 0 AND commission_percent < 100)', name=op.f('ck_consignment_agreements_commission')),
        sa.CheckConstraint('settlement_days > 0', name=op.f('ck_consignment_agreements_period')),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_consignment_agreements_group_id_groups'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_consignment_agreements_organisation_id_organisations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_consignment_agreements_proposed_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_consignment_agreements_accepted_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consignment_agreements')),
    )
    op.create_index(op.f('ix_consignment_agreements_group_id'), 'consignment_agreements', ['group_id'])
    op.create_index(op.f('ix_consignment_agreements_organisation_id'), 'consignment_agreements', ['organisation_id'])
    op.create_table(
        'consigned_stock',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('unit_price_idr', sa.BigInteger(), nullable=False),
        sa.Column('placed', sa.Integer(), nullable=False),
        sa.Column('sold', sa.Integer(), nullable=False),
        sa.Column('settled', sa.Integer(), nullable=False),
        sa.Column('returned', sa.Integer(), nullable=False),
        sa.CheckConstraint('placed >= sold + returned', name=op.f('ck_consigned_stock_at_store')),
        sa.CheckConstraint('settled <= sold', name=op.f('ck_consigned_stock_settled')),
        sa.ForeignKeyConstraint(['agreement_id'], ['consignment_agreements.id'], name=op.f('fk_consigned_stock_agreement_id_consignment_agreements'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_consigned_stock_product_id_products'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consigned_stock')),
        sa.UniqueConstraint('agreement_id', 'product_id', name=op.f('uq_consigned_stock_agreement_id_product_id')),
    )
    op.create_index(op.f('ix_consigned_stock_product_id'), 'consigned_stock', ['product_id'])


def downgrade():
    op.drop_table('consigned_stock')
    op.drop_table('consignment_agreements')
