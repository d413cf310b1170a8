"""The daily reconciliation: what Stripe, Midtrans and the platform's bank say, compared with the ledger;
each difference waits for an admin on /admin/ledger, who explains it with a note."""

from __future__ import annotations

from app.catalog.models import Product
from app.core.timefmt import today_wib
from app.extensions import db
from app.ledger import postings
from app.ledger.recon_models import Difference
from app.orders.models import Checkout
from app.payments import cards
from app.payments import stripe_gateway as gateway
from app.payments.models import Payment
from tests.support.buying import card_id, checkout_body, wait_for
from tests.support.factories import login

from .helpers import ledger_ok, place

NOTIFY = "/api/v1/payments/midtrans/notification"


def _reconcile(app) -> str:
    result = app.test_cli_runner().invoke(args=["ledger", "reconcile"])
    assert result.exit_code in (0, 1), result.output
    return result.output


def _open() -> dict[str, Difference]:
    db.session.expire_all()
    return {d.reference: d for d in db.session.scalars(db.select(Difference).where(Difference.status == "open"))}


def _made_up_posting(group, provider: str, source: str, amount: int) -> None:
    """A sale the ledger has that no provider ever saw (as a bug or a forged call would post it)."""
    postings.order_paid(
        group_id=group.id,
        order_id=900_000 + amount,
        total_idr=amount,
        fee_idr=0,
        provider_cost_idr=0,
        provider=provider,
        source=source,
        number="PU000000-900000",
    )
    db.session.commit()


def test_a_settled_card_payment_matches_and_both_kinds_of_missing_money_are_reported(
    stripe_app, client, make, localstripe
):
    body, _auth, samarinda, _bengkulu = place(client, make, "stripe")
    cards.pay_by_card(db.session.get(Checkout, body["id"]), card_id(localstripe))
    assert wait_for(lambda: db.session.get(Checkout, body["id"]).status == "paid"), "no webhook arrived"
    intent = db.session.scalars(db.select(Payment)).one().provider_ref
    # Stripe took Rp 55.000 that never reached the app (its webhook lost, no checkout)
    stray = gateway.create_intent(55_000, "lost-webhook", card_id(localstripe))
    # and the ledger has a card sale Stripe never heard of
    _made_up_posting(samarinda, "stripe", "stripe:pi_nobodyknows", 12_000)

    output = _reconcile(stripe_app)
    assert "stripe:" in output
    found = _open()
    assert f"stripe:{intent}" not in found  # the paid checkout matches: Rp total on both sides
    assert (found[f"stripe:{stray.id}"].kind, found[f"stripe:{stray.id}"].provider_idr) == ("missing_in_ledger", 55_000)
    unknown = found["stripe:pi_nobodyknows"]
    assert (unknown.kind, unknown.ledger_idr) == ("unknown_to_provider", 12_000)

    # the admin sees both with what to do, and explains one
    admin = make.admin()
    login(client, admin.email)
    page = client.get("/admin/ledger").get_data(as_text=True)
    assert "pi_nobodyknows" in page and stray.id in page
    assert "Periksa di dasbor Stripe" in page and 'id="check-ok"' in page
    answer = client.post(f"/admin/ledger/differences/{unknown.id}/explain", data={"note": "uji coba pengembang"})
    assert answer.status_code == 302
    assert "pi_nobodyknows" not in _open()
    # the next day's run finds it again and leaves it explained; the other stays open
    _reconcile(stripe_app)
    found = _open()
    assert "stripe:pi_nobodyknows" not in found and f"stripe:{stray.id}" in found
    assert db.session.scalar(db.select(Difference.note).where(Difference.reference == "stripe:pi_nobodyknows")) == (
        "uji coba pengembang"
    )
    ledger_ok(stripe_app)


def test_a_qris_payment_matches_and_one_whose_notification_was_lost_is_reported_until_it_is_posted(
    app, client, make, midtrans
):
    body, auth, samarinda, _bengkulu = place(client, make, "qris")
    order_id = db.session.get(Checkout, body["id"]).access_key
    midtrans.settle_silently(order_id)
    assert client.post(NOTIFY, json=midtrans.notification(order_id)).json["result"] == "paid"
    paid = db.session.scalars(db.select(Payment).where(Payment.checkout_id == body["id"])).one()
    paid_ref = "midtrans:" + (paid.provider_data or {}).get("transaction_id", order_id)
    # a second checkout paid at Midtrans whose notification never arrived
    product = db.session.scalars(db.select(Product).where(Product.group_id == samarinda.id)).first()
    second = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 1)], method="qris")).json
    lost_key = db.session.get(Checkout, second["id"]).access_key
    midtrans.settle_silently(lost_key)
    lost = db.session.scalars(db.select(Payment).where(Payment.checkout_id == second["id"])).one()
    lost_ref = "midtrans:" + (lost.provider_data or {}).get("transaction_id", lost_key)
    _made_up_posting(samarinda, "midtrans", "midtrans:no-such-transaction", 30_000)

    _reconcile(app)
    found = _open()
    assert paid_ref not in found
    assert (found[lost_ref].kind, found[lost_ref].provider_idr) == ("missing_in_ledger", second["total_idr"])
    assert found["midtrans:no-such-transaction"].kind == "unknown_to_provider"
    # the notification arrives after all: the next run closes the difference by itself
    assert client.post(NOTIFY, json=midtrans.notification(lost_key)).json["result"] == "paid"
    _reconcile(app)
    assert lost_ref not in _open()
    assert db.session.scalar(db.select(Difference.status).where(Difference.reference == lost_ref)) == "resolved"


def test_a_bank_statement_line_with_the_transfer_code_matches_and_unknown_money_is_listed(app, client, make):
    body, _auth, _samarinda, _bengkulu = place(client, make, "bank_transfer")
    admin = make.admin()
    login(client, admin.email)
    assert client.post(f"/transfers/{body['id']}/confirm").status_code == 302
    code = db.session.scalars(db.select(Payment).where(Payment.checkout_id == body["id"])).one().transfer_code
    assert code
    total = f"{body['total_idr']:,}".replace(",", ".")
    day = today_wib().isoformat()
    statement = (
        "tanggal,jumlah,keterangan\n"
        f'{day},"{total},00",TRF DARI SITI {code[:3]} {code[3:]}\n'
        f'{day},"77.000,00",SETORAN TUNAI\n'
    ).encode()
    from io import BytesIO

    answer = client.post(
        "/admin/ledger/statement",
        data={"statement": (BytesIO(statement), "mutasi.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    page = client.get("/admin/ledger").get_data(as_text=True)
    assert "2 baris tersimpan" in page
    found = _open()
    assert f"transfer:checkout:{body['id']}" not in found  # matched by its code
    cash = [d for d in found.values() if d.provider == "bank"]
    assert [(d.kind, d.provider_idr) for d in cash] == [("missing_in_ledger", 77_000)]
    assert "SETORAN TUNAI" in page
    # the same statement again adds nothing
    client.post(
        "/admin/ledger/statement",
        data={"statement": (BytesIO(statement), "mutasi.csv")},
        content_type="multipart/form-data",
    )
    assert "2 baris tersimpan" in client.get("/admin/ledger").get_data(as_text=True)
