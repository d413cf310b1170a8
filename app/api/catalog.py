from flask import g, request

from app.catalog.access import product_for_member
from app.catalog.browse import SORTS, Filters, cached_browse, public_product
from app.catalog.categories import categories
from app.catalog.cursors import decode_cursor, encode_cursor
from app.core import regions
from app.core.errors import NotFound
from app.core.page_cache import public_page
from app.groups import services as groups

from . import schemas, serialize
from .base import Invalid, bool_arg, int_arg, paging, reply, route

PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 24}},
    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
]
PRODUCT_QUERY = [
    {
        "name": "q",
        "in": "query",
        "schema": {"type": "string"},
        "description": "Full-text over name, description, group name",
    },
    {"name": "category", "in": "query", "schema": {"type": "string"}},
    {"name": "province", "in": "query", "schema": {"type": "string"}},
    {"name": "regency", "in": "query", "schema": {"type": "string"}},
    {"name": "group", "in": "query", "schema": {"type": "string"}},
    {"name": "permit", "in": "query", "schema": {"enum": ["bpom", "pirt", "halal", "any"]}},
    {
        "name": "min_price_idr",
        "in": "query",
        "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000},
        "description": "Empty is ignored; out of range is 422",
    },
    {
        "name": "max_price_idr",
        "in": "query",
        "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000},
        "description": "Empty is ignored; out of range is 422",
    },
    {"name": "in_stock", "in": "query", "schema": {"type": "boolean"}},
    {
        "name": "export_ready",
        "in": "query",
        "schema": {"type": "boolean"},
        "description": "Only export-ready products (English page, HS code, valid permit)",
    },
    {"name": "sort", "in": "query", "schema": {"enum": list(SORTS)}},
] + PAGING


@route(
    "/products",
    "GET",
    "Search and browse the public catalog",
    tag="catalog",
    response=schemas.ProductList,
    query=PRODUCT_QUERY,
    errors=(422,),
)
@public_page
def list_products():
    cursor, limit = paging()
    f = Filters(
        q=(request.args.get("q") or "")[:200],
        category=request.args.get("category", ""),
        province=request.args.get("province", ""),
        regency=request.args.get("regency", ""),
        group=request.args.get("group", ""),
        permit=request.args.get("permit", ""),
        min_price_idr=int_arg("min_price_idr"),
        max_price_idr=int_arg("max_price_idr"),
        in_stock=bool_arg("in_stock"),
        export=bool_arg("export_ready"),
        sort=request.args.get("sort", ""),
    )
    page = cached_browse(f, cursor=cursor, limit=limit)
    return reply({"items": [serialize.product_item(p) for p in page.items], "next_cursor": page.next_cursor})


@route(
    "/products/<int:product_id>",
    "GET",
    "One product of the public catalog",
    tag="catalog",
    response=schemas.ProductDetail,
    errors=(404,),
)
@public_page
def get_product(product_id: int):
    user = g.api_user
    try:
        product = public_product(product_id)
    except NotFound:
        if user is None:
            raise
        product = product_for_member(user, product_id)  # members also see drafts
    return reply(serialize.product_detail(product))


@route("/categories", "GET", "Product categories", tag="catalog", response=schemas.CategoryList)
def list_categories():
    locale = request.args.get("lang", "id")
    return reply({"items": [{"slug": c.slug, "name": c.name(locale)} for c in categories()]})


@route("/regions", "GET", "Every province", tag="catalog", response=schemas.RegionList)
def list_regions():
    return reply({"items": [{"code": p.code, "name": p.name} for p in regions.provinces()]})


@route(
    "/regions/<code>",
    "GET",
    "A province with its kabupaten/kota",
    tag="catalog",
    response=schemas.ProvinceOut,
    errors=(404,),
)
def get_region(code: str):
    p = regions.province(code)
    if p is None:
        raise NotFound(f"No province with code {code!r}.")
    return reply({"code": p.code, "name": p.name, "regencies": [{"code": r.code, "name": r.name} for r in p.regencies]})


@route(
    "/groups",
    "GET",
    "Verified groups",
    tag="groups",
    response=schemas.GroupList,
    errors=(422,),
    query=[
        {"name": "q", "in": "query", "schema": {"type": "string"}},
        {"name": "province", "in": "query", "schema": {"type": "string"}},
        {"name": "regency", "in": "query", "schema": {"type": "string"}},
        {"name": "business_type", "in": "query", "schema": {"type": "string"}},
    ]
    + PAGING,
)
def list_groups():
    cursor, limit = paging()
    offset = decode_cursor(cursor)
    business_type = request.args.get("business_type", "")
    if business_type and business_type not in ("industri_rumah_tangga", "pertanian", "jasa", "peternakan", "lainnya"):
        raise Invalid("Unknown business_type.", {"business_type": ["Unknown business type."]})
    rows, more = groups.list_public_groups(
        q=request.args.get("q", ""),
        province=request.args.get("province", ""),
        regency=request.args.get("regency", ""),
        business_type=business_type,
        offset=offset,
        limit=limit,
    )
    return reply(
        {"items": [serialize.group(x) for x in rows], "next_cursor": encode_cursor(offset + limit) if more else None}
    )


@route(
    "/groups/<slug>",
    "GET",
    "One group (verified; members see their own in any status)",
    tag="groups",
    response=schemas.GroupOut,
    errors=(404,),
)
def get_group(slug: str):
    user = g.api_user
    try:
        group = groups.public_group(slug)
    except NotFound:
        if user is None:
            raise
        group = groups.group_for_member(user, slug)
    return reply(serialize.group(group))
