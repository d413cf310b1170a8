"""reconciliation: runs, the differences found, the platform's bank statement lines; postings by source

Revision ID: 0025
Revises: 0024
"""

from alembic import op
import sqlalchemy as sa

from app.core.types import UTCDateTime


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ledger_reconciliation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_reconciliation_runs")),
    )
    op.create_table(
        "ledger_differences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("reference", sa.String(length=160), nullable=False),
        sa.Column("ledger_idr", sa.BigInteger(), nullable=True),
        sa.Column("provider_idr", sa.BigInteger(), nullable=True),
        sa.Column("detail", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("explained_by_id", sa.Integer(), nullable=True),
        sa.Column("explained_at", UTCDateTime(), nullable=True),
        sa.Column("first_run_id", sa.Integer(), nullable=True),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["explained_by_id"], ["users.id"], name=op.f("fk_ledger_differences_explained_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["first_run_id"],
            ["ledger_reconciliation_runs.id"],
            name=op.f("fk_ledger_differences_first_run_id_ledger_reconciliation_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["last_run_id"],
            ["ledger_reconciliation_runs.id"],
            name=op.f("fk_ledger_differences_last_run_id_ledger_reconciliation_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_differences")),
        sa.UniqueConstraint("key", name=op.f("uq_ledger_differences_key")),
    )
    op.create_index(op.f("ix_ledger_differences_status"), "ledger_differences", ["status"], unique=False)
    op.create_table(
        "ledger_bank_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount_idr", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("matched_source", sa.String(length=160), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_ledger_bank_lines_uploaded_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_bank_lines")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_ledger_bank_lines_fingerprint")),
    )
    op.create_index(op.f("ix_ledger_bank_lines_booked_on"), "ledger_bank_lines", ["booked_on"], unique=False)
    op.create_index(
        op.f("ix_ledger_bank_lines_matched_source"), "ledger_bank_lines", ["matched_source"], unique=False
    )
    op.create_index("ix_ledger_postings_source", "ledger_postings", ["source"], unique=False)


def downgrade():
    op.drop_index("ix_ledger_postings_source", table_name="ledger_postings")
    op.drop_index(op.f("ix_ledger_bank_lines_matched_source"), table_name="ledger_bank_lines")
    op.drop_index(op.f("ix_ledger_bank_lines_booked_on"), table_name="ledger_bank_lines")
    op.drop_table("ledger_bank_lines")
    op.drop_index(op.f("ix_ledger_differences_status"), table_name="ledger_differences")
    op.drop_table("ledger_differences")
    op.drop_table("ledger_reconciliation_runs")
