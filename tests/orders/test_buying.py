import pytest

from app.catalog.models import Product
from app.core.mail import outbox
from app.extensions import db
from app.orders.models import Checkout, Order
from app.orders.reviews import add_review
from app.orders.status import mark_paid, move_by_group
from tests.support.buying import checkout_body, stock_of, two_groups
from tests.support.factories import login, token


def test_checkout_splits_per_group_with_tiers_and_shipping(client, make):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    response = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 10), (keripik.id, 4)]))
    assert response.status_code == 201, response.json
    body = response.json
    by_group = {o["group"]["slug"]: o for o in body["orders"]}
    smd, bkl = by_group[samarinda.slug], by_group[bengkulu.slug]
    # 10 amplang reach the tier of 22.000; 2 kg inside Kalimantan Timur: 10.000 + 5.000
    assert smd["lines"] == [
        {
            "product_id": amplang.id,
            "name": "Amplang Pipih",
            "quantity": 10,
            "unit_price_idr": 22000,
            "line_total_idr": 220000,
        }
    ]
    assert (smd["goods_idr"], smd["shipping_idr"], smd["total_idr"]) == (220000, 15000, 235000)
    # 4 keripik, 1.2 kg from Bengkulu (Sumatera) to Kalimantan: across islands, 35.000 + 20.000
    assert (bkl["goods_idr"], bkl["shipping_idr"], bkl["total_idr"]) == (68000, 55000, 123000)
    assert (body["shipping_idr"], body["total_idr"]) == (70000, 358000)
    assert body["payment"]["method"] == "bank_transfer" and body["payment"]["bank"]["account_number"]
    assert all(o["status"] == "pending_payment" for o in body["orders"])
    assert (stock_of(amplang), stock_of(keripik)) == (40, 26)
    assert any("Pesanan" in m["Subject"] and m["To"] == "pembeli@uji.example" for m in outbox())
    # what was bought stays as it was bought
    amplang.name, amplang.price_idr = "Amplang Baru", 99000
    db.session.commit()
    again = client.get(f"/api/v1/orders/{smd['id']}", headers=auth).json
    assert again["lines"][0]["name"] == "Amplang Pipih" and again["lines"][0]["unit_price_idr"] == 22000


def test_pickup_costs_no_shipping(client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    body = checkout_body([(amplang.id, 1)], shipping_methods={samarinda.slug: "pickup"})
    order = client.post("/api/v1/checkouts", headers=auth, json=body).json["orders"][0]
    assert (order["shipping_idr"], order["shipping_method"]) == (0, "pickup")


@pytest.mark.parametrize(
    "mutate,status,field",
    [
        (lambda b: b["items"][0].update(quantity=0), 422, "items.0.quantity"),
        (lambda b: b["items"][0].update(quantity=-1), 422, "items.0.quantity"),
        (lambda b: b["items"][0].update(quantity=10**12), 422, "items.0.quantity"),
        (lambda b: b["items"][0].update(quantity="3"), 422, "items.0.quantity"),
        (lambda b: b["items"][0].update(unit_price_idr=1), 422, "items.0.unit_price_idr"),
        (lambda b: b.update(total_idr=1000), 422, "total_idr"),
        (lambda b: b["items"].__setitem__(0, {"product_id": 999999, "quantity": 1}), 422, "items.0.product_id"),
        (lambda b: b["shipping_address"].update(regency="64.71", province="17"), 422, "shipping_address.province"),
        (lambda b: b["shipping_address"].update(postal_code="7512x"), 422, "shipping_address.postal_code"),
        (lambda b: b["shipping_address"].update(district="Kuta"), 422, "shipping_address.district"),  # Kuta is in Bali
        (lambda b: b.update(items=[]), 422, "items"),
        (lambda b: b.update(payment_method="invoice"), 403, None),
    ],
)
def test_bad_checkouts_change_nothing(client, make, mutate, status, field):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    body = checkout_body([(amplang.id, 2)])
    mutate(body)
    response = client.post("/api/v1/checkouts", headers=auth, json=body)
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    if field:
        assert field in response.json.get("errors", {}), response.json
    assert stock_of(amplang) == 50
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 0


def test_minimums_unverified_and_archived_products_are_refused(client, make):
    _s, _b, amplang, keripik = two_groups(make)
    pending = make.group(verified=False)
    from app.groups.services import verify_group

    verify_group(make.admin(), pending.slug)
    hidden = make.product(pending, name="Kue Tersembunyi", category="kue")
    pending.status = "suspended"
    archived = make.product(make.group(), name="Sabun Lama", category="sabun", status="archived")
    db.session.commit()
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    below = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(keripik.id, 1)]))
    assert below.status_code == 422 and "minimum 2" in below.json["errors"]["items.0.quantity"][0]
    for product in (hidden, archived):
        r = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 1)]))
        assert r.status_code == 422 and "tidak tersedia" in r.json["errors"]["items.0.product_id"][0]


def test_not_enough_stock_is_409_naming_each_product_and_reserves_nothing(client, make):
    _s, _b, amplang, keripik = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    response = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 51), (keripik.id, 31)]))
    assert response.status_code == 409
    assert "Amplang Pipih: stok tinggal 50." in response.json["errors"]["items.0.quantity"]
    assert "Keripik Pisang: stok tinggal 30." in response.json["errors"]["items.1.quantity"]
    assert (stock_of(amplang), stock_of(keripik)) == (50, 30)


def test_idempotency_key_answers_the_first_response(client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = dict(token(client, "pembeli@uji.example"), **{"Idempotency-Key": "beli-123"})
    first = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)]))
    second = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)]))
    assert first.status_code == second.status_code == 201
    assert first.json == second.json
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 1 and stock_of(amplang) == 48
    other = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 3)]))
    assert other.status_code == 422
    # a failure is answered again too, even once the stock is back
    failing = dict(auth, **{"Idempotency-Key": "beli-456"})
    too_many = checkout_body([(amplang.id, 100)])
    assert client.post("/api/v1/checkouts", headers=failing, json=too_many).status_code == 409
    amplang.stock = 500
    db.session.commit()
    replay = client.post("/api/v1/checkouts", headers=failing, json=too_many)
    assert replay.status_code == 409


def test_someone_elses_order_is_404(client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("a@uji.example")
    make.user("b@uji.example")
    mine = client.post(
        "/api/v1/checkouts", headers=token(client, "a@uji.example"), json=checkout_body([(amplang.id, 1)])
    ).json["orders"][0]["id"]
    other = token(client, "b@uji.example")
    assert client.get(f"/api/v1/orders/{mine}", headers=other).status_code == 404
    assert client.post(f"/api/v1/orders/{mine}/status", headers=other, json={"status": "completed"}).status_code == 404
    assert client.get("/api/v1/orders", headers=other).json["items"] == []


def test_status_machine_and_cancel_gives_stock_back(client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    buyer = make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    body = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 5)])).json
    order_id = body["orders"][0]["id"]
    group_auth = token(client, "ketua.smd@uji.example")
    early = client.post(f"/api/v1/orders/{order_id}/status", headers=group_auth, json={"status": "shipped"})
    assert early.status_code == 409  # not paid yet
    checkout = db.session.get(Checkout, body["id"])
    mark_paid(checkout, make.admin())
    moves = client.post(f"/api/v1/orders/{order_id}/status", headers=group_auth, json={"status": "processing"})
    assert moves.status_code == 200 and moves.json["status"] == "processing"
    no_tracking = client.post(f"/api/v1/orders/{order_id}/status", headers=group_auth, json={"status": "shipped"})
    assert no_tracking.status_code == 422 and "tracking_number" in no_tracking.json["errors"]
    shipped = client.post(
        f"/api/v1/orders/{order_id}/status",
        headers=group_auth,
        json={"status": "shipped", "tracking_number": "JNE123456"},
    )
    assert shipped.json["tracking_number"] == "JNE123456"
    back = client.post(f"/api/v1/orders/{order_id}/status", headers=group_auth, json={"status": "processing"})
    assert back.status_code == 409
    assert (
        client.post(f"/api/v1/orders/{order_id}/status", headers=auth, json={"status": "completed"}).status_code == 200
    )
    statuses = [e["status"] for e in client.get(f"/api/v1/orders/{order_id}", headers=auth).json["events"]]
    assert statuses == ["pending_payment", "paid", "processing", "shipped", "completed"]
    listed = client.get(f"/api/v1/groups/{samarinda.slug}/orders?status=completed", headers=group_auth).json
    assert [o["id"] for o in listed["items"]] == [order_id]
    # another paid order, cancelled by the group: its stock comes back
    body2 = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 7)])).json
    mark_paid(db.session.get(Checkout, body2["id"]))
    assert stock_of(amplang) == 38
    no_reason = client.post(
        f"/api/v1/orders/{body2['orders'][0]['id']}/status", headers=group_auth, json={"status": "cancelled"}
    )
    assert no_reason.status_code == 422
    cancelled = client.post(
        f"/api/v1/orders/{body2['orders'][0]['id']}/status",
        headers=group_auth,
        json={"status": "cancelled", "reason": "Bahan baku habis"},
    )
    assert cancelled.json["status"] == "cancelled" and stock_of(amplang) == 45
    assert buyer


def test_unpaid_checkouts_expire_and_give_stock_back(app, client, make, runner):
    from datetime import timedelta

    from app.core.types import utcnow

    _s, _b, amplang, keripik = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    body = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 5), (keripik.id, 2)])).json
    fresh = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 1)])).json
    assert app.config["CHECKOUT_TTL_HOURS"] == 24
    checkout = db.session.get(Checkout, body["id"])
    checkout.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["orders", "expire"])
    assert "expired 1" in result.output
    db.session.expire_all()
    assert checkout.status == "expired"
    assert {o.status for o in checkout.orders} == {"cancelled"}
    assert (stock_of(amplang), stock_of(keripik)) == (49, 30)
    assert db.session.get(Checkout, fresh["id"]).status == "pending_payment"


def test_reviews_after_completion_and_one_reply(app, client, make):
    _s, _b, amplang, _k = two_groups(make)
    buyer = make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    body = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 1)])).json
    order = db.session.get(Order, body["orders"][0]["id"])
    line_id = order.lines[0].id
    import pytest as _pytest

    from app.core.errors import Conflict

    with _pytest.raises(Conflict):
        add_review(buyer, line_id, 5, "Belum sampai")
    mark_paid(order.checkout)
    group_member = make.chair_of(order.group)
    for to, extra in (("processing", {}), ("shipped", {"tracking_number": "J1"}), ("delivered", {})):
        move_by_group(group_member, order.id, to, **extra)
    login(client, "pembeli@uji.example")
    page = client.get(f"/checkout/{order.checkout.access_key}").get_data(as_text=True)
    assert "Pesanan sudah saya terima" in page
    client.post(f"/checkout/{order.checkout.access_key}/orders/{order.id}/received")
    client.post(
        f"/checkout/{order.checkout.access_key}/lines/{line_id}/review", data={"rating": "4", "body": "Renyah sekali"}
    )
    client.post(
        f"/checkout/{order.checkout.access_key}/lines/{line_id}/review", data={"rating": "1", "body": "dua kali"}
    )
    product = db.session.get(Product, amplang.id)
    db.session.refresh(product)
    assert (product.rating_count, product.rating_average) == (1, 4.0)
    assert client.get(f"/api/v1/products/{amplang.id}").json["rating"] == {"average": 4.0, "count": 1}
    html = client.get(f"/p/{amplang.id}/{amplang.slug}").get_data(as_text=True)
    assert "Renyah sekali" in html and "★ 4.0" in html
    review_id = order.lines[0].review.id
    group_client = app.test_client()
    login(group_client, group_member.email)
    group_client.post(f"/reviews/{review_id}/reply", data={"reply": "Terima kasih, Pak!"})
    second = group_client.post(f"/reviews/{review_id}/reply", data={"reply": "Lagi"}, follow_redirects=True)
    assert "sudah dibalas" in second.get_data(as_text=True)
    assert "Terima kasih, Pak!" in client.get(f"/p/{amplang.id}/{amplang.slug}").get_data(as_text=True)


def test_the_api_tells_each_side_which_moves_it_may_make_and_the_buyer_confirms_receipt(client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    buyer = token(client, "pembeli@uji.example")
    group = token(client, "ketua.smd@uji.example")
    placed = client.post("/api/v1/checkouts", headers=buyer, json=checkout_body([(amplang.id, 2)])).json
    order_id = placed["orders"][0]["id"]
    assert placed["orders"][0]["next_statuses"] == []  # nothing for the buyer before the money
    mark_paid(db.session.scalars(db.select(Checkout)).one())
    seen = client.get(f"/api/v1/orders/{order_id}", headers=group).json
    assert seen["next_statuses"] == ["processing", "cancelled"]  # the group's buttons
    assert client.get(f"/api/v1/orders/{order_id}", headers=buyer).json["next_statuses"] == []
    early = client.post(f"/api/v1/orders/{order_id}/received", headers=buyer)
    assert early.status_code == 409 and early.mimetype == "application/problem+json"
    for to, extra in (("processing", {}), ("shipped", {"tracking_number": "JNE0012345"})):
        moved = client.post(f"/api/v1/orders/{order_id}/status", headers=group, json={"status": to, **extra})
        assert moved.status_code == 200 and moved.json["status"] == to
    assert moved.json["next_statuses"] == ["delivered"]
    listed = client.get("/api/v1/orders", headers=buyer).json["items"]
    assert [o["next_statuses"] for o in listed] == [["completed"]]
    assert client.post(f"/api/v1/orders/{order_id}/received", headers=group).status_code == 404  # not the buyer
    done = client.post(f"/api/v1/orders/{order_id}/received", headers=buyer)
    assert done.status_code == 200 and done.json["status"] == "completed" and done.json["next_statuses"] == []
