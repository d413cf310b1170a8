"""Couriers through Biteship (its fake on 127.0.0.1, through the real client over HTTP): rates per group at
checkout, the chosen rate charged exactly, a pick-up booked with its waybill, and tracking by webhook and by
the periodic job moving the order to delivered."""

import json
import re
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.extensions import db
from app.orders.models import Checkout, Order, Shipment, TrackingEvent
from app.orders.receipt import due_for_completion
from app.orders.shipments import track_shipments
from app.orders.status import mark_paid
from tests.fakes.biteship_server import FakeBiteship
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import login, token

JAKARTA = ZoneInfo("Asia/Jakarta")
FORM = {
    "name": "Budi Santoso",
    "ship_phone": "081234500000",
    "street": "Jl. Pahlawan No. 5",
    "district": "Samarinda Ulu",
    "regency": "64.72",
    "postal_code": "75123",
    "payment_method": "bank_transfer",
    "email": "tamu@uji.example",
    "phone": "081299990000",
}


def _groups(make):
    """Samarinda's group sends within its city (75119 -> 75123); Bengkulu's across the islands (38221)."""
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    samarinda.address, samarinda.postal_code = "Jl. Mawar No. 1", "75119"
    bengkulu.address, bengkulu.postal_code = "Jl. Tanjung No. 2", "38221"
    db.session.commit()
    return samarinda, bengkulu, amplang, keripik


def _buyer(client, make):
    make.user("pembeli@uji.example")
    return token(client, "pembeli@uji.example")


def _options(group: dict) -> dict:
    return {o["code"]: o for o in group["options"]}


def test_a_two_group_cart_is_offered_each_groups_couriers_with_price_and_days(client, make, biteship):
    samarinda, bengkulu, amplang, keripik = _groups(make)
    auth = _buyer(client, make)
    body = checkout_body([(amplang.id, 2), (keripik.id, 2)])
    del body["payment_method"]
    answer = client.post("/api/v1/checkouts/quote", headers=auth, json=body)
    assert answer.status_code == 200, answer.json
    groups = {g["group"]["slug"]: g for g in answer.json["groups"]}
    near, far = _options(groups[samarinda.slug]), _options(groups[bengkulu.slug])
    # 2 x 200 g of amplang within Samarinda; 2 x 300 g of keripik from Bengkulu: the far one costs more
    assert near["jnt:ez"] == {"code": "jnt:ez", "name": "J&T EZ", "price_idr": 10000, "etd_days": 4}
    assert near["jne:reg"]["price_idr"] == 11000 and far["jne:reg"]["price_idr"] == 16000
    assert {"sicepat:reg", "anteraja:reg", "pos:reg", "pickup"} <= set(near) and near["pickup"]["price_idr"] == 0
    # nothing chosen yet: the cheapest (POS) is what the total holds
    assert groups[samarinda.slug]["chosen"] == "pos:reg" and groups[samarinda.slug]["shipping_idr"] == 8000
    assert answer.json["total_idr"] == 50000 + 34000 + 8000 + 13000
    asked = [r["body"] for r in biteship.requests if r["path"] == "/v1/rates/couriers"]
    assert all(r["auth_ok"] for r in biteship.requests)
    assert {(a["origin_postal_code"], a["destination_postal_code"]) for a in asked} == {(75119, 75123), (38221, 75123)}
    assert {"name": "Amplang Pipih", "value": 25000, "weight": 200, "quantity": 2} in asked[0]["items"] + asked[1][
        "items"
    ]


def test_without_biteship_the_zone_table_prices_the_courier(client, make):
    _s, _b, amplang, _k = _groups(make)
    auth = _buyer(client, make)
    body = checkout_body([(amplang.id, 2)])
    del body["payment_method"]
    group = client.post("/api/v1/checkouts/quote", headers=auth, json=body).json["groups"][0]
    assert _options(group)["courier"]["price_idr"] == 10000 and group["chosen"] == "courier"


def test_the_buyer_is_charged_exactly_the_courier_she_chose(client, make, biteship):
    samarinda, bengkulu, amplang, keripik = _groups(make)
    auth = _buyer(client, make)
    items = [(amplang.id, 2), (keripik.id, 2)]
    refused = client.post(
        "/api/v1/checkouts", headers=auth, json=checkout_body(items, shipping_options={samarinda.slug: "tiki:ons"})
    )
    assert refused.status_code == 422 and f"shipping.{samarinda.slug}" in refused.json["errors"]
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 0
    chosen = {samarinda.slug: "jnt:ez", bengkulu.slug: "pickup"}
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body(items, shipping_options=chosen))
    assert placed.status_code == 201, placed.json
    orders = {o["group"]["slug"]: o for o in placed.json["orders"]}
    assert (orders[samarinda.slug]["shipping_idr"], orders[bengkulu.slug]["shipping_idr"]) == (10000, 0)
    assert placed.json["total_idr"] == 50000 + 34000 + 10000 == placed.json["payment"]["amount_idr"]
    order = db.session.get(Order, orders[samarinda.slug]["id"])
    assert (order.shipping_option, order.shipping_option_name) == ("jnt:ez", "J&T EZ")


def test_a_rate_that_changed_since_the_page_showed_it_places_nothing(client, make, biteship):
    samarinda, _b, amplang, _k = _groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "2"})
    form = dict(FORM, **{f"ship-{samarinda.slug}": "jne:yes"})
    page = client.post("/checkout", data=dict(form, action="quote")).get_data(as_text=True)
    assert "J&amp;T EZ" in page and "JNE YES" in page and "1 hari" in page and "2–4 hari" in page
    shown = int(re.search(r'name="shown_total" value="(\d+)"', page).group(1))
    assert shown == 50000 + 21000
    biteship.surcharge = 1500  # JNE raised its rates meanwhile
    changed = client.post("/checkout", data=dict(form, action="place", shown_total=shown))
    assert changed.status_code == 409 and "Rp72.500" in changed.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 0
    again = client.post("/checkout", data=dict(form, action="place", shown_total=72500))
    assert again.status_code == 302
    assert db.session.scalars(db.select(Order)).one().shipping_idr == 22500


def _paid_order(client, make, auth, option="jnt:ez") -> Order:
    samarinda, _b, amplang, _k = _groups(make)
    body = checkout_body([(amplang.id, 2)], shipping_options={samarinda.slug: option})
    placed = client.post("/api/v1/checkouts", headers=auth, json=body).json
    mark_paid(db.session.get(Checkout, placed["id"]))
    return db.session.get(Order, placed["orders"][0]["id"])


def test_the_group_books_a_pickup_and_prints_the_label_with_its_waybill(client, make, biteship, tmp_path):
    auth = _buyer(client, make)
    order = _paid_order(client, make, auth)
    group = token(client, "ketua.smd@uji.example")
    booked = client.post(f"/api/v1/orders/{order.id}/shipments", headers=group, json={"courier": "jnt"})
    assert booked.status_code == 201, booked.json
    asked = next(r["body"] for r in biteship.requests if r["path"] == "/v1/orders")
    assert (asked["courier_company"], asked["courier_type"]) == ("jnt", "ez")  # the service the buyer paid for
    assert (asked["origin_postal_code"], asked["destination_postal_code"]) == (75119, 75123)
    assert asked["origin_address"].startswith("Jl. Mawar No. 1") and asked["destination_contact_name"] == "Budi Santoso"
    waybill = booked.json["waybill"]
    assert waybill.startswith("JNT") and booked.json == {
        "courier": "jnt",
        "service": "ez",
        "waybill": waybill,
        "status": "confirmed",
    }
    db.session.expire_all()
    assert (order.status, order.tracking_number) == ("shipped", waybill)
    again = client.post(f"/api/v1/orders/{order.id}/shipments", headers=group, json={"courier": "jnt"})
    assert again.status_code == 409  # booked once
    login(client, "ketua.smd@uji.example")
    label = client.get(f"/orders/{order.id}/label.pdf")
    assert label.status_code == 200 and label.mimetype == "application/pdf"
    (tmp_path / "label.pdf").write_bytes(label.data)
    text = " ".join(
        subprocess.run(["pdftotext", str(tmp_path / "label.pdf"), "-"], capture_output=True, text=True).stdout.split()
    )
    assert f"J&T EZ Resi: {waybill}" in text and "Budi Santoso" in text and "UPPKS Mawar" in text
    assert "2 x Amplang Pipih" in text and "75123" in text
    buyer_view = client.get(f"/api/v1/orders/{order.id}/tracking", headers=auth).json
    assert buyer_view["waybill"] == waybill and buyer_view["events"][0]["status"] == "confirmed"


def test_a_waybill_from_the_counter_is_recorded_without_booking(client, make, biteship):
    auth = _buyer(client, make)
    order = _paid_order(client, make, auth)
    group = token(client, "ketua.smd@uji.example")
    typed = client.post(
        f"/api/v1/orders/{order.id}/shipments", headers=group, json={"courier": "jne", "waybill": "CGK0123456789"}
    )
    assert typed.status_code == 201 and typed.json["waybill"] == "CGK0123456789"
    assert not [r for r in biteship.requests if r["path"] == "/v1/orders"]
    stranger = token(client, make.user("orang@uji.example").email)
    assert client.get(f"/api/v1/orders/{order.id}/tracking", headers=stranger).status_code == 404


def _webhook(client, payload, fake: FakeBiteship, secret=None):
    return client.post(
        "/webhooks/biteship", data=json.dumps(payload), headers=fake.headers(secret), content_type="application/json"
    )


def test_tracking_webhooks_move_the_order_to_delivered_once_and_never_back(client, make, biteship):
    auth = _buyer(client, make)
    order = _paid_order(client, make, auth)
    group = token(client, "ketua.smd@uji.example")
    client.post(f"/api/v1/orders/{order.id}/shipments", headers=group, json={"courier": "jnt", "service": "ez"})
    shipment = db.session.scalars(db.select(Shipment)).one()
    start = datetime.now(JAKARTA)
    picked = biteship.advance(shipment.provider_order_id, "picked", at=start + timedelta(hours=1))
    forged = _webhook(client, dict(picked, status="delivered"), biteship, secret="tebakan")
    assert forged.status_code == 401
    assert _webhook(client, picked, biteship).json["result"] == "recorded"
    assert _webhook(client, picked, biteship).json["result"] == "replayed"  # Biteship sends again: nothing twice
    dropping = biteship.advance(shipment.provider_order_id, "dropping_off", at=start + timedelta(hours=20))
    delivered = biteship.advance(shipment.provider_order_id, "delivered", at=start + timedelta(hours=26))
    assert _webhook(client, delivered, biteship).status_code == 200
    db.session.expire_all()
    assert order.status == "delivered" and order.events[-1].actor_id is None
    assert _webhook(client, dropping, biteship).json["result"] == "recorded"  # arrives late: harmless
    assert _webhook(client, delivered, biteship).json["result"] == "replayed"
    db.session.expire_all()
    assert order.status == "delivered" and [e.to_status for e in order.events].count("delivered") == 1
    tracking = client.get(f"/api/v1/orders/{order.id}/tracking", headers=auth).json
    assert tracking["status"] == "delivered"
    assert [e["status"] for e in tracking["events"]] == ["confirmed", "picked", "dropping_off", "delivered"]
    assert db.session.scalar(db.select(db.func.count(TrackingEvent.id))) == 4
    assert order.id not in due_for_completion()  # the receipt job completes it after ORDER_AUTO_COMPLETE_DAYS
    assert order.id in due_for_completion(datetime.now(JAKARTA) + timedelta(days=3, hours=1))


def test_the_periodic_job_catches_the_steps_a_missed_webhook_would_have_told(client, make, biteship):
    auth = _buyer(client, make)
    order = _paid_order(client, make, auth)
    group = token(client, "ketua.smd@uji.example")
    client.post(f"/api/v1/orders/{order.id}/shipments", headers=group, json={"courier": "jnt"})
    shipment = db.session.scalars(db.select(Shipment)).one()
    later = datetime.now(JAKARTA)
    biteship.advance(shipment.provider_order_id, "picked", "Paket diambil di Samarinda", later + timedelta(hours=2))
    biteship.advance(shipment.provider_order_id, "delivered", "Diterima oleh Budi", later + timedelta(hours=30))
    assert track_shipments() == {"asked": 1, "steps": 2}
    db.session.expire_all()
    assert order.status == "delivered" and order.shipment.events[-1].description == "Diterima oleh Budi"
    assert track_shipments() == {"asked": 0, "steps": 0}  # a delivered parcel is not asked about again
    login(client, "pembeli@uji.example")
    page = client.get(f"/checkout/{order.checkout.access_key}").get_data(as_text=True)
    assert "Lacak kiriman" in page and "Diterima oleh Budi" in page and shipment.waybill in page
