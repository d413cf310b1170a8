"""Shared set-up for the buying tests: two groups far apart, a buyer, an address."""

import io
import json
import time
import urllib.request

from app.extensions import db
from app.orders.models import Checkout
from tests.support.factories import jpeg, token

ADDRESS = {
    "name": "Budi Santoso",
    "phone": "081234500000",
    "street": "Jl. Pahlawan No. 5",
    "village": "Sidodadi",
    "district": "Samarinda Ulu",
    "regency": "64.72",
    "province": "64",
    "postal_code": "75123",
}


def two_groups(make):
    samarinda = make.group(make.user("ketua.smd@uji.example"), name="UPPKS Mawar", regency="64.72")
    bengkulu = make.group(make.user("ketua.bkl@uji.example"), name="UPPKS Bunga Tanjung", regency="17.71")
    amplang = make.product(
        samarinda,
        name="Amplang Pipih",
        price_idr=25000,
        net_weight_g=200,
        stock=50,
        price_tiers=[{"min_qty": 10, "unit_price_idr": 22000}],
    )
    keripik = make.product(
        bengkulu,
        name="Keripik Pisang",
        category="keripik",
        price_idr=17000,
        net_weight_g=300,
        stock=30,
        min_order_qty=2,
    )
    return samarinda, bengkulu, amplang, keripik


def checkout_body(items, method="bank_transfer", **extra):
    return {
        "items": [{"product_id": p, "quantity": q} for p, q in items],
        "shipping_address": dict(ADDRESS),
        "payment_method": method,
        **extra,
    }


def stock_of(product) -> int:
    db.session.expire_all()
    return product.stock


def card_id(localstripe: str, number: str = "4242424242424242") -> str:
    """What Stripe.js does in the browser: a card made with the publishable key."""
    data = f"card[number]={number}&card[exp_month]=12&card[exp_year]=2030&card[cvc]=123&key=pk_test_local"
    with urllib.request.urlopen(urllib.request.Request(localstripe + "/v1/tokens", data=data.encode()), timeout=5) as r:
        return json.load(r)["card"]["id"]


def wait_for(check, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        if check():
            return True
        time.sleep(0.2)
    return False


def checkout_with_proof(client, make):
    """A buyer's checkout of 2 Amplang Pipih paid by bank transfer, its proof uploaded through the checkout's link."""
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)]))
    checkout = db.session.get(Checkout, placed.json["id"])
    answer = client.post(
        f"/checkout/{checkout.access_key}/proof",
        data={"file": (io.BytesIO(jpeg()), "bukti.jpg")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    db.session.expire_all()
    return checkout, amplang
