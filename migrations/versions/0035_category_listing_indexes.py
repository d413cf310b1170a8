"""a category's listing read in order: products by (status, category, created_at | price, id)

Revision ID: 0035
Revises: 0034
"""

from alembic import op

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_products_status_category_created', 'products', ['status', 'category_id', 'created_at', 'id'])
    op.create_index('ix_products_status_category_price', 'products', ['status', 'category_id', 'price_idr', 'id'])


def downgrade():
    op.drop_index('ix_products_status_category_price', table_name='products')
    op.drop_index('ix_products_status_category_created', table_name='products')
