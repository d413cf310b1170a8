"""A business buyer's own purchase order number on its checkouts (searchable); offers taken in part; the group's tax and business numbers for invoices

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkouts') as batch:
        batch.add_column(sa.Column('po_number', sa.String(length=40), nullable=True))
        batch.create_index('ix_checkouts_po_number', ['po_number'])
    with op.batch_alter_table('groups') as batch:
        batch.add_column(sa.Column('npwp', sa.String(length=25), nullable=True))
        batch.add_column(sa.Column('nib', sa.String(length=13), nullable=True))
        batch.add_column(sa.Column('pkp', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('final_tax_certificate', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('offers') as batch:
        batch.add_column(sa.Column('min_quantity', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('accepted_quantity', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('groups') as batch:
        for column in ('final_tax_certificate', 'pkp', 'nib', 'npwp'):
            batch.drop_column(column)
    with op.batch_alter_table('offers') as batch:
        batch.drop_column('accepted_quantity')
        batch.drop_column('min_quantity')
    with op.batch_alter_table('checkouts') as batch:
        batch.drop_index('ix_checkouts_po_number')
        batch.drop_column('po_number')
