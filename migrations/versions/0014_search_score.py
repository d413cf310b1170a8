"""search: a stored quality score beside each product's document (PostgreSQL), top matches by index

Revision ID: 0014
Revises: 0013
"""
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE product_fts ADD COLUMN score integer NOT NULL DEFAULT 0")
        op.execute("CREATE INDEX ix_product_fts_score ON product_fts (score DESC, product_id DESC)")
        # the scores of what is already there (the job `search.score` keeps them since)
        from app.catalog.search import SCORE_SQL

        # units sold as they were counted when this revision was written (app/orders/counting.py's rule
        # needs tables of later revisions; the daily job applies it)
        units_sold = ("SELECT sum(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id "
                      "WHERE l.product_id = p.id AND o.status IN ('paid', 'invoiced', 'processing', 'shipped', "
                      "'delivered', 'completed') AND o.created_at >= :since")
        op.execute(SCORE_SQL.format(where="", units_sold=units_sold).replace(":today", "CURRENT_DATE")
                   .replace(":since", "CURRENT_DATE - 90"))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_product_fts_score")
        op.execute("ALTER TABLE product_fts DROP COLUMN score")
