"""The catalog cache: listings' cards kept in Redis, shared by servers, keyed by language and
query; any change to a product, its group or its stock is visible on the next request."""

import json
import os
import re

import pytest
import redis as redis_lib
from sqlalchemy import event

from app.catalog import products as catalog
from app.extensions import db
from tests.support.buying import checkout_body
from tests.support.factories import token

URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")  # a run's own database


@pytest.fixture
def cache_on(app):
    try:
        conn = redis_lib.Redis.from_url(URL, socket_connect_timeout=1)
        conn.flushdb()
    except redis_lib.exceptions.ConnectionError:
        pytest.skip("no Redis")
    app.config.update(REDIS_URL=URL, JOBS_EAGER=True, CATALOG_CACHE=True)
    app.extensions.pop("pasar_redis", None)
    yield conn
    conn.flushdb()
    app.extensions.pop("pasar_redis", None)


def _queries(client, path):
    count = [0]

    def counter(*_args):
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        html = client.get(path).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return html, count[0]


def test_listings_are_kept_and_a_change_shows_on_the_next_request(app, client, make, cache_on):
    group = make.group(name="UPPKS Mawar")
    amplang = make.product(group, name="Amplang Pipih", price_idr=25000, stock=2)
    first, cold = _queries(client, "/search?q=amplang")
    again, warm = _queries(client, "/search?q=amplang")
    assert "Rp25.000" in first and again == first and warm < cold  # the search itself came from Redis
    english, _n = _queries(client, "/search?q=amplang&lang=en")
    assert 'lang="en"' in english and "Amplang Pipih" in english
    catalog.update_product(make.chair_of(group), amplang.id, {"price_idr": 27000})
    assert "Rp27.000" in client.get("/search?q=amplang&lang=id").get_data(as_text=True)
    # the stock runs out through a checkout (a conditional UPDATE, not an ORM change): the badge shows at once
    make.user("pembeli@uji.example")
    made = client.post(
        "/api/v1/checkouts", headers=token(client, "pembeli@uji.example"), json=checkout_body([(amplang.id, 2)])
    )
    assert made.status_code == 201
    assert "Stok habis" in client.get("/search?q=amplang").get_data(as_text=True)
    # the group is suspended by an officer: its products leave the listing
    from app.groups.models import Group

    db.session.get(Group, group.id).status = "suspended"
    db.session.commit()
    assert "Amplang Pipih" not in client.get("/").get_data(as_text=True)
    assert cache_on.get("pasar:catalog:version") is not None


def test_the_api_listing_is_kept_too_and_follows_changes(app, client, make, cache_on):
    group = make.group(name="UPPKS Mawar")
    amplang = make.product(group, name="Amplang Pipih", price_idr=25000)
    first = client.get("/api/v1/products?q=amplang").json
    assert [p["price_idr"] for p in first["items"]] == [25000]
    _body, warm = _queries(client, "/api/v1/products?q=amplang")
    assert warm <= 5  # the product rows and their photos, permits and tiers; no search query
    catalog.update_product(make.chair_of(group), amplang.id, {"price_idr": 26000})
    assert [p["price_idr"] for p in client.get("/api/v1/products?q=amplang").json["items"]] == [26000]


def _product_reads(client, path):
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        html = client.get(path).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return html, [s for s in statements if "FROM products" in s]


def _untimed(html: str) -> str:
    """A page without its form tokens (signed with the second they were made in)."""
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_listings_kept_for_signed_in_buyers_stay_escaped_and_follow_changes(app, client, make, cache_on):
    from tests.support.factories import login

    group = make.group(name="UPPKS Mawar")
    amplang = make.product(group, name="Amplang <b>Pipih</b>", price_idr=25000)
    make.user("pembeli@uji.example")
    login(client, "pembeli@uji.example")
    client.get("/orders")  # the welcome message shown
    first, read_first = _product_reads(client, "/search?q=amplang")
    again, read_again = _product_reads(client, "/search?q=amplang")
    assert "Keluar" in again and _untimed(again) == _untimed(first)
    assert read_first and not read_again  # the kept ids and the kept cards' values: no product loaded
    assert "Amplang &lt;b&gt;Pipih&lt;/b&gt;" in again and "<b>Pipih</b>" not in again  # still escaped
    catalog.update_product(make.chair_of(group), amplang.id, {"price_idr": 27000})
    changed = client.get("/search?q=amplang").get_data(as_text=True)
    assert "Rp27.000" in changed and "Rp25.000" not in changed
    client.get("/?lang=en")
    english = client.get("/search?q=amplang").get_data(as_text=True)
    assert "Rp27.000" in english or "Rp27,000" in english


def test_a_card_kept_in_redis_is_data_the_page_escapes(app, client, make, cache_on):
    """Whoever could write to Redis could change a card's values, not put markup on the listing: a kept
    card is plain values the template escapes as it renders them."""
    group = make.group(name="UPPKS Mawar")
    make.product(group, name="Amplang Pipih", price_idr=25000)
    client.get("/search?q=amplang")
    keys = cache_on.keys("pasar:card:*")
    assert len(keys) == 1
    kept = json.loads(cache_on.get(keys[0]))
    assert kept["name"] == "Amplang Pipih" and kept["price_idr"] == 25000 and kept["group"]["name"] == "UPPKS Mawar"
    kept["name"] = '<script>alert("x")</script>'
    cache_on.set(keys[0], json.dumps(kept))
    # another listing (not the page kept whole for visitors) showing the same product: its card as kept
    page = client.get("/search?q=amplang&min_price_idr=1").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page and '<script>alert("x")' not in page
    for n, broken in enumerate(("not json", json.dumps({"name": "x"}), json.dumps([1, 2]))):  # junk, another shape
        cache_on.set(keys[0], broken)
        page = client.get(f"/search?q=amplang&min_price_idr={n + 2}")
        assert page.status_code == 200 and "Amplang Pipih" in page.get_data(as_text=True)
