"""The anonymous page cache: product pages, listings and API reads kept in Redis for
visitors who are not signed in, as a CDN would keep them; a change to a product, its stock or its
group shows on the next request; nothing personal is ever kept or served from it."""

import pytest
import redis as redis_lib

from app.catalog import products as catalog
from app.core import page_cache
from tests.core.test_cache import cache_on  # noqa: F401  (the fixture)
from tests.support import ARTIFACTS
from tests.support.buying import checkout_body
from tests.support.factories import login, token


@pytest.fixture
def cached(app, cache_on):  # noqa: F811 (the fixture imported above)
    """Redis on (test_cache's fixture) and the page cache in front of the app."""
    app.config.update(PAGE_CACHE=True)
    if not isinstance(app.wsgi_app, page_cache.PageCache):
        page_cache.install(app)
    return cache_on


def _product_path(client, product):
    return client.get(f"/p/{product.id}").headers["Location"]


def test_a_product_page_is_kept_revalidated_and_changes_show_at_once(app, make, cached):
    group = make.group(name="UPPKS Mawar")
    amplang = make.product(group, name="Amplang Pipih", price_idr=25000, stock=2)
    client = app.test_client()
    path = _product_path(client, amplang)
    first = client.get(path)
    assert first.status_code == 200 and "X-Page-Cache" not in first.headers
    assert "public" in first.headers["Cache-Control"] and "s-maxage=30" in first.headers["Cache-Control"]
    assert first.headers["ETag"] and first.headers.getlist("Set-Cookie") == []
    again = client.get(path)
    assert again.headers["X-Page-Cache"] == "hit" and again.data == first.data
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    # a browser or CDN revalidating gets 304 without a body
    revalidated = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.data == b""
    # the price changes: the very next request shows it, with a new ETag
    catalog.update_product(make.chair_of(group), amplang.id, {"price_idr": 27000})
    changed = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and "Rp27.000" in changed.get_data(as_text=True)
    # the stock runs out through a checkout (a conditional UPDATE): the next anonymous visitor sees it
    make.user("pembeli@uji.example")
    made = client.post(
        "/api/v1/checkouts", headers=token(client, "pembeli@uji.example"), json=checkout_body([(amplang.id, 2)])
    )
    assert made.status_code == 201
    page = app.test_client().get(path).get_data(as_text=True)
    assert "Stok habis" in page and "Tambah ke keranjang" not in page


def test_add_to_cart_from_a_kept_page_works_and_another_site_cannot(app, make, cached):
    amplang = make.product(make.group(), name="Amplang Pipih", price_idr=25000, stock=5)
    client = app.test_client()
    path = _product_path(client, amplang)
    client.get(path)
    kept = client.get(path)
    assert kept.headers["X-Page-Cache"] == "hit"
    html = kept.get_data(as_text=True)
    assert 'action="/cart/add"' in html and "csrf_token" not in html  # nobody's token is shared
    foreign = client.post(
        "/cart/add",
        data={"product_id": amplang.id, "quantity": 1},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert foreign.status_code == 403
    added = client.post(
        "/cart/add",
        data={"product_id": amplang.id, "quantity": 1},
        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    )
    assert added.status_code == 302
    # now the visitor has a cart: pages are made for them, never taken from (or put into) the cache
    mine = client.get(path)
    assert "X-Page-Cache" not in mine.headers and "Keranjang (1)" in mine.get_data(as_text=True)
    assert "no-store" in mine.headers["Cache-Control"] or "public" not in mine.headers.get("Cache-Control", "")
    others = app.test_client().get(path)
    assert others.headers["X-Page-Cache"] == "hit" and "Keranjang (1)" not in others.get_data(as_text=True)


def test_signed_in_pages_are_never_kept_or_served_from_the_cache(app, make, cached):
    amplang = make.product(make.group(), name="Amplang Pipih", price_idr=25000, stock=5)
    make.user("sari@uji.example", name="Sari Pembeli")
    member = app.test_client()
    login(member, "sari@uji.example")
    path = _product_path(member, amplang)
    for _ in range(2):
        page = member.get(path)
        assert "X-Page-Cache" not in page.headers and "private" in page.headers["Cache-Control"]
        assert "Keluar" in page.get_data(as_text=True)
    anonymous = app.test_client().get(path)
    assert "Keluar" not in anonymous.get_data(as_text=True) and "X-Page-Cache" not in anonymous.headers


def test_each_language_has_its_own_copy(app, make, cached):
    make.product(make.group(), name="Amplang Pipih", price_idr=25000, stock=5)
    english = app.test_client()
    english.get("/?lang=en")  # chooses English: the session now holds the language only
    en1, en2 = english.get("/search?q=amplang"), english.get("/search?q=amplang")
    assert en2.headers["X-Page-Cache"] == "hit" and 'lang="en"' in en2.get_data(as_text=True)
    indonesian = app.test_client()
    id1, id2 = indonesian.get("/search?q=amplang"), indonesian.get("/search?q=amplang")
    assert id2.headers["X-Page-Cache"] == "hit" and 'lang="id"' in id2.get_data(as_text=True)
    assert en1.data == en2.data and id1.data != en1.data


def test_api_reads_are_kept_for_anonymous_clients_only(app, make, cached):
    group = make.group()
    amplang = make.product(group, name="Amplang Pipih", price_idr=25000, stock=5)
    client = app.test_client()
    first = client.get("/api/v1/products?q=amplang")
    again = client.get("/api/v1/products?q=amplang")
    assert again.headers["X-Page-Cache"] == "hit" and again.json == first.json
    assert again.headers["Content-Type"].startswith("application/json")
    detail = client.get(f"/api/v1/products/{amplang.id}")
    assert client.get(f"/api/v1/products/{amplang.id}").headers["X-Page-Cache"] == "hit"
    catalog.update_product(make.chair_of(group), amplang.id, {"stock": 1})
    assert client.get(f"/api/v1/products/{amplang.id}").json["stock"] == 1 != detail.json["stock"]
    make.user("sari@uji.example")
    bearer = token(client, "sari@uji.example")
    signed = client.get("/api/v1/products?q=amplang", headers=bearer)
    assert "X-Page-Cache" not in signed.headers and "public" not in signed.headers.get("Cache-Control", "")


def test_redis_away_the_pages_are_made_as_always(app, make, cached):
    amplang = make.product(make.group(), name="Amplang Pipih", price_idr=25000, stock=5)
    app.wsgi_app._redis = redis_lib.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    client = app.test_client()
    path = _product_path(client, amplang)
    assert client.get(path).status_code == 200 and client.get(path).status_code == 200


def test_an_entry_that_does_not_read_is_made_afresh(app, make, cached):
    amplang = make.product(make.group(), name="Amplang Pipih", price_idr=25000, stock=5)
    client = app.test_client()
    path = _product_path(client, amplang)
    client.get(path)
    for key in cached.keys("pasar:page:*"):
        cached.set(key, b"not json\n\n<p>broken</p>")
    page = client.get(path)
    assert page.status_code == 200 and "Amplang Pipih" in page.get_data(as_text=True)
    assert client.get(path).headers["X-Page-Cache"] == "hit"


def test_in_chromium_a_guest_buys_from_a_kept_product_page(app, make, cached, live_server, browser):
    """At 360 px: the product page comes from the page cache (no CSRF token in it), the browser's own
    Fetch Metadata lets "add to cart" through, and the cart then shows what was added."""
    amplang = make.product(make.group(), name="Amplang Pipih", price_idr=25000, stock=5)
    path = _product_path(app.test_client(), amplang)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    assert page.goto(f"{live_server}{path}").headers.get("x-page-cache") is None
    kept = page.goto(f"{live_server}{path}")
    assert kept.headers.get("x-page-cache") == "hit" and "public" in kept.headers["cache-control"]
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("input[name=quantity]", "2")
    page.click("text=Tambah ke keranjang")
    page.wait_for_url(f"{live_server}/cart")
    assert "Amplang Pipih" in page.content() and "Rp50.000" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-cache-cart-360.png"), full_page=True)
    # with a cart, the same product page is made for this visitor (and says so in the header)
    mine = page.goto(f"{live_server}{path}")
    assert mine.headers.get("x-page-cache") is None and "Keranjang (2)" in page.content()
    context.close()
