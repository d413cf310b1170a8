"""Returns: a complaint answered with the money back (or a replacement) may ask for the goods back; the
buyer sends them with a courier's pick-up booked through Biteship (its fake on 127.0.0.1, through the real
client over HTTP: rates, a waybill, a label) or with the waybill she got at the counter; the return's steps
come by the same signed webhook and the periodic job; the refund is paid only once the goods are back."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.extensions import db
from app.orders.complaint_models import Complaint
from app.orders.models import Checkout, Order
from app.orders.return_models import ReturnShipment
from app.orders.return_tracking import track_returns
from app.payments import cards
from tests.ledger.helpers import CHAIRS, balance_of, ledger_ok, place
from tests.support.buying import card_id, wait_for
from tests.support.factories import login, token

from .test_complaints import DAMAGED, _paid_by_transfer, _ship

JAKARTA = ZoneInfo("Asia/Jakarta")
CHAIR = CHAIRS["UPPKS Mawar"]


def _pick_up_address(group) -> None:
    group.address, group.postal_code = "Jl. Mawar No. 1", "75119"
    db.session.commit()


def _as(client, email: str) -> None:
    client.post("/logout")
    login(client, email)


def _complaint_answered_with_a_return(client, order: Order, auth, reason: str, resolution="refund") -> int:
    """The buyer complains; the group answers with `resolution` and asks for the goods back; she accepts."""
    opened = client.post(f"/api/v1/orders/{order.id}/complaints", headers=auth, json=dict(DAMAGED, reason=reason))
    assert opened.status_code == 201, opened.json
    cid = opened.json["id"]
    _as(client, CHAIR)
    wrong = client.post(
        f"/complaints/{cid}/respond",
        data={"resolution": "partial_refund", "amount_idr": "1000", "return_goods": "1"},
        follow_redirects=True,
    )
    assert "Barang hanya diminta kembali bila dana dikembalikan penuh" in wrong.get_data(as_text=True)
    answer = {"resolution": resolution, "return_goods": "1", "note": "Mohon kirim barangnya kembali."}
    client.post(f"/complaints/{cid}/respond", data=answer)
    client.post("/logout")
    assert db.session.get(Complaint, cid).return_goods is True
    accepted = client.post(f"/api/v1/complaints/{cid}/accept", headers=auth)
    assert accepted.status_code == 200, accepted.json
    return cid


def _webhook(client, payload, fake, secret=None):
    return client.post(
        "/webhooks/biteship", data=json.dumps(payload), headers=fake.headers(secret), content_type="application/json"
    )


def test_a_card_buyer_sends_damaged_goods_back_by_pick_up_and_is_refunded_when_the_courier_delivers_them(
    stripe_app, client, make, localstripe, biteship, tmp_path
):
    body, auth, samarinda, _bengkulu = place(client, make, "stripe")
    _pick_up_address(samarinda)
    cards.pay_by_card(db.session.get(Checkout, body["id"]), card_id(localstripe))
    assert wait_for(lambda: db.session.get(Checkout, body["id"]).status == "paid"), "no webhook arrived"
    order = db.session.get(Order, next(o["id"] for o in body["orders"] if o["group"]["slug"] == samarinda.slug))
    _ship(client, order.id, CHAIR)
    pending = balance_of(client, samarinda)["pending_idr"]
    cid = _complaint_answered_with_a_return(client, order, auth, "damaged")
    got = client.get(f"/api/v1/complaints/{cid}", headers=auth).json
    assert (got["status"], got["resolution"], got["refund_idr"]) == ("resolved", "refund", None)  # not paid yet
    assert balance_of(client, samarinda)["pending_idr"] == pending
    assert client.post(f"/api/v1/orders/{order.id}/received", headers=auth).status_code == 409  # held
    ret = db.session.scalars(db.select(ReturnShipment)).one()
    assert (ret.payer, ret.status, ret.refund_waits) == ("group", "waiting", True)  # damaged: the group pays

    _as(client, "pembeli@uji.example")
    page = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "Ongkos kirim pengembalian ditanggung kelompok" in page and "J&amp;T EZ" in page
    assert "Minta dijemput" in page and "Jl. Mawar No. 1" in page
    client.post(f"/returns/{ret.id}/book", data={"option": "jnt:ez"})
    asked = [r["body"] for r in biteship.requests if r["path"] == "/v1/orders"][-1]
    assert (asked["origin_postal_code"], asked["destination_postal_code"]) == (75123, 75119)  # the other way
    assert asked["origin_contact_name"] == "Budi Santoso" and asked["destination_contact_name"] == "UPPKS Mawar"
    db.session.expire_all()
    assert ret.waybill.startswith("JNT") and ret.booked and ret.status == "confirmed"
    assert order.shipment is None and order.status == "delivered"  # the order's own parcel is not touched
    label = client.get(f"/returns/{ret.id}/label.pdf")
    assert label.status_code == 200 and label.mimetype == "application/pdf"
    (tmp_path / "label.pdf").write_bytes(label.data)
    text = " ".join(
        subprocess.run(["pdftotext", str(tmp_path / "label.pdf"), "-"], capture_output=True, text=True).stdout.split()
    )
    assert f"Resi: {ret.waybill}" in text and "Penerima UPPKS Mawar" in text and "Pengirim Budi Santoso" in text
    assert client.post(f"/returns/{ret.id}/book", data={"option": "jnt:ez"}).status_code == 302
    assert len([r for r in biteship.requests if r["path"] == "/v1/orders"]) == 1  # booked once

    start = datetime.now(JAKARTA)
    picked = biteship.advance(ret.provider_order_id, "picked", at=start + timedelta(hours=1))
    assert _webhook(client, dict(picked, status="delivered"), biteship, secret="tebakan").status_code == 401
    assert _webhook(client, picked, biteship).json["result"] == "recorded"
    assert _webhook(client, picked, biteship).json["result"] == "replayed"
    dropping = biteship.advance(ret.provider_order_id, "dropping_off", "Menuju Samarinda", start + timedelta(hours=20))
    assert track_returns() == {"asked": 1, "steps": 1}  # a missed webhook: the job asks
    delivered = biteship.advance(ret.provider_order_id, "delivered", at=start + timedelta(hours=26))
    # on its way: nothing refunded yet; the pick-up's price is the group's (it was its fault)
    assert balance_of(client, samarinda)["pending_idr"] == pending - ret.price_idr
    assert _webhook(client, delivered, biteship).json["result"] == "recorded"
    assert _webhook(client, dropping, biteship).json["result"] == "replayed"  # late and known: harmless
    db.session.expire_all()
    assert ret.status == "delivered" and ret.received_at is not None
    complaint = db.session.get(Complaint, cid)
    assert (complaint.refund_idr, complaint.refund_state) == (order.total_idr, "sent")
    assert [m.action for m in complaint.messages][-3:] == ["return_sent", "returned", "refunded"]
    request = urllib.request.Request(
        f"{localstripe}/v1/refunds/{complaint.refund_reference}", headers={"Authorization": "Bearer sk_test_local"}
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert json.load(answer)["amount"] == order.total_idr * 100
    assert balance_of(client, samarinda)["pending_idr"] < pending
    assert _webhook(client, delivered, biteship).json["result"] == "replayed"  # refunded once
    assert track_returns() == {"asked": 0, "steps": 0}
    ledger_ok(stripe_app)


def test_a_return_sent_from_the_counter_is_seen_by_both_and_received_by_the_group(app, client, make, biteship):
    order, auth = _paid_by_transfer(client, make)
    _pick_up_address(order.group)
    _ship(client, order.id, CHAIR)
    cid = _complaint_answered_with_a_return(client, order, auth, "expired")
    ret = db.session.scalars(db.select(ReturnShipment)).one()
    pending = balance_of(client, order.group)["pending_idr"]

    _as(client, CHAIR)
    waiting = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "Menunggu pembeli mengirim barang kembali" in waiting and "Minta dijemput" not in waiting
    assert client.post(f"/returns/{ret.id}/waybill", data={"courier": "jne", "waybill": "X"}).status_code == 403
    _as(client, "pembeli@uji.example")
    short = client.post(f"/returns/{ret.id}/waybill", data={"courier": "jne", "waybill": "12"}, follow_redirects=True)
    assert "Panjang 5 sampai 60 karakter" in short.get_data(as_text=True)
    client.post(f"/returns/{ret.id}/waybill", data={"courier": "jne", "waybill": "CGK7788990011"})
    assert not [r for r in biteship.requests if r["path"] == "/v1/orders"]  # nothing booked
    buyer_page = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "CGK7788990011" in buyer_page and "Resi dari loket JNE dicatat." in buyer_page
    assert "CGK7788990011" in client.get(f"/complaints/{cid}").get_data(as_text=True)
    again = client.post(f"/returns/{ret.id}/waybill", data={"courier": "jne", "waybill": "CGK000000"})
    assert again.status_code == 302 and db.session.get(ReturnShipment, ret.id).waybill == "CGK7788990011"
    assert "Barang kembali diterima" not in buyer_page

    _as(client, CHAIR)
    group_page = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "CGK7788990011" in group_page and "Resi dari loket JNE dicatat." in group_page
    assert "Barang kembali diterima" in group_page
    assert balance_of(client, order.group)["pending_idr"] == pending
    done = client.post(f"/returns/{ret.id}/received", follow_redirects=True).get_data(as_text=True)
    assert "Barang sudah diterima kelompok" in done
    complaint = db.session.get(Complaint, cid)
    assert (complaint.refund_idr, complaint.refund_state) == (order.total_idr, "by_hand")  # a transfer: by hand
    assert balance_of(client, order.group)["pending_idr"] == 0
    client.post("/logout")
    assert client.post(f"/api/v1/orders/{order.id}/received", headers=auth).status_code == 200  # no longer held
    ledger_ok(app)


def test_a_replacement_that_asks_for_the_goods_back_holds_no_money(app, client, make, biteship):
    order, auth = _paid_by_transfer(client, make)
    _ship(client, order.id, CHAIR)
    cid = _complaint_answered_with_a_return(client, order, auth, "missing", resolution="replace")
    ret = db.session.scalars(db.select(ReturnShipment)).one()
    assert (ret.payer, ret.refund_waits) == ("buyer", False)  # not the group's fault: the buyer pays
    _as(client, "pembeli@uji.example")
    page = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "Ongkos kirim pengembalian Anda tanggung" in page and "Minta dijemput" not in page
    client.post("/logout")
    assert db.session.get(Complaint, cid).refund_idr is None
    assert client.post(f"/api/v1/orders/{order.id}/received", headers=auth).status_code == 200


def test_an_admin_deciding_an_escalated_complaint_may_ask_for_the_goods_back(app, client, make, biteship):
    order, auth = _paid_by_transfer(client, make)
    _ship(client, order.id, CHAIR)
    cid = client.post(f"/api/v1/orders/{order.id}/complaints", headers=auth, json=DAMAGED).json["id"]
    rejected = {"resolution": "reject", "note": "Kemasan utuh saat dikirim."}
    assert (
        client.post(f"/api/v1/complaints/{cid}/respond", headers=token(client, CHAIR), json=rejected).status_code == 200
    )
    assert client.post(f"/api/v1/complaints/{cid}/escalate", headers=auth).json["status"] == "escalated"
    _as(client, make.admin().email)
    client.post(f"/complaints/{cid}/decide", data={"resolution": "refund", "return_goods": "on", "note": "Rusak."})
    complaint = db.session.get(Complaint, cid)
    assert (complaint.status, complaint.refund_idr, complaint.amount_idr) == ("resolved", None, order.total_idr)
    ret = db.session.scalars(db.select(ReturnShipment)).one()
    assert (ret.payer, ret.refund_waits) == ("group", True)
    assert "Lihat pengembalian barang" in client.get(f"/complaints/{cid}").get_data(as_text=True)
    client.post("/logout")
    assert client.post(f"/api/v1/orders/{order.id}/received", headers=auth).status_code == 409  # held
