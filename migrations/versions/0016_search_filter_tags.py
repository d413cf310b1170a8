"""search: the province, kabupaten/kota and category as words of each product's document (PostgreSQL)

Revision ID: 0016
Revises: 0015
"""
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

TAGS = ("concat_ws(' ', 'zzprov' || g.province_code, 'zzreg' || replace(g.regency_code, '.', ''), "
        "'zzcat' || p.category_id)")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"UPDATE product_fts f SET document = f.document || setweight(to_tsvector('simple', {TAGS}), 'D') "
                   "FROM products p JOIN groups g ON g.id = p.group_id WHERE f.product_id = p.id")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE product_fts f SET document = ts_filter(f.document, '{a,b,c}')")
