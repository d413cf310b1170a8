"""couriers: the service an order was charged for, shipments and their tracking events, groups' postal codes

Revision ID: 0026
Revises: 0025
"""

from alembic import op
import sqlalchemy as sa

from app.core.types import UTCDateTime


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipping_option", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("shipping_option_name", sa.String(length=120), nullable=True))
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("postal_code", sa.String(length=5), nullable=True))
    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("courier", sa.String(length=20), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=True),
        sa.Column("waybill", sa.String(length=60), nullable=True),
        sa.Column("booked", sa.Boolean(), nullable=False),
        sa.Column("provider_order_id", sa.String(length=64), nullable=True),
        sa.Column("tracking_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("link", sa.String(length=255), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_shipments_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_shipments_order_id_orders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
        sa.UniqueConstraint("order_id", name=op.f("uq_shipments_order_id")),
        sa.UniqueConstraint("provider_order_id", name=op.f("uq_shipments_provider_order_id")),
    )
    op.create_index(op.f("ix_shipments_tracking_id"), "shipments", ["tracking_id"], unique=False)
    op.create_index(op.f("ix_shipments_waybill"), "shipments", ["waybill"], unique=False)
    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_tracking_events_shipment_id_shipments"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint("shipment_id", "status", name=op.f("uq_tracking_events_shipment_id_status")),
    )
    op.create_index(op.f("ix_tracking_events_shipment_id"), "tracking_events", ["shipment_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_tracking_events_shipment_id"), table_name="tracking_events")
    op.drop_table("tracking_events")
    op.drop_index(op.f("ix_shipments_waybill"), table_name="shipments")
    op.drop_index(op.f("ix_shipments_tracking_id"), table_name="shipments")
    op.drop_table("shipments")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("postal_code")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("shipping_option_name")
        batch_op.drop_column("shipping_option")
