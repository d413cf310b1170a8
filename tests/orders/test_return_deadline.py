"""A return's deadline and its courier's price: goods asked back and not sent in RETURN_SEND_DAYS lapse (the
refund that waited is not paid, the order completes and the group's money becomes its own); a pick-up booked
through Biteship for the group is paid from the group's money, in the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.jobs import PERIODIC
from app.core.mail import outbox
from app.core.types import utcnow
from app.extensions import db
from app.orders.complaint_models import Complaint
from app.orders.models import Order, OrderEvent
from app.orders.receipt import complete_delivered
from app.orders.return_lapse import lapse_returns
from app.orders.return_models import ReturnShipment
from tests.ledger.helpers import balance_of, ledger_ok
from tests.support.factories import token

from .test_complaints import _paid_by_transfer, _ship
from .test_returns import CHAIR, _as, _complaint_answered_with_a_return, _pick_up_address

BUYER = "pembeli@uji.example"


def _written_days_ago(ret: ReturnShipment, days: float) -> None:
    ret.created_at = utcnow() - timedelta(days=days)
    db.session.commit()


def _delivered_days_ago(order: Order, days: float) -> None:
    for event in db.session.scalars(db.select(OrderEvent).where(OrderEvent.order_id == order.id)):
        event.created_at = utcnow() - timedelta(days=days)
    db.session.commit()


def test_a_return_not_sent_in_time_lapses_and_the_order_completes_with_the_groups_money(app, client, make, biteship):
    order, auth = _paid_by_transfer(client, make)
    _pick_up_address(order.group)
    _ship(client, order.id, CHAIR)
    cid = _complaint_answered_with_a_return(client, order, auth, "damaged")
    ret = db.session.scalars(db.select(ReturnShipment)).one()
    assert app.config["RETURN_SEND_DAYS"] == 7 and "orders.lapse_returns" in PERIODIC
    ret.created_at = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 11.00 in Samarinda (WITA)
    db.session.commit()
    _as(client, BUYER)
    page = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "Kirim paling lambat 27 Nov 2026 11:00 WITA" in page and "Simpan resi" in page

    _written_days_ago(ret, 6.9)
    _delivered_days_ago(order, 10)
    assert lapse_returns() == {"lapsed": 0}  # she still has time
    assert complete_delivered() == {"completed": 0}  # held: the refund waits for the goods
    pending = balance_of(client, order.group)["pending_idr"]
    assert pending > 0
    _written_days_ago(ret, 7.1)
    before = len(outbox())
    assert lapse_returns() == {"lapsed": 1}
    told = [m["To"] for m in outbox()[before:]]
    assert order.checkout.email in told and len(told) == 2  # the buyer and the group
    assert lapse_returns() == {"lapsed": 0}  # run again: nothing more
    assert len(outbox()) == before + 2
    db.session.expire_all()
    complaint = db.session.get(Complaint, cid)
    assert ret.status == "lapsed" and ret.received_at is None
    assert complaint.refund_idr is None and [(m.role, m.action) for m in complaint.messages][-1] == ("system", "lapsed")

    closed = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "pengembalian ditutup" in closed and "Simpan resi" not in closed
    assert "Dana tidak dikembalikan" in closed
    late = client.post(f"/returns/{ret.id}/waybill", data={"courier": "jne", "waybill": "CGK7788990011"})
    assert late.status_code == 302 and db.session.get(ReturnShipment, ret.id).waybill is None
    assert "Batas waktu mengirim barang kembali sudah lewat" in client.get(late.location).get_data(as_text=True)
    _as(client, CHAIR)
    group_page = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "pengembalian ditutup" in group_page and "Barang kembali diterima</button>" not in group_page
    client.post(f"/returns/{ret.id}/received")
    db.session.expire_all()
    assert db.session.get(ReturnShipment, ret.id).received_at is None  # closed: no refund by a late press
    assert db.session.get(Complaint, cid).refund_idr is None

    assert complete_delivered() == {"completed": 1}  # no longer held: the usual job completes it
    assert complete_delivered() == {"completed": 0}
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "completed"
    money = balance_of(client, order.group)
    assert (money["pending_idr"], money["available_idr"]) == (0, pending)
    ledger_ok(app)


def test_a_return_sent_in_time_does_not_lapse(app, client, make, biteship):
    order, auth = _paid_by_transfer(client, make)
    _ship(client, order.id, CHAIR)
    _complaint_answered_with_a_return(client, order, auth, "expired")
    ret = db.session.scalars(db.select(ReturnShipment)).one()
    _written_days_ago(ret, 6)
    _as(client, BUYER)
    client.post(f"/returns/{ret.id}/waybill", data={"courier": "jne", "waybill": "CGK7788990011"})
    _written_days_ago(ret, 30)
    assert lapse_returns() == {"lapsed": 0}
    db.session.expire_all()
    assert ret.status == "picked" and ret.waybill == "CGK7788990011"
    _delivered_days_ago(order, 30)
    assert complete_delivered() == {"completed": 0}  # still held: the refund waits for the goods on their way


def test_a_pick_up_the_group_pays_for_is_taken_from_its_money_and_shown_on_its_money_page(app, client, make, biteship):
    order, auth = _paid_by_transfer(client, make)
    _pick_up_address(order.group)
    _ship(client, order.id, CHAIR)
    _complaint_answered_with_a_return(client, order, auth, "damaged")
    ret = db.session.scalars(db.select(ReturnShipment)).one()
    before = balance_of(client, order.group)
    _as(client, BUYER)
    page = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "Minta dijemput" in page
    client.post(f"/returns/{ret.id}/book", data={"option": "jnt:ez"})
    client.post(f"/returns/{ret.id}/book", data={"option": "jnt:ez"})  # pressed twice: charged once
    db.session.expire_all()
    price = db.session.get(ReturnShipment, ret.id).price_idr
    assert ret.booked and price and price > 0
    after = balance_of(client, order.group)
    assert after["pending_idr"] == before["pending_idr"] - price and after["available_idr"] == before["available_idr"]
    ledger_ok(app)

    _as(client, CHAIR)
    money = client.get(f"/groups/{order.group.slug}/money").get_data(as_text=True)
    assert f"Ongkos kirim pengembalian barang pesanan {order.number}" in money
    assert f"−Rp{price:,}".replace(",", ".") in money
    client.post(f"/returns/{ret.id}/received")  # the goods are back: the buyer's money goes back too
    final = balance_of(client, order.group)
    assert (final["pending_idr"], final["available_idr"]) == (0, -price)  # the courier stays the group's cost
    items = client.get(f"/api/v1/groups/{order.group.slug}/ledger", headers=token(client, CHAIR)).json["items"]
    pick_up = [i for i in items if i["description"].startswith("Ongkos kirim pengembalian")]
    assert [(i["kind"], i["amount_idr"]) for i in pick_up] == [("adjustment", -price)]  # the contract's kinds
    ledger_ok(app)
