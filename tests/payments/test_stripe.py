"""Card payments against a real fake Stripe (localstripe), with signed webhooks."""

import hashlib
import hmac
import json
import time

from app.extensions import db
from app.orders.models import Checkout, OrderEvent
from app.payments import cards as payments
from app.payments.models import Payment, StripeEvent
from tests.support.buying import card_id, checkout_body, stock_of, two_groups, wait_for
from tests.support.factories import token


def _place(client, make, items=None):
    _s, _b, amplang, keripik = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    response = client.post(
        "/api/v1/checkouts",
        headers=auth,
        json=checkout_body(items or [(amplang.id, 2), (keripik.id, 2)], method="stripe"),
    )
    assert response.status_code == 201, response.json
    return response.json, auth, amplang


def signed(secret: str, event: dict) -> tuple[bytes, str]:
    payload = json.dumps(event).encode()
    t = int(time.time())
    sig = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={t},v1={sig}"


def test_card_payment_is_paid_only_by_the_signed_webhook(stripe_app, client, make, localstripe):
    body, auth, _amplang = _place(client, make)
    payment = body["payment"]
    assert payment["client_secret"].startswith("pi_") and payment["publishable_key"] == "pk_test_local"
    checkout = db.session.get(Checkout, body["id"])
    row = db.session.scalars(db.select(Payment)).one()
    from app.payments import stripe_gateway

    intent = stripe_gateway.retrieve_intent(row.provider_ref)
    assert intent.amount_idr == body["total_idr"]  # Rp 154.000 went to Stripe as 15400000
    result = payments.pay_by_card(checkout, card_id(localstripe))
    assert result.status == "succeeded"
    db.session.expire_all()
    assert checkout.status == "pending_payment"  # not until Stripe says so, signed
    assert wait_for(lambda: db.session.get(Checkout, body["id"]).status == "paid"), "no webhook arrived"
    orders = client.get("/api/v1/orders", headers=auth).json["items"]
    assert {o["status"] for o in orders} == {"paid"} and len(orders) == 2


def test_replayed_and_out_of_order_events_change_nothing_twice(stripe_app, client, make, localstripe):
    body, _auth, _amplang = _place(client, make)
    checkout = db.session.get(Checkout, body["id"])
    payments.pay_by_card(checkout, card_id(localstripe))
    assert wait_for(lambda: db.session.get(Checkout, body["id"]).status == "paid")
    row = db.session.scalars(db.select(Payment)).one()
    events_before = db.session.scalar(db.select(db.func.count(OrderEvent.id)))
    secret = stripe_app.config["STRIPE_WEBHOOK_SECRET"]
    intent = {
        "id": row.provider_ref,
        "object": "payment_intent",
        "amount": body["total_idr"] * 100,
        "currency": "idr",
        "status": "succeeded",
        "client_secret": "x",
        "metadata": {"checkout_ref": checkout.access_key},
    }
    event = {"id": "evt_replayed_1", "object": "event", "type": "payment_intent.succeeded", "data": {"object": intent}}
    for _ in range(2):
        payload, sig = signed(secret, event)
        r = client.post(
            "/api/v1/payments/stripe/webhook",
            data=payload,
            headers={"Stripe-Signature": sig},
            content_type="application/json",
        )
        assert r.status_code == 200
    late_failure = dict(
        event,
        id="evt_late_failure",
        type="payment_intent.payment_failed",
        data={"object": dict(intent, status="requires_payment_method")},
    )
    payload, sig = signed(secret, late_failure)
    assert (
        client.post(
            "/api/v1/payments/stripe/webhook",
            data=payload,
            headers={"Stripe-Signature": sig},
            content_type="application/json",
        ).status_code
        == 200
    )
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(OrderEvent.id))) == events_before
    assert row.status == "succeeded" and checkout.status == "paid"
    assert db.session.get(StripeEvent, "evt_replayed_1") is not None


def test_bad_signature_is_400_and_changes_nothing(stripe_app, client, make):
    body, _auth, _amplang = _place(client, make)
    event = {
        "id": "evt_forged",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": "pi_x", "object": "payment_intent", "amount": 1, "metadata": {}}},
    }
    payload, sig = signed("whsec_wrong", event)
    r = client.post(
        "/api/v1/payments/stripe/webhook",
        data=payload,
        headers={"Stripe-Signature": sig},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert (
        client.post("/api/v1/payments/stripe/webhook", data=b"{}", content_type="application/json").status_code == 400
    )
    assert db.session.get(Checkout, body["id"]).status == "pending_payment"


def test_reconcile_settles_a_payment_whose_webhook_was_lost(stripe_app, client, make, localstripe, runner):
    stripe_app.config["STRIPE_WEBHOOK_SECRET"] = "whsec_not_what_localstripe_signs_with"  # every webhook is refused
    body, _auth, _amplang = _place(client, make)
    checkout = db.session.get(Checkout, body["id"])
    payments.pay_by_card(checkout, card_id(localstripe))
    time.sleep(1.5)
    db.session.expire_all()
    assert checkout.status == "pending_payment"
    result = runner.invoke(args=["payments", "reconcile"])
    assert "paid 1" in result.output, result.output
    db.session.expire_all()
    assert checkout.status == "paid"


def test_an_unpaid_card_checkout_expires_and_its_intent_is_cancelled(stripe_app, client, make, runner):
    from datetime import timedelta

    from app.core.types import utcnow
    from app.payments import stripe_gateway

    body, _auth, amplang = _place(client, make)
    checkout = db.session.get(Checkout, body["id"])
    checkout.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "expired 1" in runner.invoke(args=["orders", "expire"]).output
    row = db.session.scalars(db.select(Payment)).one()
    assert stripe_gateway.retrieve_intent(row.provider_ref).status == "canceled"
    assert stock_of(amplang) == 50


def test_cancelling_a_card_paid_order_refunds_it(stripe_app, client, make, localstripe):
    body, _auth, amplang = _place(client, make)
    checkout = db.session.get(Checkout, body["id"])
    payments.pay_by_card(checkout, card_id(localstripe))
    assert wait_for(lambda: db.session.get(Checkout, body["id"]).status == "paid")
    order = next(o for o in checkout.orders if o.lines[0].product_id == amplang.id)
    group_auth = token(client, "ketua.smd@uji.example")
    r = client.post(
        f"/api/v1/orders/{order.id}/status",
        headers=group_auth,
        json={"status": "cancelled", "reason": "Stok rusak terkena banjir"},
    )
    assert r.status_code == 200
    db.session.expire_all()
    assert order.status == "refunded"
    row = db.session.scalars(db.select(Payment)).one()
    assert row.refunded_idr == order.total_idr and stock_of(amplang) == 50


def test_every_card_call_asks_for_an_api_version_that_takes_payment_method_types(app):
    """Stripe refuses payment_method_types from 2026-09-30.endive on (the SDK's own version): the client
    pins STRIPE_API_VERSION, and the intent's parameters reach Stripe with that version."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs

    from app.payments import stripe_gateway

    seen: list[tuple[str | None, dict]] = []

    class Stripe(BaseHTTPRequestHandler):
        def do_POST(self):
            body = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            seen.append((self.headers.get("Stripe-Version"), body))
            answer = json.dumps(
                {
                    "id": "pi_1",
                    "object": "payment_intent",
                    "status": "requires_payment_method",
                    "amount": 2500000,
                    "client_secret": "pi_1_secret",
                    "metadata": {},
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Stripe)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        app.config.update(STRIPE_SECRET_KEY="sk_test_x", STRIPE_API_BASE=f"http://127.0.0.1:{server.server_port}")
        intent = stripe_gateway.create_intent(25000, "ref-1")
    finally:
        server.shutdown()
    assert intent.id == "pi_1" and intent.amount_idr == 25000
    [(version, params)] = seen
    assert version == app.config["STRIPE_API_VERSION"] and version < "2026-09-30"
    assert params["payment_method_types[0]"] == ["card"] and params["amount"] == ["2500000"]
