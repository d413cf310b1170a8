"""hardening: idempotency keys claimed before the work, server-side sessions, e-mailed tokens
(password reset, address confirmation), invitations

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

import app.core.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('idempotency_records') as batch_op:
        batch_op.alter_column('status', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('body', existing_type=sa.JSON(), nullable=True)
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('device_hash', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=200), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', app.core.types.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', app.core.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_sessions_device_hash'), ['device_hash'], unique=False)
    op.create_table('email_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', app.core.types.UTCDateTime(), nullable=False),
    sa.Column('used_at', app.core.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_email_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_tokens_token_hash'))
    )
    with op.batch_alter_table('email_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_tokens_user_id'), ['user_id'], unique=False)
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', app.core.types.UTCDateTime(), nullable=False),
    sa.Column('accepted_at', app.core.types.UTCDateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_invitations_accepted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('session_version')  # sessions live in user_sessions now
        batch_op.add_column(sa.Column('email_confirmed_at', app.core.types.UTCDateTime(), nullable=True))
    op.execute("UPDATE users SET email_confirmed_at = created_at")  # accounts so far were usable at once


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('email_confirmed_at')
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))
    op.drop_table('invitations')
    op.drop_table('email_tokens')
    op.drop_table('user_sessions')
    op.execute("DELETE FROM idempotency_records WHERE status IS NULL")
    with op.batch_alter_table('idempotency_records') as batch_op:
        batch_op.alter_column('body', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('status', existing_type=sa.Integer(), nullable=False)
