from datetime import timedelta

from app.core.jobs import PERIODIC
from app.core.mail import outbox
from app.core.types import utcnow
from app.extensions import db
from app.orders.models import Checkout, Order, OrderEvent
from app.orders.receipt import complete_delivered
from app.orders.status import mark_paid, move_by_group
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import login, token


def _delivered_order(client, make) -> Order:
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    buyer = token(client, "pembeli@uji.example")
    placed = client.post("/api/v1/checkouts", headers=buyer, json=checkout_body([(amplang.id, 2)])).json
    mark_paid(db.session.scalars(db.select(Checkout)).one())
    order = db.session.get(Order, placed["orders"][0]["id"])
    member = order.group.memberships[0].user
    move_by_group(member, order.id, "processing")
    move_by_group(member, order.id, "shipped", tracking_number="JNE0012345")
    move_by_group(member, order.id, "delivered")
    return order


def _delivered_days_ago(order: Order, days: float) -> None:
    event = db.session.scalars(
        db.select(OrderEvent).where(OrderEvent.order_id == order.id, OrderEvent.to_status == "delivered")
    ).one()
    event.created_at = utcnow() - timedelta(days=days)
    db.session.commit()


def test_an_order_delivered_three_days_ago_completes_by_itself_and_both_sides_are_told(client, make, app):
    order = _delivered_order(client, make)
    assert app.config["ORDER_AUTO_COMPLETE_DAYS"] == 3 and "orders.complete_delivered" in PERIODIC
    _delivered_days_ago(order, 2.9)
    assert complete_delivered() == {"completed": 0}  # the buyer still has time to press "Pesanan diterima"
    login(client, "pembeli@uji.example")
    page = client.get(f"/checkout/{order.checkout.access_key}").get_data(as_text=True)
    assert "selesai dengan sendirinya 3 hari setelah sampai" in page
    db.session.refresh(order)
    assert order.status == "delivered"
    _delivered_days_ago(order, 3.1)
    before = len(outbox())
    assert complete_delivered() == {"completed": 1}
    db.session.refresh(order)
    assert order.status == "completed"
    last = order.events[-1]
    assert last.actor_id is None and "otomatis" in last.note
    told = [m["To"] for m in outbox()[before:]]
    assert order.checkout.email in told and len(told) == 2  # the buyer and the group
    assert complete_delivered() == {"completed": 0}  # run again: nothing twice


def test_an_order_the_buyer_already_confirmed_is_left_alone(client, make):
    order = _delivered_order(client, make)
    _delivered_days_ago(order, 10)
    buyer = token(client, "pembeli@uji.example")
    assert client.post(f"/api/v1/orders/{order.id}/received", headers=buyer).status_code == 200
    assert complete_delivered() == {"completed": 0}


def test_pressing_pesanan_diterima_again_on_a_completed_order_says_so_on_the_order_page(client, make):
    order = _delivered_order(client, make)
    login(client, "pembeli@uji.example")
    url = f"/checkout/{order.checkout.access_key}/orders/{order.id}/received"
    first = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Terima kasih! Pesanan selesai." in first
    again = client.post(url)  # pressed twice, or on her second phone
    assert again.status_code == 302 and again.location.endswith(f"#order-{order.id}")
    page = client.get(again.location).get_data(as_text=True)
    assert "Pesanan ini sudah selesai." in page and "Terima kasih" not in page
    completed = db.session.scalars(
        db.select(OrderEvent).where(OrderEvent.order_id == order.id, OrderEvent.to_status == "completed")
    ).all()
    assert len(completed) == 1
