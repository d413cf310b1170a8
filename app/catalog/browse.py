"""The public catalog: a product's page, and the listing (filters, search by relevance, paging)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select, tuple_, type_coerce
from sqlalchemy.orm import contains_eager, joinedload, lazyload

from app.core import cache, regions
from app.core.errors import NotFound, ValidationFailed, collect
from app.core.timefmt import today_wib
from app.extensions import db
from app.groups.models import Group

from . import search
from .cards import LazyProducts
from .categories import category_by_slug
from .cursors import decode_cursor, decode_keyset, encode_cursor, encode_keyset
from .models import REQUIRED_BY_KIND, Category, Permit, Product
from .products import MAX_PRICE


def public_product(product_id: int) -> Product:
    # one round trip: the product, its group, photos, permits and tiers joined (a handful of rows)
    product = (
        db.session.scalars(
            select(Product)
            .join(Product.group)
            .options(
                contains_eager(Product.group),
                joinedload(Product.photos),
                joinedload(Product.permits),
                joinedload(Product.tiers),
            )
            .where(
                Product.id == product_id,
                Product.status == "active",
                Product.hidden.is_(False),
                Group.status == "verified",
            )
        )
        .unique()
        .one_or_none()
    )
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    return product


@dataclass
class Filters:
    q: str = ""
    category: str = ""
    province: str = ""
    regency: str = ""
    group: str = ""
    permit: str = ""  # bpom | pirt | halal | any
    min_price_idr: int | None = None
    max_price_idr: int | None = None
    in_stock: bool = False
    export: bool = False  # only export-ready products
    sort: str = ""  # relevance | newest | price_asc | price_desc


SORTS = ("relevance", "newest", "price_asc", "price_desc")
PERMIT_FILTERS = {
    "bpom": ("bpom_md", "bpom_ml", "bpom_na"),
    "pirt": ("pirt",),
    "halal": ("halal",),
    "any": ("bpom_md", "bpom_ml", "bpom_na", "pirt", "halal"),
}


@dataclass
class Page:
    items: Sequence[Product]
    next_cursor: str | None
    prev_cursor: str | None = None
    corrected_q: str | None = None  # the query actually searched, when a word was corrected
    errors: dict[str, list[str]] = field(default_factory=dict)


def check_filters(f: Filters) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if f.province and not regions.province(f.province):
        collect(errors, "province", _("Provinsi tidak dikenal."))
    if f.regency and not regions.regency(f.regency):
        collect(errors, "regency", _("Kabupaten/kota tidak dikenal."))
    if f.permit and f.permit not in PERMIT_FILTERS:
        collect(errors, "permit", _("Filter izin harus bpom, pirt, halal atau any."))
    if f.sort and f.sort not in SORTS:
        collect(errors, "sort", _("Urutan tidak dikenal."))
    if f.category and category_by_slug(f.category) is None:
        collect(errors, "category", _("Kategori tidak dikenal."))
    for name in ("min_price_idr", "max_price_idr"):
        value = getattr(f, name)
        if value is not None and not 0 <= value <= MAX_PRICE:
            collect(errors, name, _("Harga di luar batas."))
    return errors


def browse(f: Filters, cursor: str | None = None, limit: int = 24, *, cards: bool = False) -> Page:
    """A page of the catalog. cards=True: for product cards (no tier prices loaded)."""
    errors = check_filters(f)
    if errors:
        raise ValidationFailed(_("Periksa filter pencarian."), errors)
    terms = search.query_terms(f.q)
    sort = f.sort or ("relevance" if terms else "newest")
    if sort == "relevance" and terms:
        return _ranked_page(f, terms, cursor, limit, cards)
    return _keyset_page(f, terms, "newest" if sort == "relevance" else sort, cursor, limit, cards)


def cached_browse(f: Filters, cursor: str | None = None, limit: int = 24, *, cards: bool = False) -> Page:
    """browse(), with which products it showed (ids, in order) and its cursors kept in the catalog cache
    (Redis; keyed by the query and the catalog's version, so a change shows on the next request). The
    rows themselves are loaded as always (once)."""
    from dataclasses import asdict

    built: list[Page] = []

    def build() -> dict:
        page = browse(f, cursor=cursor, limit=limit, cards=cards)
        built.append(page)
        return {
            "ids": [p.id for p in page.items],
            "next": page.next_cursor,
            "prev": page.prev_cursor,
            "corrected": page.corrected_q,
        }

    kept = cache.cached("listing", {"f": asdict(f), "cursor": cursor, "limit": limit}, build)
    if built:
        return built[0]
    return Page(  # loaded when read: cards kept in the cache need no product (cards.product_cards)
        items=LazyProducts(kept["ids"], lambda ids: products_in_order(ids, tiers=not cards)),
        next_cursor=kept["next"],
        prev_cursor=kept["prev"],
        corrected_q=kept["corrected"],
    )


def _ranked_page(f: Filters, terms: list[str], cursor: str | None, limit: int, cards: bool = False) -> Page:
    """Search by relevance: an offset into the ranked matches (bounded by search.RANK_CAP on PostgreSQL)."""
    offset = decode_cursor(cursor)
    corrected = None
    ids = _search_ids(f, terms, offset, limit + 1)
    if not ids and offset == 0:
        fixed = search.correct(terms)
        if fixed != terms:
            ids = _search_ids(f, fixed, offset, limit + 1)
            if ids:
                corrected = " ".join(fixed)
    has_more = len(ids) > limit
    items = products_in_order(ids[:limit], tiers=not cards)
    return Page(
        items=items,
        next_cursor=encode_cursor(offset + limit) if has_more else None,
        prev_cursor=(encode_cursor(max(0, offset - limit)) if offset > 0 else None),
        corrected_q=corrected,
    )


# Listings page by keyset: the cursor holds the sort key of the row it continues from, so the 50th page
# costs what the first does (an index range, not a skipped count).
KEYSET = {  # sort -> (column, ascending)
    "newest": (Product.created_at, False),
    "price_asc": (Product.price_idr, True),
    "price_desc": (Product.price_idr, False),
}


def _key_of(product: Product, sort: str) -> list:
    value = product.created_at.isoformat() if sort == "newest" else product.price_idr
    return [value, product.id]


def _keyset_page(f: Filters, terms: list[str], sort: str, cursor: str | None, limit: int, cards: bool = False) -> Page:
    column, ascending = KEYSET[sort]
    at = decode_keyset(cursor, sort)
    stmt = _filtered(f, terms)
    backwards = at is not None and at[0] == "p"
    forward_asc = ascending != backwards  # a previous page reads the order the other way, then turns it back
    if at is not None:
        value, row_id = at[1]
        key = tuple_(column, Product.id)
        bound = tuple_(type_coerce(value, column.type), row_id)
        stmt = stmt.where(key > bound if forward_asc else key < bound)
    order = (column.asc(), Product.id.asc()) if forward_asc else (column.desc(), Product.id.desc())
    ids = list(db.session.scalars(stmt.order_by(*order).limit(limit + 1)))
    more = len(ids) > limit
    ids = ids[:limit]
    if backwards:
        ids.reverse()
    items = products_in_order(ids, tiers=not cards)
    if not items:
        return Page(items=[], next_cursor=None, prev_cursor=None)
    has_next = (more and not backwards) or backwards
    has_prev = (more and backwards) or (at is not None and not backwards)
    return Page(
        items=items,
        next_cursor=encode_keyset(sort, "n", _key_of(items[-1], sort)) if has_next else None,
        prev_cursor=encode_keyset(sort, "p", _key_of(items[0], sort)) if has_prev else None,
    )


def products_in_order(ids: list[int], *, tiers: bool = True) -> list[Product]:
    """The products of these ids, in this order. tiers=False: cards, which show no tier prices, skip
    loading them (a query fewer per listing; read anyway they load one by one)."""
    # photos and permits joined (a few rows per card), in the same round trip as the products
    stmt = select(Product).where(Product.id.in_(ids)).options(joinedload(Product.photos), joinedload(Product.permits))
    if not tiers:
        stmt = stmt.options(lazyload(Product.tiers))
    by_id = {p.id: p for p in db.session.scalars(stmt).unique()} if ids else {}
    return [by_id[i] for i in ids if i in by_id]


def _filtered(f: Filters, terms: list[str]):
    """The public products that pass the filters (and match the words, unranked), as a select of ids."""
    conditions = [Product.status == "active", Product.hidden.is_(False), Group.status == "verified"]
    category = category_by_slug(f.category) if f.category else None
    if category is not None:  # by id: the index of (status, category, price or date) gives a page in order
        conditions.append(Product.category_id == category.id)
    if f.province:
        conditions.append(Group.province_code == f.province)
    if f.regency:
        conditions.append(Group.regency_code == f.regency)
    if f.group:
        conditions.append(Group.slug == f.group)
    if f.min_price_idr is not None:
        conditions.append(Product.price_idr >= f.min_price_idr)
    if f.max_price_idr is not None:
        conditions.append(Product.price_idr <= f.max_price_idr)
    if f.in_stock:
        conditions.append(Product.stock > 0)
    if f.export:
        conditions.append(Product.export_until >= today_wib())
    if f.permit:
        today = today_wib()
        conditions.append(
            exists().where(
                Permit.product_id == Product.id,
                Permit.type.in_(PERMIT_FILTERS[f.permit]),
                Permit.status == "verified",
                or_(Permit.expires_on.is_(None), Permit.expires_on >= today),
            )
        )
    stmt = (
        select(Product.id).join(Group, Group.id == Product.group_id).join(Category, Category.id == Product.category_id)
    )
    stmt = stmt.where(and_(*conditions))
    return search.Matcher(terms, _filter_tags(f)).apply(stmt, ranked=False) if terms else stmt


def _filter_tags(f: Filters) -> list[str]:
    """The filters as words of the search index (search.tags), so the index narrows by them too."""
    category = category_by_slug(f.category) if f.category else None
    return search.tags(f.province or None, f.regency or None, category.id if category else None)


def _lapsed_sql():
    """Product.lapsed_permit in SQL (the product and its category in the query): its kind needs a permit,
    none of those is valid today, and one of them ran out or was refused. True: it cannot be bought."""
    today = today_wib()
    kinds = []
    for kind, required in REQUIRED_BY_KIND.items():
        if not required:
            continue
        mine = (Permit.product_id == Product.id, Permit.type.in_(required))
        valid = exists().where(
            *mine, Permit.status == "verified", or_(Permit.expires_on.is_(None), Permit.expires_on >= today)
        )
        lapsed = exists().where(
            *mine,
            or_(
                Permit.status.in_(("expired", "rejected")), and_(Permit.status != "rejected", Permit.expires_on < today)
            ),
        )
        kinds.append(and_(Category.kind == kind, ~valid, lapsed))
    return or_(*kinds)


def _search_ids(f: Filters, terms: list[str], offset: int, limit: int) -> list[int]:
    """The ids of one page of matches by relevance."""
    matcher = search.Matcher(terms, _filter_tags(f))
    # what a buyer can take home first (can be bought, in stock), then names that start with the word
    # asked, then the rank
    first = (
        case((_lapsed_sql(), 0), else_=1).label("for_sale"),
        case((Product.stock > 0, 1), else_=0).label("in_stock"),
        case((func.lower(Product.name).like(terms[0] + "%"), 1), else_=0).label("starts"),
    )
    if search._dialect() == "postgresql":
        # the candidates: the best-scored matches (search.Matcher.best_scored: a common word's 100,000
        # matches are not all ranked), as many as this page needs, never more than RANK_CAP; then ranked
        # by how well the words match (name before group and description) weighted by the score. What can
        # be bought is asked of the candidates only (a few hundred permits read by index, not all of them)
        pool = min(search.RANK_CAP, max(search.POOL, 2 * (offset + limit)))
        inner = matcher.best_scored(_filtered(f, []), pool).subquery()
        relevance = inner.c.rank * (1 + inner.c.score / 50.0)
        stmt = (
            select(inner.c.id)
            .join_from(inner, Product, Product.id == inner.c.id)
            .join(Category, Category.id == Product.category_id)
            .order_by(*(c.desc() for c in first), relevance.desc(), inner.c.id.desc())
        )
    else:
        ranked = matcher.apply(_filtered(f, []), ranked=True).add_columns(*first)
        cols = ranked.selected_columns
        stmt = ranked.order_by(
            cols.for_sale.desc(), cols.in_stock.desc(), cols.starts.desc(), cols.rank.desc(), Product.id.desc()
        )
    return [r[0] for r in db.session.execute(stmt.offset(offset).limit(limit)).all()]
