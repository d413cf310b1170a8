"""accounts by phone number: e-mail optional, verified numbers, one-time codes; links that join a group

Revision ID: 0028
Revises: 0027
"""

from alembic import op
import sqlalchemy as sa

from app.core.types import UTCDateTime


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

VERIFIED = sa.text("phone_verified_at IS NOT NULL")


def _users_email_nullable(nullable: bool) -> None:
    """SQLite rebuilds the table to change a column; with foreign keys on, dropping the old users table
    would run every ON DELETE CASCADE (sessions, memberships…), so they are off while it is rebuilt (the
    driver opens its transaction at the first write, so the pragma takes effect)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=nullable)
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone_verified_at", UTCDateTime(), nullable=True))
    _users_email_nullable(True)
    op.create_index(
        "uq_users_verified_phone", "users", ["phone"], unique=True, sqlite_where=VERIFIED, postgresql_where=VERIFIED
    )
    with op.batch_alter_table("email_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("new_email", sa.String(length=254), nullable=True))
    op.create_table(
        "phone_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_phone_codes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_codes")),
    )
    op.create_index(op.f("ix_phone_codes_phone"), "phone_codes", ["phone"], unique=False)
    op.create_table(
        "group_join_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_group_join_links_group_id_groups"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_group_join_links_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_join_links")),
        sa.UniqueConstraint("token", name=op.f("uq_group_join_links_token")),
    )
    op.create_index(op.f("ix_group_join_links_group_id"), "group_join_links", ["group_id"], unique=False)
    op.create_table(
        "group_join_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_group_join_requests_group_id_groups"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_group_join_requests_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["group_join_links.id"],
            name=op.f("fk_group_join_requests_link_id_group_join_links"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_group_join_requests_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_join_requests")),
    )
    op.create_index(op.f("ix_group_join_requests_group_id"), "group_join_requests", ["group_id"], unique=False)
    op.create_index(op.f("ix_group_join_requests_user_id"), "group_join_requests", ["user_id"], unique=False)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA foreign_keys=OFF")  # before any write (see _users_email_nullable)
    op.drop_index(op.f("ix_group_join_requests_user_id"), table_name="group_join_requests")
    op.drop_index(op.f("ix_group_join_requests_group_id"), table_name="group_join_requests")
    op.drop_table("group_join_requests")
    op.drop_index(op.f("ix_group_join_links_group_id"), table_name="group_join_links")
    op.drop_table("group_join_links")
    op.drop_index(op.f("ix_phone_codes_phone"), table_name="phone_codes")
    op.drop_table("phone_codes")
    with op.batch_alter_table("email_tokens", schema=None) as batch_op:
        batch_op.drop_column("new_email")
    op.drop_index("uq_users_verified_phone", table_name="users")
    # accounts made with a phone number only keep their rows, with an address nobody receives at
    op.execute("UPDATE users SET email = 'phone-' || id || '@pasar-uppks.invalid' WHERE email IS NULL")
    _users_email_nullable(False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("phone_verified_at")
