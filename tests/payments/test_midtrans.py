"""Paying by QRIS, virtual account and e-wallet through Midtrans, against tests/fakes/midtrans_server.py,
which answers as Midtrans's documented API does; the official client (midtransclient) makes the calls."""

import hashlib
import re
from datetime import timedelta

import pytest

from app.core.types import utcnow
from app.extensions import db
from app.orders.models import Checkout
from app.payments import midtrans_gateway
from app.payments.models import MidtransNotification, Payment
from tests.support.buying import checkout_body, stock_of, two_groups
from tests.support.factories import login, token
from tests.support.outside import MIDTRANS_SERVER_KEY as SERVER_KEY  # the `midtrans` fixture's

NOTIFY = "/api/v1/payments/midtrans/notification"


def _buyer(client, make):
    make.user("pembeli@uji.example")
    return token(client, "pembeli@uji.example")


def _charge_body(midtrans):
    return next(r["body"] for r in midtrans.requests if r["path"] == "/v2/charge")


def test_the_documented_signature_formula():
    body = {"order_id": "CK-0001", "status_code": "200", "gross_amount": "154000.00"}
    expected = hashlib.sha512(("CK-0001" + "200" + "154000.00" + SERVER_KEY).encode()).hexdigest()
    from flask import Flask

    app = Flask(__name__)
    app.config["MIDTRANS_SERVER_KEY"] = SERVER_KEY
    with app.app_context():
        assert midtrans_gateway.signature_ok(dict(body, signature_key=expected))
        assert not midtrans_gateway.signature_ok(dict(body, gross_amount="1.00", signature_key=expected))
        assert not midtrans_gateway.signature_ok(dict(body, signature_key=expected.upper()[:-1] + "0"))
        assert not midtrans_gateway.signature_ok(dict(body))


def test_a_two_group_cart_is_paid_by_qris_only_through_the_signed_confirmed_notification(app, client, make, midtrans):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    headers = _buyer(client, make)
    made = client.post(
        "/api/v1/checkouts", headers=headers, json=checkout_body([(amplang.id, 3), (keripik.id, 2)], "qris")
    )
    assert made.status_code == 201, made.json
    total = made.json["total_idr"]
    assert made.json["payment"]["method"] == "qris" and made.json["payment"]["midtrans"]["qr_string"].startswith(
        "000201"
    )
    # what Midtrans was asked: the server key, whole rupiah, items (lines and each group's shipping) adding up
    charge = _charge_body(midtrans)
    assert all(r["auth_ok"] for r in midtrans.requests)
    assert charge["payment_type"] == "qris" and charge["transaction_details"]["gross_amount"] == total
    assert sum(i["price"] * i["quantity"] for i in charge["item_details"]) == total
    assert any(i["name"].startswith("Ongkos kirim") for i in charge["item_details"])
    assert charge["custom_expiry"] == {"expiry_duration": 24 * 60, "unit": "minute"}
    checkout = db.session.get(Checkout, made.json["id"])
    order_id = checkout.access_key
    assert charge["transaction_details"]["order_id"] == order_id
    mail = app.extensions["mail_outbox"][-1].get_content()
    assert "Cara bayar: QRIS, referensi" in mail
    # a forged notification changes nothing
    forged = midtrans.notification(order_id, "settlement", sign_with="not-the-key")
    assert client.post(NOTIFY, json=forged).status_code == 400
    # a notification that says "settlement" while Midtrans's status says pending: the status call wins
    early = client.post(NOTIFY, json=midtrans.notification(order_id, "settlement"))
    assert early.status_code == 200 and early.json["result"] == "none"
    db.session.expire_all()
    assert checkout.status == "pending_payment"
    # the buyer pays in their bank app; Midtrans notifies; the status call confirms
    midtrans.settle_silently(order_id)
    paid = client.post(NOTIFY, json=midtrans.notification(order_id))
    assert paid.json["result"] == "paid"
    db.session.expire_all()
    assert checkout.status == "paid" and [o.status for o in checkout.orders] == ["paid", "paid"]
    assert any(r["method"] == "GET" and r["path"] == f"/v2/{order_id}/status" for r in midtrans.requests)
    # at least once and unordered: the same again, and a late "pending", change nothing
    assert client.post(NOTIFY, json=midtrans.notification(order_id)).json["result"] == "duplicate"
    late = client.post(NOTIFY, json=midtrans.notification(order_id, "pending"))
    assert late.json["result"] == "none"
    db.session.expire_all()
    assert checkout.status == "paid"
    kept = {
        (n.transaction_status, n.confirmed_status, n.effect)
        for n in db.session.scalars(db.select(MidtransNotification))
    }
    assert kept == {("settlement", "settlement", "paid"), ("pending", "settlement", "none")}
    paid_mail = app.extensions["mail_outbox"]
    assert any("Dibayar dengan: QRIS, referensi" in m.get_content() for m in paid_mail)


def test_virtual_accounts_and_e_wallets_say_how_to_pay(app, client, make, midtrans):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    headers = _buyer(client, make)
    seen = {}
    for method in ("va_bca", "va_bni", "va_bri", "va_permata", "va_mandiri", "gopay", "shopeepay"):
        made = client.post("/api/v1/checkouts", headers=headers, json=checkout_body([(amplang.id, 1)], method))
        assert made.status_code == 201, (method, made.json)
        seen[method] = made.json["payment"]["midtrans"]
    assert seen["va_bca"]["bank"] == "bca" and re.fullmatch(r"\d{11}", seen["va_bca"]["va_number"])
    assert seen["va_permata"]["bank"] == "permata" and seen["va_permata"]["va_number"]
    assert seen["va_mandiri"]["biller_code"] == "70012" and seen["va_mandiri"]["bill_key"]
    assert seen["gopay"]["deeplink_redirect"] and seen["shopeepay"]["deeplink_redirect"]
    # the page a guest sees: the number and the steps, no script
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "2"})
    page = app.test_client()
    page.post("/cart/add", data={"product_id": amplang.id, "quantity": "2"})
    form = {
        "name": "Budi",
        "ship_phone": "081234500000",
        "street": "Jl. Pahlawan 5",
        "district": "Samarinda Ulu",
        "regency": "64.72",
        "postal_code": "75123",
        "email": "tamu@uji.example",
        "phone": "081299990000",
    }
    quoted = page.post("/checkout", data=dict(form, action="quote")).get_data(as_text=True)
    assert 'value="va_bca"' in quoted and 'value="qris"' in quoted
    shown = re.search(r'name="shown_total" value="(\d+)"', quoted).group(1)
    placed = page.post("/checkout", data=dict(form, action="place", payment_method="va_bca", shown_total=shown))
    assert placed.status_code == 302, placed.get_data(as_text=True)
    html = page.get(placed.headers["Location"]).get_data(as_text=True)
    number = db.session.scalars(db.select(Payment).order_by(Payment.id.desc())).first().provider_data["va_number"]
    assert f'<strong id="va-number">{number}</strong>' in html and "Virtual account BCA, nomor " + number in html
    assert "<script" not in html


def test_midtrans_methods_are_offered_only_when_configured(app, client, make):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    headers = _buyer(client, make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    assert 'value="qris"' not in client.get("/checkout").get_data(as_text=True)
    refused = client.post("/api/v1/checkouts", headers=headers, json=checkout_body([(amplang.id, 1)], "qris"))
    assert refused.status_code == 422 and "payment_method" in refused.json["errors"]
    assert stock_of(amplang) == 50
    assert (
        client.post(
            NOTIFY,
            json={
                "order_id": "x",
                "status_code": "200",
                "gross_amount": "1.00",
                "signature_key": hashlib.sha512(b"x2001.00").hexdigest(),
            },
        ).status_code
        == 400
    )


def test_expiry_follows_the_deadline_and_reconcile_finds_lost_notifications(app, client, make, midtrans):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    headers = _buyer(client, make)
    first = client.post("/api/v1/checkouts", headers=headers, json=checkout_body([(amplang.id, 5)], "qris")).json
    second = client.post("/api/v1/checkouts", headers=headers, json=checkout_body([(amplang.id, 4)], "gopay")).json
    assert stock_of(amplang) == 41
    a, b = db.session.get(Checkout, first["id"]), db.session.get(Checkout, second["id"])
    midtrans.settle_silently(b.access_key)  # paid, but the notification was lost
    a.expires_at = b.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["orders", "expire"])
    assert result.exit_code == 0 and "expired 1, found paid 1" in result.output
    db.session.expire_all()
    assert (a.status, b.status) == ("expired", "paid") and stock_of(amplang) == 46  # a's 5 came back
    assert midtrans.transactions[a.access_key]["transaction_status"] == "expire"  # told Midtrans too
    # a third, paid while nobody listened, found by reconcile
    third = client.post("/api/v1/checkouts", headers=headers, json=checkout_body([(keripik.id, 2)], "va_bni")).json
    c = db.session.get(Checkout, third["id"])
    midtrans.settle_silently(c.access_key)
    out = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert out.exit_code == 0 and "paid 1" in out.output
    db.session.expire_all()
    assert c.status == "paid"


def test_a_notification_that_cannot_be_confirmed_is_not_kept(app, client, make, midtrans):
    from app.payments import midtrans as service
    from app.payments.providers import GatewayError

    samarinda, bengkulu, amplang, keripik = two_groups(make)
    made = client.post(
        "/api/v1/checkouts", headers=_buyer(client, make), json=checkout_body([(amplang.id, 1)], "qris")
    ).json
    order_id = db.session.get(Checkout, made["id"]).access_key
    midtrans.settle_silently(order_id)
    body = midtrans.notification(order_id)
    app.config["MIDTRANS_API_URL"] = "http://127.0.0.1:9"  # Midtrans unreachable for the status call
    with pytest.raises(GatewayError):
        service.handle_notification(body)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(MidtransNotification.id))) == 0
    app.config["MIDTRANS_API_URL"] = midtrans.url  # Midtrans sends it again later
    assert client.post(NOTIFY, json=body).json["result"] == "paid"


def test_refunds_through_midtrans_or_by_hand(app, client, make, midtrans):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    headers = _buyer(client, make)
    group_page = app.test_client()
    login(group_page, "ketua.smd@uji.example")
    results = {}
    for method in ("qris", "va_bri"):
        made = client.post("/api/v1/checkouts", headers=headers, json=checkout_body([(amplang.id, 2)], method)).json
        checkout = db.session.get(Checkout, made["id"])
        midtrans.settle_silently(checkout.access_key)
        assert client.post(NOTIFY, json=midtrans.notification(checkout.access_key)).json["result"] == "paid"
        order = checkout.orders[0]
        cancelled = group_page.post(f"/orders/{order.id}/move", data={"to": "cancelled", "reason": "stok rusak"})
        assert cancelled.status_code == 302
        db.session.expire_all()
        results[method] = (order.status, [e.note for e in order.events])
    assert results["qris"][0] == "refunded"
    assert midtrans.refunds == [
        {"order_id": midtrans.refunds[0]["order_id"], "amount": 60000, "refund_key": midtrans.refunds[0]["refund_key"]}
    ]
    assert results["va_bri"][0] == "cancelled" and "refund to be made by hand (virtual account)" in results["va_bri"][1]
