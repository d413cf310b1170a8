"""Complaint notices go the way of the other notices, through the real client over HTTP to the fake WhatsApp
Cloud API: a complaint opened reaches the group's chair and treasurer by WhatsApp once (however often the job
runs), the other members and a buyer without a proven number by e-mail; the answer and the outcome reach a
buyer with a proven number by WhatsApp, and a WhatsApp Meta refuses comes by e-mail instead."""

from __future__ import annotations

from app.core import whatsapp as wa
from app.extensions import db
from app.orders import complaint_notify
from app.orders.complaint_models import Complaint
from app.orders.status import move_by_group
from tests.core.test_whatsapp import (
    BUYER,
    CHAIR,
    TREASURER,
    group_with_officers,
    mails_to,
    messages,
    paid_checkout,
    proven,
)
from tests.support.factories import token

DAMAGED = {"reason": "damaged", "description": "Dua bungkus amplang remuk\ndan kemasannya sobek.", "quantity": 2}


def _delivered(client, make, group, product, buyer_email: str):
    checkout = paid_checkout(client, make, product, buyer_email)
    order = checkout.orders[0]
    chair = make.chair_of(group)
    for move in ("processing", "shipped", "delivered"):
        move_by_group(chair, order.id, move, tracking_number="JNE0012345678" if move == "shipped" else None)
    return order


def _complain(client, order, buyer_email: str) -> int:
    opened = client.post(f"/api/v1/orders/{order.id}/complaints", headers=token(client, buyer_email), json=DAMAGED)
    assert opened.status_code == 201, opened.json
    return opened.json["id"]


def test_a_complaint_opened_tells_the_chair_by_whatsapp_once_and_the_email_only_buyer_hears_the_answer_by_email(
    client, make, whatsapp
):
    group, amplang = group_with_officers(make)
    order = _delivered(client, make, group, amplang, "pembeli@uji.example")
    cid = _complain(client, order, "pembeli@uji.example")

    told = [m for m in whatsapp.messages if m["name"] == "komplain_baru"]
    assert sorted(m["to"] for m in told) == [CHAIR[1:], TREASURER[1:]]
    assert told[0]["params"][:2] == [order.number, "Barang rusak"] and f"/complaints/{cid}" in told[0]["params"][2]
    # the job runs again, and the notice is asked for again: nothing more
    for row in messages("komplain_baru"):
        wa.deliver(row.id)
    complaint_notify.opened(db.session.get(Complaint, cid))
    assert len([m for m in whatsapp.messages if m["name"] == "komplain_baru"]) == 2
    assert mails_to("sekretaris@uji.example", f"Komplain untuk pesanan {order.number}")  # by e-mail, as before
    assert not mails_to("ketua@uji.example", "Komplain")

    answered = client.post(
        f"/api/v1/complaints/{cid}/respond",
        headers=token(client, "ketua@uji.example"),
        json={"resolution": "replace", "note": "Kami kirim dua bungkus baru."},
    )
    assert answered.status_code == 200, answered.json
    # the buyer has no proven number: the answer comes by e-mail, nothing by WhatsApp
    assert not [m for m in whatsapp.messages if m["name"] == "komplain_dijawab"]
    assert len(mails_to("pembeli@uji.example", f"Jawaban komplain pesanan {order.number}")) == 1


def test_a_buyer_with_a_proven_number_hears_the_answer_and_the_outcome_by_whatsapp(client, make, whatsapp):
    group, amplang = group_with_officers(make)
    proven(make.user("pembeli@uji.example"), BUYER)
    order = _delivered(client, make, group, amplang, "pembeli@uji.example")
    cid = _complain(client, order, "pembeli@uji.example")
    client.post(
        f"/api/v1/complaints/{cid}/respond",
        headers=token(client, "ketua@uji.example"),
        json={"resolution": "replace", "note": "Kami kirim dua bungkus baru."},
    )
    whatsapp.fail_next(132001, times=1)  # the outcome's template not yet registered for the buyer's message
    accepted = client.post(f"/api/v1/complaints/{cid}/accept", headers=token(client, "pembeli@uji.example"), json={})
    assert accepted.status_code == 200, accepted.json

    heard = [(m["name"], m["params"]) for m in whatsapp.sent_to(BUYER) if m["name"].startswith("komplain")]
    assert heard[0][0] == "komplain_dijawab"
    assert heard[0][1][:3] == ["UPPKS Mawar", order.number, "Barang diganti"]
    assert not mails_to("pembeli@uji.example", "Jawaban komplain")
    # the outcome: refused for the buyer, so she has it by e-mail; the chair and treasurer by WhatsApp
    assert "komplain_selesai" not in [t for t, _p in heard]
    assert len(mails_to("pembeli@uji.example", f"Komplain pesanan {order.number} selesai")) == 1
    settled = {m["to"] for m in whatsapp.messages if m["name"] == "komplain_selesai"}
    assert settled == {CHAIR[1:], TREASURER[1:]}
    assert not mails_to("ketua@uji.example", "selesai")
