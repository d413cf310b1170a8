"""complaints: a buyer's complaint about an order, its messages and photos

Revision ID: 0027
Revises: 0026
"""

from alembic import op
import sqlalchemy as sa

from app.core.types import UTCDateTime


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("amount_idr", sa.BigInteger(), nullable=True),
        sa.Column("refund_idr", sa.BigInteger(), nullable=True),
        sa.Column("refund_state", sa.String(length=10), nullable=True),
        sa.Column("refund_reference", sa.String(length=120), nullable=True),
        sa.Column("bank_name", sa.String(length=60), nullable=True),
        sa.Column("bank_account_number", sa.String(length=40), nullable=True),
        sa.Column("bank_account_name", sa.String(length=120), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("escalated_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_complaints_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_complaints_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
    )
    op.create_index(op.f("ix_complaints_order_id"), "complaints", ["order_id"], unique=False)
    op.create_index(op.f("ix_complaints_status"), "complaints", ["status"], unique=False)
    op.create_index(op.f("ix_complaints_refund_state"), "complaints", ["refund_state"], unique=False)
    op.create_index(
        "uq_complaints_order_unresolved",
        "complaints",
        ["order_id"],
        unique=True,
        sqlite_where=sa.text("status != 'resolved'"),
        postgresql_where=sa.text("status != 'resolved'"),
    )
    op.create_table(
        "complaint_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("amount_idr", sa.BigInteger(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_messages_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_complaint_messages_author_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_messages")),
    )
    op.create_index(op.f("ix_complaint_messages_complaint_id"), "complaint_messages", ["complaint_id"], unique=False)
    op.create_table(
        "complaint_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_photos_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_photos")),
    )
    op.create_index(op.f("ix_complaint_photos_complaint_id"), "complaint_photos", ["complaint_id"], unique=False)


def downgrade():
    op.drop_table("complaint_photos")
    op.drop_table("complaint_messages")
    op.drop_index("uq_complaints_order_unresolved", table_name="complaints")
    op.drop_table("complaints")
