"""A two-group checkout paid through the platform (card, QRIS, a transfer to the platform's account): each
group's pending money rises by its order's net, becomes available when the buyer confirms, and a replayed
webhook or a duplicated notification posts nothing twice."""

from __future__ import annotations

from app.extensions import db
from app.ledger import book
from app.orders.models import Checkout
from app.payments import cards
from tests.payments.test_stripe import signed
from tests.support.buying import card_id, wait_for
from tests.support.factories import login

from .helpers import CHAIRS, balance_of, deliver_and_confirm, ledger_ok, place, postings

NOTIFY = "/api/v1/payments/midtrans/notification"


def _orders(client, auth) -> dict[str, dict]:
    return {o["group"]["name"]: o for o in client.get("/api/v1/orders", headers=auth).json["items"]}


def test_a_card_checkout_credits_each_group_its_net_and_a_replayed_webhook_posts_nothing_twice(
    stripe_app, client, make, localstripe
):
    stripe_app.config.update(PLATFORM_FEE_PERCENT="5", PLATFORM_FEE_IDR=1000, PROVIDER_COSTS_BORNE_BY="group")
    body, auth, samarinda, bengkulu = place(client, make, "stripe")
    checkout = db.session.get(Checkout, body["id"])
    cards.pay_by_card(checkout, card_id(localstripe))
    assert wait_for(lambda: db.session.get(Checkout, body["id"]).status == "paid"), "no webhook arrived"
    orders = _orders(client, auth)
    for group in (samarinda, bengkulu):
        o = orders[group.name]
        # 5 % of the goods + Rp 1.000, and the card's 2,9 % of the order's total (the group bears it here)
        fee = (o["goods_idr"] * 500 + 5000) // 10000 + 1000 + (o["total_idr"] * 290 + 5000) // 10000
        assert (o["fee_idr"], o["net_idr"]) == (fee, o["total_idr"] - fee)
        assert balance_of(client, group) == {
            "pending_idr": o["net_idr"],
            "available_idr": 0,
            "paid_out_idr": 0,
            "direct_idr": 0,
            "fees_idr": fee,
        }
    assert sum(o["total_idr"] for o in orders.values()) == body["total_idr"]  # the buyer paid what was shown
    before = postings()
    # Stripe sends the same event again, and a second event for the same payment: nothing is posted twice
    from app.payments.models import Payment

    intent_id = db.session.scalars(db.select(Payment)).one().provider_ref
    intent = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": body["total_idr"] * 100,
        "currency": "idr",
        "status": "succeeded",
        "client_secret": "x",
        "metadata": {"checkout_ref": checkout.access_key},
    }
    for event_id in ("evt_again_1", "evt_again_1", "evt_again_2"):
        event = {"id": event_id, "object": "event", "type": "payment_intent.succeeded", "data": {"object": intent}}
        payload, sig = signed(stripe_app.config["STRIPE_WEBHOOK_SECRET"], event)
        answer = client.post(
            "/api/v1/payments/stripe/webhook",
            data=payload,
            headers={"Stripe-Signature": sig},
            content_type="application/json",
        )
        assert answer.status_code == 200
    assert postings() == before
    assert balance_of(client, samarinda)["pending_idr"] == orders[samarinda.name]["net_idr"]
    # the buyer confirms the Samarinda group's order: its net becomes available; Bengkulu's stays pending
    deliver_and_confirm(client, auth, orders[samarinda.name]["id"], CHAIRS[samarinda.name])
    assert balance_of(client, samarinda)["available_idr"] == orders[samarinda.name]["net_idr"]
    assert balance_of(client, samarinda)["pending_idr"] == 0
    assert balance_of(client, bengkulu)["pending_idr"] == orders[bengkulu.name]["net_idr"]
    assert book.balance("platform:fees") == sum(o["fee_idr"] for o in orders.values())
    assert "ledger ok" in ledger_ok(stripe_app)


def test_a_qris_checkout_credits_each_group_and_a_duplicated_notification_posts_nothing_twice(
    app, client, make, midtrans
):
    body, auth, samarinda, bengkulu = place(client, make, "qris")
    order_id = db.session.get(Checkout, body["id"]).access_key
    midtrans.settle_silently(order_id)
    assert client.post(NOTIFY, json=midtrans.notification(order_id)).json["result"] == "paid"
    before = postings()
    assert client.post(NOTIFY, json=midtrans.notification(order_id)).json["result"] == "duplicate"
    assert client.post(NOTIFY, json=midtrans.notification(order_id, "capture")).json["result"] == "none"
    assert postings() == before
    orders = _orders(client, auth)
    for group in (samarinda, bengkulu):
        o = orders[group.name]
        # by default the platform charges no fee and bears QRIS's 0,7 %: the group receives the whole total
        assert (o["fee_idr"], o["net_idr"]) == (0, o["total_idr"])
        assert balance_of(client, group)["pending_idr"] == o["total_idr"]
    costs = sum((o["total_idr"] * 70 + 5000) // 10000 for o in orders.values())
    assert book.balance("platform:provider_costs") == -costs
    assert book.balance("clearing:midtrans") == -(body["total_idr"] - costs)  # what Midtrans will settle
    deliver_and_confirm(client, auth, orders[bengkulu.name]["id"], CHAIRS[bengkulu.name])
    assert balance_of(client, bengkulu) == {
        "pending_idr": 0,
        "available_idr": orders[bengkulu.name]["total_idr"],
        "paid_out_idr": 0,
        "direct_idr": 0,
        "fees_idr": 0,
    }
    ledger_ok(app)


def test_a_transfer_to_the_platforms_account_credits_each_group_when_an_admin_confirms_it(app, client, make):
    body, auth, samarinda, bengkulu = place(client, make, "bank_transfer")
    assert (
        body["payment"]["bank"]["account_number"] == app.config["PLATFORM_BANK_ACCOUNT"]
    )  # two groups: the platform's
    admin = make.admin()
    login(client, admin.email)
    assert client.post(f"/transfers/{body['id']}/confirm").status_code == 302
    client.post("/logout")
    orders = _orders(client, auth)
    assert {g.name: balance_of(client, g)["pending_idr"] for g in (samarinda, bengkulu)} == {
        name: o["total_idr"] for name, o in orders.items()
    }
    assert book.balance("clearing:bank") == -body["total_idr"]
    for group in (samarinda, bengkulu):
        deliver_and_confirm(client, auth, orders[group.name]["id"], CHAIRS[group.name])
        assert balance_of(client, group)["available_idr"] == orders[group.name]["total_idr"]
        assert balance_of(client, group)["pending_idr"] == 0
    ledger_ok(app)
