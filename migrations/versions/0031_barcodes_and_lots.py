"""barcodes and lots: a product's GTIN, its lots with production and expiry dates, what each order line
took from which lot, a business buyer's minimum shelf life

Revision ID: 0031
Revises: 0030
"""

from alembic import op
import sqlalchemy as sa

from app.core.types import UTCDateTime


revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("gtin", sa.String(length=14), nullable=True))
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("min_shelf_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("min_shelf_percent", sa.Integer(), nullable=True))
    op.create_table(
        "lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("added_quantity", sa.Integer(), nullable=False),
        sa.Column("produced_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_lots_lot_quantity_nonnegative")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_lots_product_id_products"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lots")),
    )
    op.create_index("ix_lots_product_expires", "lots", ["product_id", "expires_on", "id"], unique=False)
    op.create_table(
        "lot_takes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_lot_takes_lot_id_lots"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_lot_takes_product_id_products"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_lot_takes_order_line_id_order_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lot_takes")),
    )
    op.create_index(op.f("ix_lot_takes_lot_id"), "lot_takes", ["lot_id"], unique=False)
    op.create_index(op.f("ix_lot_takes_order_line_id"), "lot_takes", ["order_line_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_lot_takes_order_line_id"), table_name="lot_takes")
    op.drop_index(op.f("ix_lot_takes_lot_id"), table_name="lot_takes")
    op.drop_table("lot_takes")
    op.drop_index("ix_lots_product_expires", table_name="lots")
    op.drop_table("lots")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("min_shelf_percent")
        batch.drop_column("min_shelf_days")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("gtin")
