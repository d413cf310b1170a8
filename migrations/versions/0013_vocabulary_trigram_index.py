"""a trigram index on the search vocabulary (PostgreSQL), for misspellings at national size

Revision ID: 0013
Revises: 0012
"""
from alembic import op

from app.core.schema import VOCABULARY_TRIGRAM_INDEX

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(f"CREATE INDEX {VOCABULARY_TRIGRAM_INDEX} ON search_terms USING GIN (term gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {VOCABULARY_TRIGRAM_INDEX}")
