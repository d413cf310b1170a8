"""WhatsApp: the messages sent and their statuses; a person's proven number and how she wants notices; whether
a group shows its WhatsApp link to buyers

Revision ID: 0029
Revises: 0028
"""

from alembic import op
import sqlalchemy as sa

from app.core.types import UTCDateTime


revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "whatsapp_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("to", sa.String(length=20), nullable=False),
        sa.Column("template", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("wamid", sa.String(length=160), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("email_subject", sa.String(length=300), nullable=True),
        sa.Column("email_body", sa.Text(), nullable=True),
        sa.Column("fell_back_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("status_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_whatsapp_messages_key")),
        sa.UniqueConstraint("wamid", name=op.f("uq_whatsapp_messages_wamid")),
    )
    op.create_index(op.f("ix_whatsapp_messages_status"), "whatsapp_messages", ["status"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notify_by", sa.String(length=10), server_default="whatsapp", nullable=False))
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("whatsapp_shown", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("whatsapp_shown")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("notify_by")
    op.drop_index(op.f("ix_whatsapp_messages_status"), table_name="whatsapp_messages")
    op.drop_table("whatsapp_messages")
