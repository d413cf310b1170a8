"""Complaints ("komplain"): the buyer complains about an order that arrived damaged, the group answers with
part of the money back, the refund goes back the way she paid (a card through Stripe, QRIS through
Midtrans, a transfer by hand) and comes off the group's money; deadlines escalate a complaint the group
does not answer, and an order with a complaint waiting does not complete."""

from __future__ import annotations

import io
import json
import urllib.request
from datetime import timedelta

from app.core.storage import is_private
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Membership
from app.orders.complaint_models import Complaint, ComplaintPhoto
from app.orders.complaint_queues import deadlines
from app.orders.models import Checkout, Order, OrderEvent
from app.orders.receipt import complete_delivered
from app.payments import cards
from tests.ledger.helpers import CHAIRS, balance_of, ledger_ok, place
from tests.support.buying import card_id, checkout_body, two_groups, wait_for
from tests.support.factories import document, jpeg, login, stored, token

NOTIFY = "/api/v1/payments/midtrans/notification"
DAMAGED = {"reason": "damaged", "description": "Dua bungkus amplang remuk dan kemasannya sobek.", "quantity": 2}


def _orders(client, auth) -> dict[str, dict]:
    return {o["group"]["name"]: o for o in client.get("/api/v1/orders", headers=auth).json["items"]}


def _ship(client, order_id: int, chair: str, delivered: bool = True) -> None:
    group = token(client, chair)
    moves = [{"status": "processing"}, {"status": "shipped", "tracking_number": "JNE0123456789"}]
    for move in moves + ([{"status": "delivered"}] if delivered else []):
        answer = client.post(f"/api/v1/orders/{order_id}/status", headers=group, json=move)
        assert answer.status_code == 200, answer.json


def _paid_by_transfer(client, make) -> tuple[Order, dict]:
    """One group's order of 2 Amplang Pipih, paid by bank transfer to the platform's account (an admin confirms
    it): (order, buyer auth)."""
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)])).json
    login(client, make.admin().email)
    assert client.post(f"/transfers/{placed['id']}/confirm").status_code == 302
    client.post("/logout")
    return db.session.get(Order, placed["orders"][0]["id"]), auth


def _complain(client, order_id: int, auth, body=None):
    return client.post(f"/api/v1/orders/{order_id}/complaints", headers=auth, json=body or DAMAGED)


def _respond(client, complaint_id: int, email: str, body: dict):
    return client.post(f"/api/v1/complaints/{complaint_id}/respond", headers=token(client, email), json=body)


def test_a_card_buyer_complains_the_group_gives_half_back_and_stripe_refunds_it_from_the_groups_money(
    stripe_app, client, make, localstripe
):
    body, auth, samarinda, _bengkulu = place(client, make, "stripe")
    cards.pay_by_card(db.session.get(Checkout, body["id"]), card_id(localstripe))
    assert wait_for(lambda: db.session.get(Checkout, body["id"]).status == "paid"), "no webhook arrived"
    order = _orders(client, auth)[samarinda.name]
    _ship(client, order["id"], CHAIRS[samarinda.name])
    pending = balance_of(client, samarinda)["pending_idr"]
    opened = _complain(client, order["id"], auth)
    assert opened.status_code == 201, opened.json
    assert opened.json == {"id": opened.json["id"], "order_id": order["id"], "status": "open", "reason": "damaged"}
    cid = opened.json["id"]
    assert _complain(client, order["id"], auth).status_code == 409  # one complaint waiting at a time
    half = order["total_idr"] // 2
    too_much = _respond(client, cid, CHAIRS[samarinda.name], {"resolution": "partial_refund", "amount_idr": 10**9})
    assert too_much.status_code == 422 and "amount_idr" in too_much.json["errors"]
    answered = _respond(
        client, cid, CHAIRS[samarinda.name], {"resolution": "partial_refund", "amount_idr": half, "note": "Maaf!"}
    )
    assert answered.status_code == 200, answered.json
    assert (answered.json["status"], answered.json["amount_idr"]) == ("answered", half)
    assert balance_of(client, samarinda)["pending_idr"] == pending  # nothing moves before the buyer accepts
    accepted = client.post(f"/api/v1/complaints/{cid}/accept", headers=auth)
    assert accepted.status_code == 200, accepted.json
    got = client.get(f"/api/v1/complaints/{cid}", headers=auth).json
    assert (got["status"], got["resolution"], got["refund_idr"], got["refund_state"]) == (
        "resolved",
        "partial_refund",
        half,
        "sent",
    )
    assert [m["action"] for m in got["messages"]] == ["opened", "answered", "accepted", "refunded"]
    # Stripe (localstripe) holds a refund of exactly half the order, in sen
    reference = db.session.get(Complaint, cid).refund_reference
    request = urllib.request.Request(
        f"{localstripe}/v1/refunds/{reference}", headers={"Authorization": "Bearer sk_test_local"}
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        refund = json.load(answer)
    assert refund["amount"] == half * 100 and refund["payment_intent"].startswith("pi_")
    # the group gives back half, less the same share of the fee the platform took
    fee_share = order["fee_idr"] * half // order["total_idr"]
    assert balance_of(client, samarinda)["pending_idr"] == pending - half + fee_share
    assert "ledger ok" in ledger_ok(stripe_app)


def test_a_qris_buyer_gets_part_of_her_money_back_through_midtrans(app, client, make, midtrans):
    body, auth, samarinda, _bengkulu = place(client, make, "qris")
    reference = db.session.get(Checkout, body["id"]).access_key
    midtrans.settle_silently(reference)
    assert client.post(NOTIFY, json=midtrans.notification(reference)).json["result"] == "paid"
    order = _orders(client, auth)[samarinda.name]
    _ship(client, order["id"], CHAIRS[samarinda.name])
    cid = _complain(client, order["id"], auth, dict(DAMAGED, reason="expired")).json["id"]
    answered = _respond(client, cid, CHAIRS[samarinda.name], {"resolution": "partial_refund", "amount_idr": 20000})
    assert answered.status_code == 200, answered.json
    assert client.post(f"/api/v1/complaints/{cid}/accept", headers=auth).json["refund_state"] == "sent"
    assert midtrans.refunds == [{"order_id": reference, "amount": 20000, "refund_key": f"complaint-{cid}"}]
    assert midtrans.transactions[reference]["transaction_status"] == "partial_refund"
    assert balance_of(client, samarinda)["pending_idr"] == order["total_idr"] - 20000  # no fee on QRIS here
    ledger_ok(app)


def test_a_complaint_only_while_shipped_delivered_or_two_days_after_completion(app, client, make):
    order, auth = _paid_by_transfer(client, make)
    assert _complain(client, order.id, auth).status_code == 409  # paid, not shipped yet
    bad = _complain(client, order.id, auth, {"reason": "bosan", "description": "x"})
    assert bad.status_code == 422
    _ship(client, order.id, "ketua.smd@uji.example")
    assert client.post(f"/api/v1/orders/{order.id}/received", headers=auth).status_code == 200
    completed = db.session.scalars(
        db.select(OrderEvent).where(OrderEvent.order_id == order.id, OrderEvent.to_status == "completed")
    ).one()
    completed.created_at = utcnow() - timedelta(days=2, hours=1)
    db.session.commit()
    assert _complain(client, order.id, auth).status_code == 409  # more than COMPLAINT_DAYS after completion
    completed.created_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert _complain(client, order.id, auth).status_code == 201
    stranger = make.user("orang.lain@uji.example")
    assert _complain(client, order.id, token(client, stranger.email)).status_code == 404


def test_a_refused_complaint_escalated_and_decided_by_an_admin_is_refunded_by_hand(app, client, make):
    order, auth = _paid_by_transfer(client, make)
    _ship(client, order.id, "ketua.smd@uji.example")
    cid = _complain(client, order.id, auth, dict(DAMAGED, reason="missing")).json["id"]
    no_reason = _respond(client, cid, "ketua.smd@uji.example", {"resolution": "reject"})
    assert no_reason.status_code == 422 and "note" in no_reason.json["errors"]
    secretary = make.user("sekretaris@uji.example")
    db.session.add(Membership(group_id=order.group_id, user_id=secretary.id, role="secretary"))
    db.session.commit()
    assert _respond(client, cid, secretary.email, {"resolution": "refund"}).status_code == 403  # money: chair/treasurer
    rejected = _respond(client, cid, "ketua.smd@uji.example", {"resolution": "reject", "note": "Sudah lengkap."})
    assert rejected.json["status"] == "answered"
    escalated = client.post(f"/api/v1/complaints/{cid}/escalate", headers=auth, json={"note": "Kurang dua."})
    assert escalated.json["status"] == "escalated"
    decide = {"resolution": "refund", "note": "Foto menunjukkan dua bungkus kurang."}
    assert client.post(f"/api/v1/complaints/{cid}/decide", headers=auth, json=decide).status_code == 403
    admin = make.admin()
    decided = client.post(f"/api/v1/complaints/{cid}/decide", headers=token(client, admin.email), json=decide)
    assert decided.status_code == 200, decided.json
    assert (decided.json["status"], decided.json["refund_idr"], decided.json["refund_state"]) == (
        "resolved",
        order.total_idr,
        "by_hand",
    )
    # the whole order comes off the group's pending money (its fee back with it)
    money = balance_of(client, order.group)
    assert (money["pending_idr"], money["available_idr"]) == (0, 0)
    login(client, "pembeli@uji.example")
    page = client.post(
        f"/complaints/{cid}/bank",
        data={"bank_name": "BRI", "account_number": "0123 4567 8901", "account_name": "Budi Santoso"},
        follow_redirects=True,
    )
    assert "Rekening tersimpan" in page.get_data(as_text=True)
    client.post("/logout")
    login(client, admin.email)
    queue = client.get("/admin/complaints").get_data(as_text=True)
    assert "0123 4567 8901" in queue
    client.post(f"/complaints/{cid}/refund-paid", data={"reference": "BRI-778899"})
    assert db.session.get(Complaint, cid).refund_state == "paid"
    ledger_ok(app)


def test_a_group_that_does_not_answer_in_two_days_sees_the_complaint_escalated(app, client, make):
    order, auth = _paid_by_transfer(client, make)
    _ship(client, order.id, "ketua.smd@uji.example")
    cid = _complain(client, order.id, auth).json["id"]
    complaint = db.session.get(Complaint, cid)
    complaint.created_at = utcnow() - timedelta(days=1, hours=23)
    db.session.commit()
    assert deadlines() == {"escalated": 0, "accepted": 0}
    complaint.created_at = utcnow() - timedelta(days=2, hours=1)
    db.session.commit()
    assert deadlines() == {"escalated": 1, "accepted": 0}
    got = client.get(f"/api/v1/complaints/{cid}", headers=auth).json
    assert got["status"] == "escalated" and got["messages"][-1]["author"] == "system"
    assert deadlines() == {"escalated": 0, "accepted": 0}  # run again: nothing twice
    admin = make.admin()
    login(client, admin.email)
    assert f"/complaints/{cid}" in client.get("/admin/complaints").get_data(as_text=True)


def test_an_order_with_a_complaint_waiting_does_not_complete_and_its_money_stays_pending(app, client, make):
    order, auth = _paid_by_transfer(client, make)
    _ship(client, order.id, "ketua.smd@uji.example")
    cid = _complain(client, order.id, auth).json["id"]
    delivered = db.session.scalars(
        db.select(OrderEvent).where(OrderEvent.order_id == order.id, OrderEvent.to_status == "delivered")
    ).one()
    delivered.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    assert complete_delivered() == {"completed": 0}
    assert client.post(f"/api/v1/orders/{order.id}/received", headers=auth).status_code == 409
    _respond(client, cid, "ketua.smd@uji.example", {"resolution": "replace", "note": "Kami kirim yang baru."})
    assert client.post(f"/api/v1/complaints/{cid}/accept", headers=auth).json["status"] == "resolved"
    assert complete_delivered() == {"completed": 1}


def test_complaint_photos_a_bad_file_leaves_no_row_and_no_file(app, client, make):
    order, auth = _paid_by_transfer(client, make)
    _ship(client, order.id, "ketua.smd@uji.example")
    cid = _complain(client, order.id, auth).json["id"]
    before = set(stored(app))
    bad = client.post(
        f"/api/v1/complaints/{cid}/photos", headers=auth, data={"file": (io.BytesIO(b"bukan foto"), "a.jpg")}
    )
    assert bad.status_code == 422
    assert db.session.scalar(db.select(db.func.count(ComplaintPhoto.id))) == 0 and set(stored(app)) == before
    good = client.post(f"/api/v1/complaints/{cid}/photos", headers=auth, data={"file": (io.BytesIO(jpeg()), "a.jpg")})
    assert good.status_code == 201, good.json
    (key,) = set(stored(app)) - before
    assert key.startswith("complaints/")  # private: never under the public media URL
    assert is_private(key) and client.get(f"/media/{key}").status_code == 404
    login(client, "ketua.smd@uji.example")
    status, mimetype, _data = document(client.get(f"/complaints/{cid}/photos/{good.json['id']}"))
    assert (status, mimetype) == (200, "image/webp")
    client.post("/logout")
    make.user("orang.lain@uji.example")
    login(client, "orang.lain@uji.example")
    assert client.get(f"/complaints/{cid}/photos/{good.json['id']}").status_code == 404
