"""Invoices on terms: no money moves until an invoice is paid; paid to the platform (an admin marks it) the
group's money is pending until the order is completed (available at once if it was completed first); paid
to the group's own account (the group marks it) it is direct."""

from __future__ import annotations

from app.extensions import db
from app.wholesale.models import Invoice
from tests.support.buying import checkout_body
from tests.support.factories import token
from tests.support.wholesale import amplang_groups, verified_hotel

from .helpers import balance, deliver_and_confirm, ledger_ok


def test_invoices_paid_to_the_platform_or_to_the_group(app, client, make):
    a, b, pa, pb = amplang_groups(make)
    _staff, auth, _org = verified_hotel(client, make)
    made = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(pa.id, 10), (pb.id, 10)], "invoice"))
    assert made.status_code == 201, made.json
    orders = {o["group"]["slug"]: o for o in made.json["orders"]}
    invoices = {i.order.group_id: i for i in db.session.scalars(db.select(Invoice))}
    # group A ships and the hotel confirms before paying: nothing to release yet
    deliver_and_confirm(client, auth, orders[a.slug]["id"], "ketua.a@uji.example")
    assert balance(client, a, "ketua.a@uji.example")["available_idr"] == 0
    # the hotel pays the platform's account for A's invoice (an admin marks it): available at once, it is completed
    admin = make.admin()
    assert (
        client.post(f"/api/v1/invoices/{invoices[a.id].id}/paid", headers=token(client, admin.email)).status_code == 200
    )
    assert balance(client, a, "ketua.a@uji.example")["available_idr"] == orders[a.slug]["total_idr"]
    # B's invoice is paid into group B's own account: direct money, never paid out
    assert (
        client.post(
            f"/api/v1/invoices/{invoices[b.id].id}/paid", headers=token(client, "ketua.b@uji.example")
        ).status_code
        == 200
    )
    assert balance(client, b, "ketua.b@uji.example") == {
        "pending_idr": 0,
        "available_idr": 0,
        "paid_out_idr": 0,
        "direct_idr": orders[b.slug]["total_idr"],
        "fees_idr": 0,
    }
    ledger_ok(app)
