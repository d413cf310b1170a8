"""Whatever a client sends, nothing answers 5xx: ids that no column can hold, offsets and cursors out of
range and control characters are refused with a 4xx, and crafted input (listing cursors, JSON nested thousands
deep, non-ASCII webhook signatures, URLs no parser reads, url_for's own arguments, months out of range) gets a
4xx with a message. Every test runs on SQLite and on PostgreSQL (where int4 ids and NUL bytes used to break)."""

import base64
import json
import re

import pytest

from tests.support.buying import checkout_body, two_groups
from tests.support.factories import PASSWORD, login, token

BIG = [2**31, 2**63, 10**20]


@pytest.mark.parametrize("n", BIG)
def test_ids_out_of_range_are_404_in_paths(client, make, n):
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    for path in (f"/api/v1/products/{n}", f"/api/v1/orders/{n}", f"/api/v1/invoices/{n}", f"/api/v1/quotes/{n}"):
        assert client.get(path, headers=auth).status_code == 404, path
    assert client.patch(f"/api/v1/products/{n}", headers=auth, json={"stock": 1}).status_code == 404
    assert client.post(f"/api/v1/quotes/{n}/offers/{n}/accept", headers=auth).status_code == 404
    login(client, "pembeli@uji.example")
    for path in (f"/p/{n}", f"/quotes/{n}", f"/invoices/{n}", f"/invoices/{n}.pdf", f"/products/{n}/edit"):
        assert client.get(path).status_code == 404, path


def test_ids_out_of_range_in_bodies_are_422(client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    answer = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(2**31, 1)]))
    assert answer.status_code == 422 and "items.0.product_id" in answer.json["errors"]
    answer = client.post(
        "/api/v1/quotes",
        headers=auth,
        json={
            "product_id": 2**63,
            "description": "Amplang",
            "quantity": 10,
            "needed_by": "2030-01-01",
            "delivery_regency": "64.72",
        },
    )
    assert answer.status_code == 422 and "product_id" in answer.json["errors"]
    # a form: an id that cannot exist is a product that does not exist
    assert client.post("/cart/add", data={"product_id": str(2**40), "quantity": "1"}).status_code == 404


def test_offsets_and_cursors_out_of_range(client, make):
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    assert client.get("/groups?offset=100000000000000000000").status_code == 200
    assert client.get("/groups?offset=1e20").status_code == 200
    login(client, "pembeli@uji.example")
    assert client.get("/orders?offset=100000000000000000000").status_code == 200
    huge = base64.urlsafe_b64encode(b'{"o": 1e400}').decode().rstrip("=")
    for path in ("/api/v1/products", "/api/v1/groups", "/api/v1/orders"):
        answer = client.get(f"{path}?cursor={huge}", headers=auth)
        assert answer.status_code == 422, path
        assert answer.mimetype == "application/problem+json" and "cursor" in answer.json["errors"]
    assert client.get(f"/search?q=amplang&cursor={huge}").status_code in (200, 422)
    assert client.get(f"/search?q=amplang&cursor={huge}").status_code < 500


def test_control_characters_are_refused_everywhere(client, make):
    group = make.group(name="UPPKS Mawar")
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    for path in (
        "/api/v1/groups?q=%00",
        "/search?category=%00",
        "/g/%00",
        "/checkout/%00",
        "/officer/groups/%00",
        "/search?q=amp%01lang",
        f"/g/{group.slug}?x=%0d%0a",
    ):
        answer = client.get(path, headers=auth)
        assert answer.status_code == 422, path
    problem = client.get("/api/v1/groups?q=%00")
    assert problem.mimetype == "application/problem+json" and "q" in problem.json["errors"]
    # bodies: JSON and forms
    assert (
        client.post("/api/v1/auth/token", json={"email": "pembeli@uji.example\u0000", "password": "x"}).status_code
        == 422
    )
    body = checkout_body([(1, 1)])
    body["shipping_address"]["street"] = "Jl. Mawar\u0000 5"
    assert client.post("/api/v1/checkouts", headers=auth, json=body).status_code == 422
    assert client.post("/login", data={"email": "pembeli@uji.example\x00", "password": PASSWORD}).status_code == 422
    # a line break in a text area is text, not an attack
    login(client, "pembeli@uji.example")
    assert client.post("/cart/update", data={"note": "baris satu\r\nbaris dua\tlagi"}).status_code == 302


# ------------------------------------------------------------------ crafted input: a 4xx with a message, never a 500


def _cursor(key) -> str:
    raw = json.dumps({"s": "newest", "d": "n", "k": key}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _page_says(answer, status: int, words: str) -> None:
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True)[:300])
    assert answer.mimetype == "text/html" and words in answer.get_data(as_text=True)


def _problem_says(answer, status: int, words: str) -> None:
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True)[:300])
    assert answer.mimetype == "application/problem+json" and words in json.dumps(answer.json, ensure_ascii=False)


def crafted_cursor(app, client, make):
    """A listing cursor whose time has no offset, or falls outside the years 1..9999 in UTC."""
    group = make.group()
    make.product(group)
    for key in (
        ["2026-01-01T00:00:00", 5],
        ["0001-01-01T00:00:00+14:00", 5],
        ["9999-12-31T23:59:59-14:00", 5],
        ["2026-01-01", 5],
    ):
        cursor = _cursor(key)
        _page_says(client.get(f"/search?sort=newest&cursor={cursor}"), 422, "Kursor tidak valid")
        _page_says(client.get(f"/g/{group.slug}?cursor={cursor}"), 422, "Kursor tidak valid")
        answer = client.get(f"/api/v1/products?cursor={cursor}")
        _problem_says(answer, 422, "Kursor tidak valid")
        assert "cursor" in answer.json["errors"]


def deeply_nested_json(app, client, make):
    """JSON nested far deeper than any body of the API, on any JSON POST (pages too)."""
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    for depth in (100_000, 900, 40):
        deep = "[" * depth + "]" * depth
        _problem_says(
            client.post("/api/v1/auth/token", data=deep, content_type="application/json"),
            400,
            "bersarang terlalu dalam",
        )
        _problem_says(
            client.post(
                "/api/v1/checkouts", headers=auth, content_type="application/json", data='{"items": ' + deep + "}"
            ),
            400,
            "bersarang terlalu dalam",
        )
    _page_says(
        client.post("/login", data="[" * 5000 + "]" * 5000, content_type="application/json"),
        400,
        "bersarang terlalu dalam",
    )
    assert client.post("/api/v1/auth/token", json={"email": "pembeli@uji.example", "password": "x"}).status_code == 401


def non_ascii_signatures(app, client, make):
    """A webhook signature with characters outside ASCII is a bad signature like any other."""
    app.config.update(STRIPE_WEBHOOK_SECRET="whsec_" + "a" * 24, STRIPE_SECRET_KEY="sk_test_" + "b" * 24)
    _problem_says(
        client.post(
            "/api/v1/payments/stripe/webhook",
            data=b"{}",
            content_type="application/json",
            headers={"Stripe-Signature": "t=1,v1=\u00e9\u00e9\u00e9"},
        ),
        400,
        "Stripe-Signature",
    )
    from tests.fakes.midtrans_server import FakeMidtrans

    with FakeMidtrans("SB-Mid-server-uji") as fake:
        app.config.update(MIDTRANS_SERVER_KEY=fake.server_key, MIDTRANS_API_URL=fake.url)
        answer = client.post(
            "/api/v1/payments/midtrans/notification",
            json={
                "order_id": "CK-1",
                "status_code": "200",
                "gross_amount": "1000.00",
                "signature_key": "r\u00e9sum\u00e9",
            },
        )
        _problem_says(answer, 400, "signature_key")
        assert fake.requests == []  # refused before Midtrans was asked anything


def unparseable_urls(app, client, make):
    """A Referer or ?next= that no URL parser reads ("https://[::1") never leads anywhere but here."""
    group = make.group()
    product = make.product(group)
    make.user("pembeli@uji.example")
    # no Sec-Fetch-Site, no Origin: the Referer cannot be read, so the form's origin is unknown: refused
    _page_says(
        client.post("/cart/add", data={"product_id": product.id, "quantity": "1"}, headers={"Referer": "https://[::1"}),
        403,
        "tidak berhak",
    )
    # from this site, with a bad quantity: back to a page of this site, not to the Referer
    answer = client.post(
        "/cart/add",
        data={"product_id": product.id, "quantity": "0"},
        headers={"Referer": "https://[::1", "Sec-Fetch-Site": "same-origin"},
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    answer = client.post("/login?next=http://[::1", data={"email": "pembeli@uji.example", "password": PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    # a Referer of this site still brings the buyer back where she was
    answer = client.post(
        "/cart/add",
        data={"product_id": product.id, "quantity": "0"},
        headers={"Referer": f"http://localhost/p/{product.id}/{product.slug}?x=1", "Sec-Fetch-Site": "same-origin"},
    )
    assert answer.headers["Location"] == f"/p/{product.id}/{product.slug}?x=1"
    answer = client.post(
        "/cart/add",
        data={"product_id": product.id, "quantity": "0"},
        headers={"Referer": "https://evil.example/p/1", "Sec-Fetch-Site": "same-origin"},
    )
    assert answer.headers["Location"] == "/"


def url_for_arguments_in_the_query(app, client, make):
    """url_for's own arguments (_method, _scheme, _external, _anchor, _host) and `endpoint` in the query
    string of a page that builds links from it: ignored, never a 500 nor a link elsewhere."""
    group = make.group()
    for i in range(25):  # more than a page: the pager builds its links from the query string
        make.product(group, name=f"Amplang Rasa {i}")
    for extra in (
        "_method=POST",
        "_scheme=javascript&_external=1",
        "_external=1",
        "_anchor=x%22%3E",
        "_host=evil.example",
        "endpoint=catalog.home",
    ):
        answer = client.get(f"/search?q=amplang&{extra}")
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200, extra
        links = re.findall(r'href="([^"]*cursor=[^"]*)"', html)
        assert links and all(
            link.startswith("/search?")
            and "_" not in link.split("?")[1].split("=")[0]
            and "javascript" not in link
            and "evil" not in link
            and "endpoint" not in link
            for link in links
        ), (extra, links)
        answer = client.get(f"/c/amplang?{extra}")
        assert answer.status_code == 302, extra
        assert answer.headers["Location"].startswith("/search?") and "category=amplang" in answer.headers["Location"]
        assert "_" not in answer.headers["Location"] and "endpoint" not in answer.headers["Location"]


def months_out_of_range(app, client, make):
    """A month of the sales book (page and API) outside the years it can show."""
    chair = make.user("ketua@uji.example")
    group = make.group(chair)
    auth = token(client, "ketua@uji.example")
    login(client, "ketua@uji.example")
    for month in ("9999-12", "0001-01", "1899-12", "99999999999999999999-1", "2026-13"):
        _page_says(client.get(f"/groups/{group.slug}/sales?month={month}"), 422, "Bulan")
        answer = client.get(f"/api/v1/groups/{group.slug}/offline-sales?month={month}", headers=auth)
        _problem_says(answer, 422, "Bulan")
        assert "month" in answer.json["errors"]
    assert client.get(f"/groups/{group.slug}/sales?month=2999-12").status_code == 200


CRAFTED = [
    crafted_cursor,
    deeply_nested_json,
    non_ascii_signatures,
    unparseable_urls,
    url_for_arguments_in_the_query,
    months_out_of_range,
]


@pytest.mark.parametrize("case", CRAFTED, ids=[c.__name__ for c in CRAFTED])
def test_crafted_input_is_answered_4xx_with_a_message(app, client, make, case):
    case(app, client, make)  # and the app fixture fails the test if anything answered 5xx
