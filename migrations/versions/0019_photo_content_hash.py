"""photos: the SHA-256 of the uploaded file, once per product (a retried upload is the same photo)

Revision ID: 0019
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_sha256', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_photos_product_id_content_sha256'), ['product_id', 'content_sha256'])


def downgrade():
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_photos_product_id_content_sha256'), type_='unique')
        batch_op.drop_column('content_sha256')
