"""Full-text search over products, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

The index table `product_fts` is created by the migrations (it is dialect-specific and not part
of the models). Texts are folded (lower case, no accents) in Python before they are indexed and
before they are searched, so both databases see the same words. A word that finds nothing is
matched against the catalog's vocabulary (`search_terms`) to correct a misspelling.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from sqlalchemy import Select, bindparam, column, false, func, literal_column, select, table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from app.core import jobs, regions
from app.core.text import fold, words
from app.core.timefmt import today_wib
from app.extensions import db

from .models import Product, SearchTerm

if TYPE_CHECKING:
    from sqlalchemy import Insert
    from sqlalchemy.engine import CursorResult

RANK_CAP = 2000  # never rank an unbounded match set (DESIGN.md: one common word on 1 M rows)
POOL = 240  # the candidates a first page is ranked from: the best-scored matches, read by index
FEW_MATCHES = 20_000  # up to this many (as the planner estimates), all matches are read through the words' index
NAME_WEIGHT = 10.0

# A product's quality score, kept beside its search document (PostgreSQL) so that a common word's
# matches are read best first by an index instead of in id order: -1000 when it is not for sale (a
# draft, hidden, its group not verified: read last, filtered out anyway), a valid verified permit 30, a
# photo 20, reviews up to 20 and 10 more for an average of 4 stars or better, units sold in the last
# 90 days up to 30 (in orders that count as sales: app/orders/counting.py). Written when a product is
# (re)indexed, hidden or shown, when its group is verified or suspended, and by the daily job `search.score`.
SCORE_SQL = """
UPDATE product_fts f SET score = s.score FROM (
  SELECT p.id AS product_id,
         CASE WHEN p.status = 'active' AND NOT p.hidden
                   AND EXISTS (SELECT 1 FROM groups g WHERE g.id = p.group_id AND g.status = 'verified')
              THEN 0 ELSE -1000 END
       + CASE WHEN p.permit_valid_until >= :today THEN 30 ELSE 0 END
       + CASE WHEN EXISTS (SELECT 1 FROM photos ph WHERE ph.product_id = p.id AND ph.status = 'ready')
              THEN 20 ELSE 0 END
       + LEAST(p.rating_count, 20)
       + CASE WHEN p.rating_count > 0 AND p.rating_sum >= 4 * p.rating_count THEN 10 ELSE 0 END
       + LEAST(COALESCE(({units_sold}), 0), 30) AS score
  FROM products p {where}) s
WHERE f.product_id = s.product_id AND f.score <> s.score
"""

fts = table("product_fts", column("product_id"), column("document"))


# The SQL of "units of product p sold since :since" (p and :since named in SCORE_SQL), for a dialect:
# sales are the orders' to define (app/orders/counting.py registers it when the app starts).
_units_sold_builder: list[Callable[[Dialect], str]] = []


def count_sales_by(build: Callable[[Dialect], str]) -> None:
    _units_sold_builder[:] = [build]
    _units_sold_sql_for.cache_clear()


def _units_sold_sql() -> str:
    return _units_sold_sql_for(db.session.get_bind().dialect.name)


@lru_cache(maxsize=4)
def _units_sold_sql_for(dialect_name: str) -> str:
    if not _units_sold_builder:
        return "0"  # no sales area plugged in: nothing sold
    return _units_sold_builder[0](db.session.get_bind().dialect)


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
                "setweight(to_tsvector('simple', :name), 'A') || setweight(to_tsvector('simple', :body), 'B') "
                "|| setweight(to_tsvector('simple', :tags), 'D')) "
                "ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document"
            ),
            {
                "id": product.id,
                "name": name,
                "body": body,
                "tags": " ".join(tags(product.group.province_code, product.group.regency_code, product.category_id)),
            },
        )
        add_terms: Insert = postgresql.insert(SearchTerm).on_conflict_do_nothing()
    else:
        session.execute(text("DELETE FROM product_fts WHERE rowid = :id"), {"id": product.id})
        session.execute(
            text("INSERT INTO product_fts (rowid, name, body) VALUES (:id, :name, :body)"),
            {"id": product.id, "name": name, "body": body},
        )
        add_terms = sqlite.insert(SearchTerm).on_conflict_do_nothing()
    if _dialect() == "postgresql":
        refresh_scores(product.id)
    terms = sorted({w for w in words(f"{name} {body}") if 3 <= len(w) <= 40 and not w.isdigit()})
    if terms:
        session.execute(add_terms, [{"term": t} for t in terms])


def tags(province: str | None = None, regency: str | None = None, category_id: int | None = None) -> list[str]:
    """Filter words kept in a product's document (PostgreSQL): its province, kabupaten/kota and category,
    so "keripik in Kalimantan Timur" is one intersection in the index of words (a common word and a
    province are each too common for an index of their own to narrow, and walking the best scores
    past every other province's matches reads 38 times more rows). The query words can never be these:
    they are folded text, and these begin with "zz" and hold digits."""
    out = []
    if province:
        out.append(f"zzprov{province}")
    if regency:
        out.append(f"zzreg{regency.replace('.', '')}")
    if category_id:
        out.append(f"zzcat{category_id}")
    return out


def refresh_scores(product_id: int | None = None, group_id: int | None = None) -> int:
    """Rewrite the quality scores (one product's, a group's, or every product's: the daily job), in the
    caller's transaction; PostgreSQL only. Returns how many changed."""
    if _dialect() != "postgresql":
        return 0
    from datetime import timedelta

    today = today_wib()
    where = "WHERE p.id = :id" if product_id is not None else "WHERE p.group_id = :gid" if group_id is not None else ""
    # an UPDATE's result is a CursorResult (Session.execute is typed for any statement)
    result = cast(
        "CursorResult",
        db.session.execute(
            text(SCORE_SQL.format(where=where, units_sold=_units_sold_sql())),
            {"today": today, "since": today - timedelta(days=90), "id": product_id, "gid": group_id},
        ),
    )
    return result.rowcount or 0


def reindex_group(group) -> None:
    """A group's name and region are words of its products' search documents (groups.signals.group_moved)."""
    for product in db.session.scalars(select(Product).where(Product.group_id == group.id)):
        index_product(product)


def rescore_group(group) -> None:
    """An officer's decision about a group moves its products in searches (groups.signals.group_decided)."""
    refresh_scores(group_id=group.id)


@jobs.task("search.score", every=86400)
def refresh_all_scores() -> int:
    """The job `search.score` (daily): sales, reviews, photos and permits move the scores."""
    changed = refresh_scores()
    db.session.commit()
    return changed


@dataclass
class Matcher:
    """What a text query adds to a product select: a join, a filter and a rank."""

    terms: list[str]
    filter_tags: list[str] = field(default_factory=list)  # tags() of the filters (PostgreSQL)
    tsquery: str | None = None  # what apply() matched with (PostgreSQL)

    def query(self, prefix: str, exact: str) -> str:
        """Every word whole but the last, which may still be being typed: a prefix. (A prefix reads the
        posting list of every word it begins, so "amplang gabus klungkung" as three prefixes costs 28 ms
        at national size, and 1.6 ms so.)"""
        *whole, last = self.terms
        return " ".join([exact.format(t=t) for t in whole] + [prefix.format(t=last)])

    def pg_words(self) -> str | None:
        """PostgreSQL's tsquery of the words, taken from the vocabulary: the whole words as they are, the
        last as the known words it begins ("amplan" -> amplang | amplangnya). None when a word cannot match
        (not in the vocabulary: a misspelling goes straight to its correction). Exact words let the
        planner estimate from its statistics how common each is, so a rare word is read through the
        index of words and a common one in score order; a prefix it cannot estimate (2 % of every
        product, it guesses) could send a word nobody has through all 1,000,000 scores."""
        *whole, last = self.terms
        checked = [w for w in whole if len(w) >= 3 and not w.isdigit()]
        if checked and len(set(db.session.scalars(select(SearchTerm.term).where(SearchTerm.term.in_(checked))))) < len(
            set(checked)
        ):
            return None
        if len(last) < 3 or last.isdigit():  # not kept in the vocabulary: a prefix, of the texts only (A, B)
            return " & ".join(whole + [f"{last}:*AB"])  # never of the filters' tags ("zz…", weight D)
        upper = last[:-1] + chr(ord(last[-1]) + 1)
        known = db.session.scalars(
            select(SearchTerm.term)
            .where(SearchTerm.term >= last, SearchTerm.term < upper)
            .order_by(func.length(SearchTerm.term), SearchTerm.term)
            .limit(20)
        ).all()
        known = [k for k in known if k.startswith(last)]
        if not known:
            return None
        return " & ".join(whole + ["(" + " | ".join(known) + ")"])

    def apply(self, stmt: Select, *, ranked: bool) -> Select:
        if _dialect() == "postgresql":
            wanted = self.pg_words()
            if wanted is None:
                return stmt.where(false()).add_columns(
                    *(
                        [
                            literal_column("0").label("rank"),
                            literal_column("0").label("score"),
                            literal_column("0").label("fts_id"),
                        ]
                        if ranked
                        else []
                    )
                )
            # matched with the filters' tags, ranked by the words alone: ts_rank of an AND weighs how near
            # the terms stand, and the tags stand at the end of every document
            self.tsquery = " & ".join(self.filter_tags + [wanted])
            tsq = func.to_tsquery("simple", bindparam("tsq", self.tsquery))
            ft = table("product_fts", column("product_id"), column("document"), column("score"))
            stmt = stmt.join(ft, ft.c.product_id == Product.id).where(ft.c.document.op("@@")(tsq))
            if ranked:
                rank_q = func.to_tsquery("simple", bindparam("rank_q", wanted))
                stmt = stmt.add_columns(
                    func.ts_rank(ft.c.document, rank_q).label("rank"),
                    ft.c.score.label("score"),
                    ft.c.product_id.label("fts_id"),
                )
            return stmt
        match = self.query('"{t}"*', '"{t}"')
        ft = table("product_fts", column("rowid"))
        stmt = stmt.join(ft, ft.c.rowid == Product.id).where(
            text("product_fts MATCH :fts_match").bindparams(fts_match=match)
        )
        if ranked:
            # bm25 is lower for better matches; negate so both dialects sort by rank descending
            stmt = stmt.add_columns((-literal_column(f"bm25(product_fts, {NAME_WEIGHT}, 1.0)")).label("rank"))
        return stmt

    def best_scored(self, stmt: Select, pool: int) -> Select:
        """PostgreSQL: the `pool` best-scored matches of a product select, with their rank. Words matched
        by many products are read in score order by the index of scores, stopping at `pool`; words matched
        by few (two words, or a word with a province or a category: the planner's estimate) are read
        whole through the index of words and sorted. Walking the scores for those reads until `pool`
        matches turn up, and when the matches cluster at low scores that is half the catalog
        ("kopi tuna" read 545,674 rows for its 240: 1.6 s). The same rows either way."""
        ranked = self.apply(stmt, ranked=True)
        cols = ranked.selected_columns
        score, fts_id = cols.score, cols.fts_id
        if self.tsquery is not None and estimated_matches(self.tsquery) <= FEW_MATCHES:
            # an expression of the score cannot be read from its index: the planner reads the words' index
            score, fts_id = score + literal_column("0"), fts_id + literal_column("0")
        return ranked.order_by(score.desc(), fts_id.desc()).limit(pool)


def estimated_matches(tsquery: str) -> int:
    """How many documents the planner expects to match (its statistics of the words, no rows read)."""
    plan = db.session.execute(
        text("EXPLAIN (FORMAT JSON) SELECT 1 FROM product_fts WHERE document @@ to_tsquery('simple', :q)"),
        {"q": tsquery},
    ).scalar_one()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


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
            best = db.session.execute(
                text(
                    "SELECT term FROM search_terms WHERE term % :w AND length(term) BETWEEN :lo AND :hi "
                    "ORDER BY similarity(term, :w) DESC, term LIMIT 1"
                ),
                {"w": term, "lo": len(term) - 2, "hi": len(term) + 2},
            ).scalar()
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
