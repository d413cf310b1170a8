"""Queries per page: each page's statement count on the demo data is held under a budget, so an
N+1 (a query per card, per order, per row) fails here before it reaches national size."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from app.extensions import db
from tests.site.test_walk import DEMO_PASSWORD, _demo

# page -> most SQL statements it may run: measured on the demo data (2026-11-24, after the categories were
# kept per process, cards stopped loading tier prices and a product's photos and permits came joined to it:
# 2, 2, 2, 1, 1, 6; signed in 13, 13, 6, 6) with one to spare, so a query per card, order or row goes over
BUDGETS = {
    "/": 3,
    "/search?q=amplang": 3,
    "/search?category=keripik": 3,
    "/groups": 2,
    "PRODUCT": 3,  # 2 with reviews
    "GROUP": 7,
}
SIGNED_IN = {  # as ketua@pasar.example (the chair of the first demo group); her session, account, memberships and
    # the business she may staff are one query, her groups one more (2026-11-30: 15, 13, 14, 4, 4; were 17, 15,
    # 16, 6, 6)
    "HOME": 16,  # the group and its role, one query a count (complaints and standing-order proposals included)
    "MANAGE": 14,  # + the join link and its requests (joining by phone)
    "ORDERS": 15,  # + shipments, the lots each line took and the orders' complaints, one query each
    "/orders": 5,
    "/account": 5,
}


def _count(app, client, path: str) -> int:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, path
    return len(statements)


@pytest.mark.sqlite_only
def test_pages_stay_within_their_query_budgets(backend, app):
    _demo(app)
    from app.catalog.models import Product
    from app.groups.models import Group

    group = db.session.scalars(select(Group).where(Group.status == "verified").order_by(Group.id)).first()
    product = db.session.scalars(select(Product).order_by(Product.id)).first()
    paths = {
        "PRODUCT": f"/p/{product.id}/{product.slug}",
        "GROUP": f"/g/{group.slug}",
        "HOME": f"/groups/{group.slug}",
        "MANAGE": f"/groups/{group.slug}/manage",
        "ORDERS": f"/groups/{group.slug}/orders",
    }
    over = []
    client = app.test_client()
    for page, budget in BUDGETS.items():
        n = _count(app, client, paths.get(page, page))
        if n > budget:
            over.append(f"{paths.get(page, page)}: {n} queries > {budget}")
    chair = app.test_client()
    chair.post("/login", data={"email": "ketua@pasar.example", "password": DEMO_PASSWORD})
    for page, budget in SIGNED_IN.items():
        n = _count(app, chair, paths.get(page, page))
        if n > budget:
            over.append(f"{paths.get(page, page)} (signed in): {n} queries > {budget}")
    assert not over, "\n".join(over)


@pytest.mark.sqlite_only
def test_a_signed_in_product_page_reads_who_she_is_in_one_query(backend, app):
    """Her session, her account, her memberships and the business she staffs come in one query: the page a
    hotel's buyer sees costs the anonymous page and one statement more; a group's chair, one more for her
    groups (asked only of someone who has one)."""
    _demo(app)
    from app.catalog.models import Product

    product = db.session.scalars(select(Product).where(Product.rating_count == 0).order_by(Product.id)).first()
    path = f"/p/{product.id}/{product.slug}"
    anonymous = _count(app, app.test_client(), path)
    for email, extra, business_link in (("hotel@pasar.example", 1, True), ("ketua@pasar.example", 2, False)):
        client = app.test_client()
        client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        client.get(path)  # her session's "last seen" is written at most every few minutes: not this page's
        assert _count(app, client, path) == anonymous + extra, email
        page = client.get(path).get_data(as_text=True)
        assert ('href="/business"' in page) is business_link, email
