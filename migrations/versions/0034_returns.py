"""returns: a complaint may ask for the goods back; the return is a parcel of its own with its tracking

Revision ID: 0034
Revises: 0033
"""

from alembic import op
import sqlalchemy as sa

from app.core.types import UTCDateTime


revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("return_goods", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "return_shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("payer", sa.String(length=8), nullable=False),
        sa.Column("refund_waits", sa.Boolean(), nullable=False),
        sa.Column("courier", sa.String(length=20), nullable=True),
        sa.Column("service", sa.String(length=40), nullable=True),
        sa.Column("waybill", sa.String(length=60), nullable=True),
        sa.Column("booked", sa.Boolean(), nullable=False),
        sa.Column("provider_order_id", sa.String(length=64), nullable=True),
        sa.Column("tracking_id", sa.String(length=64), nullable=True),
        sa.Column("price_idr", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("link", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=True),
        sa.Column("received_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_return_shipments_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_return_shipments_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["received_by_id"],
            ["users.id"],
            name=op.f("fk_return_shipments_received_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_shipments")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_return_shipments_complaint_id")),
        sa.UniqueConstraint("provider_order_id", name=op.f("uq_return_shipments_provider_order_id")),
    )
    op.create_index(op.f("ix_return_shipments_order_id"), "return_shipments", ["order_id"], unique=False)
    op.create_index(op.f("ix_return_shipments_tracking_id"), "return_shipments", ["tracking_id"], unique=False)
    op.create_index(op.f("ix_return_shipments_waybill"), "return_shipments", ["waybill"], unique=False)
    op.create_table(
        "return_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["return_shipments.id"],
            name=op.f("fk_return_events_return_id_return_shipments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_events")),
        sa.UniqueConstraint("return_id", "status", name=op.f("uq_return_events_return_id_status")),
    )
    op.create_index(op.f("ix_return_events_return_id"), "return_events", ["return_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_return_events_return_id"), table_name="return_events")
    op.drop_table("return_events")
    op.drop_index(op.f("ix_return_shipments_waybill"), table_name="return_shipments")
    op.drop_index(op.f("ix_return_shipments_tracking_id"), table_name="return_shipments")
    op.drop_index(op.f("ix_return_shipments_order_id"), table_name="return_shipments")
    op.drop_table("return_shipments")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("return_goods")
