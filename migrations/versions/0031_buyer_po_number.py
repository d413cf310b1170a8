"""A business buyer's own purchase order number on its checkouts (searchable)

Revision ID: 0031
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = '0031'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkouts') as batch:
        batch.add_column(sa.Column('po_number', sa.String(length=40), nullable=True))
        batch.create_index('ix_checkouts_po_number', ['po_number'])


def downgrade():
    with op.batch_alter_table('checkouts') as batch:
        batch.drop_index('ix_checkouts_po_number')
        batch.drop_column('po_number')
