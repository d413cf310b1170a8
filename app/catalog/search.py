"""Full-text search over products, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

The index table `product_fts` is created by the migrations (it is dialect-specific and not part
of the models). Texts are folded (lower case, no accents) in Python before they are indexed and
before they are searched, so both databases see the same words. A word that finds nothing is
matched against the catalog's vocabulary (`search_terms`) to correct a misspelling.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import (
    Select,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite

from app.core import regions
from app.core.text import fold, words
from app.extensions import db

from .models import Product, SearchTerm

RANK_CAP = 2000  # never rank an unbounded match set (DESIGN.md: one common word on 1 M rows)
NAME_WEIGHT = 10.0

fts = table("product_fts", column("product_id"), column("document"))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def document_for(product: Product) -> tuple[str, str]:
    name = fold(product.name)
    body = " ".join(
        fold(x or "")
        for x in (
            product.description,
            product.category.name_id,
            product.category.name_en,
            product.category.slug.replace("-", " "),
            product.group.name,
            regions.regency_name(product.group.regency_code),
            product.ingredients,
        )
    )
    return name, body


def index_product(product: Product) -> None:
    """(Re)write a product's entry; runs inside the caller's transaction."""
    name, body = document_for(product)
    session = db.session
    if _dialect() == "postgresql":
        session.execute(
            text(
                "INSERT INTO product_fts (product_id, document) VALUES (:id, "
                "setweight(to_tsvector('simple', :name), 'A') || setweight(to_tsvector('simple', :body), 'B')) "
                "ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document"
            ),
            {"id": product.id, "name": name, "body": body},
        )
        insert = postgresql.insert
    else:
        session.execute(text("DELETE FROM product_fts WHERE rowid = :id"), {"id": product.id})
        session.execute(
            text("INSERT INTO product_fts (rowid, name, body) VALUES (:id, :name, :body)"),
            {"id": product.id, "name": name, "body": body},
        )
        insert = sqlite.insert
    terms = sorted({w for w in words(f"{name} {body}") if 3 <= len(w) <= 40 and not w.isdigit()})
    if terms:
        session.execute(insert(SearchTerm).on_conflict_do_nothing(), [{"term": t} for t in terms])


@dataclass
class Matcher:
    """What a text query adds to a product select: a join, a filter and a rank."""

    terms: list[str]

    def query(self, prefix: str, exact: str) -> str:
        """Every word whole but the last, which may still be being typed: a prefix. (A prefix reads the
        posting list of every word it begins, so "amplang gabus klungkung" as three prefixes costs 28 ms
        at national size, and 1.6 ms so.)"""
        *whole, last = self.terms
        return " ".join([exact.format(t=t) for t in whole] + [prefix.format(t=last)])

    def apply(self, stmt: Select, *, ranked: bool) -> Select:
        if _dialect() == "postgresql":
            tsq = func.to_tsquery("simple", bindparam("tsq", self.query("{t}:*", "{t} &")))
            ft = table("product_fts", column("product_id"), column("document"))
            stmt = stmt.join(ft, ft.c.product_id == Product.id).where(ft.c.document.op("@@")(tsq))
            if ranked:
                stmt = stmt.add_columns(func.ts_rank(ft.c.document, tsq).label("rank"))
            return stmt
        match = self.query('"{t}"*', '"{t}"')
        ft = table("product_fts", column("rowid"))
        stmt = stmt.join(ft, ft.c.rowid == Product.id).where(text("product_fts MATCH :fts_match").bindparams(fts_match=match))
        if ranked:
            # bm25 is lower for better matches; negate so both dialects sort by rank descending
            stmt = stmt.add_columns((-literal_column(f"bm25(product_fts, {NAME_WEIGHT}, 1.0)")).label("rank"))
        return stmt


def query_terms(q: str) -> list[str]:
    return [w for w in words(q) if len(w) <= 40][:8]


def correct(terms: list[str]) -> list[str]:
    """Each word the vocabulary lacks, replaced by its closest known word (when one is close)."""
    fixed = []
    for term in terms:
        if len(term) < 3 or db.session.get(SearchTerm, term) is not None:
            fixed.append(term)
            continue
        if _dialect() == "postgresql":  # the trigram index (pg_trgm) finds the closest known word
            best = db.session.execute(text(
                "SELECT term FROM search_terms WHERE term % :w AND length(term) BETWEEN :lo AND :hi "
                "ORDER BY similarity(term, :w) DESC, term LIMIT 1"), {"w": term, "lo": len(term) - 2,
                                                                     "hi": len(term) + 2}).scalar()
            fixed.append(best or term)
            continue
        # SQLite: candidates share the first letter and are of a similar length: a bounded, indexed scan
        lo, hi = term[0], chr(ord(term[0]) + 1)
        candidates = db.session.scalars(
            select(SearchTerm.term)
            .where(SearchTerm.term >= lo, SearchTerm.term < hi)
            .where(func.length(SearchTerm.term).between(len(term) - 2, len(term) + 2))
            .limit(5000)
        ).all()
        best = difflib.get_close_matches(term, candidates, n=1, cutoff=0.75)
        if not best:
            # a prefix of a longer known word ("amplan" of "amplang") is already found by prefix search
            fixed.append(term)
        else:
            fixed.append(best[0])
    return fixed
