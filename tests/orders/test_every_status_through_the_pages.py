"""An order of every way to pay, walked through every status on the pages: at each status the group's orders
page offers exactly the moves of `next_statuses` (the one table), and the buyer's page offers "Pesanan sudah
saya terima" exactly when the buyer may complete it (to a guest too, who presses it through her checkout's link). Each payment arrives as it does in real use: a transfer
confirmed by the group, a card through localstripe's signed webhook, QRIS through the Midtrans fake's signed
notification, an invoice on terms, cash at the stand on the event's day."""

from __future__ import annotations

import re

import pytest

from app.core.timefmt import today_wib
from app.extensions import db
from app.groups import roles
from app.orders.models import Checkout, Order
from app.orders.status import next_statuses
from app.payments import cards
from tests.events.test_events import _accepted, _reserved_at_the_stand
from tests.support.buying import card_id, checkout_body, two_groups, wait_for
from tests.support.factories import login, token
from tests.support.wholesale import verified_hotel

METHODS = ["bank_transfer", "stripe", "qris", "invoice", "at_stand"]


def _one_group_order(client, make, method: str):
    samarinda, _b, amplang, _k = two_groups(make)
    if method == "invoice":
        _staff, auth, _org = verified_hotel(client, make)
        buyer_email = "pembelian@hotel.example"
    else:
        make.user("pembeli@uji.example")
        auth, buyer_email = token(client, "pembeli@uji.example"), "pembeli@uji.example"
    if method == "bank_transfer":  # straight to the group's own account: the group confirms it
        from app.groups.services import update_payout

        update_payout(make.chair_of(samarinda), samarinda.slug, "BRI", "0123456789", "UPPKS Mawar")
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)], method))
    assert placed.status_code == 201, placed.json
    return samarinda, db.session.get(Order, placed.json["orders"][0]["id"]), buyer_email


def _paid(request, app, client, make, method: str):
    """The order as its way of paying brings it to the group: paid, or invoiced on terms."""
    if method == "at_stand":
        _officer, event, group, amplang, chair_page = _accepted(app, make)
        checkout = _reserved_at_the_stand(client, event, group, amplang)
        event.starts_on = today_wib()  # the bazaar's first day: the stand takes the money
        db.session.commit()
        assert chair_page.post(f"/checkouts/{checkout.id}/paid-at-stand").status_code == 302
        return group, checkout.orders[0], None
    if method == "stripe":
        request.getfixturevalue("stripe_app")
    if method == "qris":
        midtrans = request.getfixturevalue("midtrans")
    group, order, buyer_email = _one_group_order(client, make, method)
    checkout = order.checkout
    if method == "bank_transfer":
        chair = app.test_client()
        login(chair, make.chair_of(group).email)
        assert chair.post(f"/transfers/{checkout.id}/confirm").status_code == 302
    elif method == "stripe":
        cards.pay_by_card(checkout, card_id(request.getfixturevalue("localstripe")))
        assert wait_for(lambda: db.session.get(Checkout, checkout.id).status == "paid"), "no webhook arrived"
    elif method == "qris":
        midtrans.settle_silently(checkout.access_key)  # the buyer pays in her bank app; Midtrans notifies
        answer = client.post("/api/v1/payments/midtrans/notification", json=midtrans.notification(checkout.access_key))
        assert answer.json["result"] == "paid"
    return group, order, buyer_email


def _offered(html: str, order_id: int) -> set[str]:
    """The moves the group's orders page offers for one order (each button posts its `to`)."""
    block = next(b for b in html.split('<div class="order-block">') if f'id="order-{order_id}"' in b)
    moves = set(re.findall(r'name="to" value="([a-z_]+)"', block))
    if f'action="/orders/{order_id}/shipments"' in block:  # a courier's order is shipped with its waybill
        moves.add("shipped")
    return moves


@pytest.mark.parametrize("method", METHODS)
def test_every_way_to_pay_walks_every_status_with_exactly_the_buttons_the_table_allows(
    request, app, client, make, method
):
    group, order, buyer_email = _paid(request, app, client, make, method)
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == ("invoiced" if method == "invoice" else "paid")
    chair = make.chair_of(group)
    group_page = app.test_client()
    login(group_page, chair.email)
    buyer_page = app.test_client()
    if buyer_email:
        login(buyer_page, buyer_email)
    seen = [order.status]
    while True:
        db.session.expire_all()
        order = db.session.get(Order, order.id)
        allowed = set(next_statuses(order, "group", roles.standing(chair, group.id)))
        html = group_page.get(f"/groups/{group.slug}/orders").get_data(as_text=True)
        assert _offered(html, order.id) == allowed, (order.status, allowed)
        mine = buyer_page.get(f"/checkout/{order.checkout.access_key}").get_data(as_text=True)
        buyer_may = "completed" in next_statuses(order, "buyer")
        assert ("Pesanan sudah saya terima" in mine) == buyer_may, order.status
        forward = [s for s in next_statuses(order, "group") if s != "cancelled"]
        if forward:
            if forward[0] == "shipped" and order.shipping_method == "courier":  # the waybill from the counter
                sent = {"courier": "jne", "service": "reg", "waybill": "JNE0012345", "action": "waybill"}
                assert group_page.post(f"/orders/{order.id}/shipments", data=sent).status_code == 302
            else:
                extra = {"tracking_number": "JNE0012345"} if forward[0] == "shipped" else {}
                assert group_page.post(f"/orders/{order.id}/move", data={"to": forward[0], **extra}).status_code == 302
        elif buyer_may:  # signed in, or a guest (cash at the stand) through her checkout's link
            received = buyer_page.post(f"/checkout/{order.checkout.access_key}/orders/{order.id}/received")
            assert received.status_code == 302
        else:
            break
        db.session.expire_all()
        seen.append(db.session.get(Order, order.id).status)
    assert seen[-1] == "completed"
    assert seen[1:4] == ["processing", "shipped", "delivered"]
