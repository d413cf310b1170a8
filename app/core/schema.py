"""Schema helpers for migrations: objects that live outside the models, and seed rows."""

from __future__ import annotations

# The full-text index is dialect-specific (FTS5 virtual table / tsvector + GIN); migrations own it.
SEARCH_TABLE_PREFIX = "product_fts"

CATEGORIES = [
    # slug, Indonesian, English, kind
    ("keripik", "Keripik & kerupuk", "Chips & crackers", "food"),
    ("amplang", "Amplang", "Amplang (fish crackers)", "food"),
    ("kue", "Kue & kue sagu", "Cakes & sago cookies", "food"),
    ("minyak-kelapa", "Minyak kelapa", "Coconut oil", "food"),
    ("teh-herbal", "Teh herbal & minuman", "Herbal tea & drinks", "food"),
    ("abon", "Abon", "Abon (meat & fish floss)", "food"),
    ("anyaman", "Anyaman & kerajinan", "Woven crafts", "craft"),
    ("sabun", "Sabun & perawatan", "Soap & care", "cosmetic"),
]


# a trigram index on the search vocabulary (PostgreSQL's pg_trgm), for misspellings; migrations own it
VOCABULARY_TRIGRAM_INDEX = "ix_search_terms_trigram"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table" and name and name.startswith(SEARCH_TABLE_PREFIX):
        return False
    return not (
        type_ == "index" and name and (name.startswith("ix_" + SEARCH_TABLE_PREFIX) or name == VOCABULARY_TRIGRAM_INDEX)
    )


def create_search_tables(op) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE product_fts (product_id INTEGER PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,"
            " document TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_product_fts_document ON product_fts USING GIN (document)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE product_fts USING fts5(name, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def drop_search_tables(op) -> None:
    op.execute("DROP TABLE IF EXISTS product_fts")


def seed_categories(connection) -> None:
    import sqlalchemy as sa

    table = sa.table(
        "categories",
        sa.column("slug"),
        sa.column("name_id"),
        sa.column("name_en"),
        sa.column("kind"),
        sa.column("position"),
    )
    existing = {row[0] for row in connection.execute(sa.select(table.c.slug))}
    rows = [
        {"slug": s, "name_id": i, "name_en": e, "kind": k, "position": n}
        for n, (s, i, e, k) in enumerate(CATEGORIES)
        if s not in existing
    ]
    if rows:
        connection.execute(table.insert(), rows)
