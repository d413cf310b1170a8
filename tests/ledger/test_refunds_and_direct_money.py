"""Money given back and money paid straight to a group: a cancelled paid order takes its money back from
pending, with its fee; a refund after completion and a payout makes available go below zero and the next
sale makes it up; a transfer to the group's own account is counted as direct, never available."""

from __future__ import annotations

from app.extensions import db
from app.groups.models import Membership
from app.ledger import book
from app.ledger.models import PostingKind
from app.orders import money
from app.orders.models import Order
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import login, token

from .helpers import deliver_and_confirm, ledger_ok

CHAIR = "ketua.smd@uji.example"


def _buy_and_pay(client, make, admin, auth, product, quantity=2) -> Order:
    """One group's checkout, by transfer to the platform's account (the group has none), confirmed by an admin."""
    made = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, quantity)]))
    assert made.status_code == 201, made.json
    login(client, admin.email)
    assert client.post(f"/transfers/{made.json['id']}/confirm").status_code == 302
    client.post("/logout")
    return db.session.get(Order, made.json["orders"][0]["id"])


def _balance(client, group) -> dict:
    return client.get(f"/api/v1/groups/{group.slug}/balance", headers=token(client, CHAIR)).json


def test_a_refund_after_completion_and_a_payout_goes_below_zero_and_the_next_sale_makes_it_up(app, client, make):
    samarinda, _bengkulu, amplang, _keripik = two_groups(make)
    admin = make.admin()
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    first = _buy_and_pay(client, make, admin, auth, amplang)
    deliver_and_confirm(client, auth, first.id, CHAIR)
    assert _balance(client, samarinda)["available_idr"] == first.total_idr
    # the group's available money is paid out (as the payouts will post it: available -> in transit to its bank)
    book.post(
        "payout:uji:1",
        PostingKind.PAYOUT,
        [(f"group:{samarinda.id}:available", -first.total_idr), ("transit:payouts", first.total_idr)],
        source="transfer:uji",
        payout_id=1,
    )
    db.session.commit()
    # a complaint upheld after the buyer confirmed: the admin gives the money back
    money.refund_completed(admin, first.id, "Barang rusak, foto dari pembeli")
    db.session.expire_all()
    assert first.status == "completed"  # a finished order moves no more: its history says why
    assert first.events[-1].note == "refund: Barang rusak, foto dari pembeli"
    assert _balance(client, samarinda) == {
        "pending_idr": 0,
        "available_idr": -first.total_idr,
        "paid_out_idr": first.total_idr,
        "direct_idr": 0,
        "fees_idr": 0,
    }
    login(client, CHAIR)
    page = client.get(f"/groups/{samarinda.slug}/money").get_data(as_text=True)
    assert "penjualan berikutnya menutupnya dulu" in page
    client.post("/logout")
    second = _buy_and_pay(client, make, admin, auth, amplang, quantity=5)
    assert _balance(client, samarinda)["pending_idr"] == second.total_idr
    deliver_and_confirm(client, auth, second.id, CHAIR)
    assert _balance(client, samarinda)["available_idr"] == second.total_idr - first.total_idr
    ledger_ok(app)


def test_a_cancelled_paid_order_takes_its_money_and_its_fee_back_from_pending(app, client, make):
    app.config.update(PLATFORM_FEE_PERCENT="10")
    samarinda, _bengkulu, amplang, _keripik = two_groups(make)
    admin = make.admin()
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    order = _buy_and_pay(client, make, admin, auth, amplang)
    assert order.fee_idr == order.goods_idr // 10 and order.net_idr == order.total_idr - order.fee_idr
    assert _balance(client, samarinda)["pending_idr"] == order.net_idr
    cancelled = client.post(
        f"/api/v1/orders/{order.id}/status",
        headers=token(client, CHAIR),
        json={"status": "cancelled", "reason": "Stok rusak kena banjir"},
    )
    assert cancelled.status_code == 200, cancelled.json
    assert _balance(client, samarinda) == {
        "pending_idr": 0,
        "available_idr": 0,
        "paid_out_idr": 0,
        "direct_idr": 0,
        "fees_idr": 0,
    }
    assert book.balance("platform:fees") == 0 and book.balance("clearing:bank") == 0
    kinds = [
        i["kind"]
        for i in client.get(f"/api/v1/groups/{samarinda.slug}/ledger", headers=token(client, CHAIR)).json["items"]
    ]
    assert kinds == ["fee", "refund", "fee", "sale"]  # newest first: the fee given back, the refund, the fee, the sale
    ledger_ok(app)


def test_a_transfer_to_the_groups_own_account_is_direct_money_never_available(app, client, make):
    samarinda, _bengkulu, amplang, _keripik = two_groups(make)
    samarinda.payout_bank, samarinda.payout_account_number, samarinda.payout_account_name = "BRI", "0123456789", "Mawar"
    db.session.commit()
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    made = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 3)]))
    assert made.json["payment"]["bank"]["account_number"] == "0123456789"
    login(client, CHAIR)  # the group sees the money in its own account and confirms it
    assert client.post(f"/transfers/{made.json['id']}/confirm").status_code == 302
    client.post("/logout")
    total = made.json["total_idr"]
    order = client.get("/api/v1/orders", headers=auth).json["items"][0]
    assert (order["fee_idr"], order["net_idr"]) == (0, total)
    assert _balance(client, samarinda) == {
        "pending_idr": 0,
        "available_idr": 0,
        "paid_out_idr": 0,
        "direct_idr": total,
        "fees_idr": 0,
    }
    deliver_and_confirm(client, auth, order["id"], CHAIR)
    assert _balance(client, samarinda)["available_idr"] == 0  # never paid out a second time
    [item] = client.get(f"/api/v1/groups/{samarinda.slug}/ledger", headers=token(client, CHAIR)).json["items"]
    assert (item["kind"], item["amount_idr"], item["order_id"]) == ("direct", total, order["id"])
    ledger_ok(app)


def test_only_the_chair_the_treasurer_and_admins_see_the_groups_money(app, client, make):
    samarinda, _bengkulu, amplang, _keripik = two_groups(make)
    member = make.user("anggota@uji.example")
    db.session.add(Membership(group_id=samarinda.id, user_id=member.id, role="member"))
    treasurer = make.user("bendahara@uji.example")
    db.session.add(Membership(group_id=samarinda.id, user_id=treasurer.id, role="treasurer"))
    make.user("orang.lain@uji.example")
    admin = make.admin()
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    for _ in range(3):
        _buy_and_pay(client, make, admin, auth, amplang, quantity=1)
    for path in ("balance", "ledger"):
        url = f"/api/v1/groups/{samarinda.slug}/{path}"
        assert client.get(url, headers=token(client, "orang.lain@uji.example")).status_code == 404
        assert client.get(url, headers=token(client, "anggota@uji.example")).status_code == 403
        assert client.get(url, headers=token(client, admin.email)).status_code == 200
        assert client.get(url, headers=token(client, "bendahara@uji.example")).status_code == 200
        assert client.get(url).status_code == 401
    # the ledger, newest first, a page at a time
    chair = token(client, CHAIR)
    first = client.get(f"/api/v1/groups/{samarinda.slug}/ledger?limit=2", headers=chair).json
    rest = client.get(
        f"/api/v1/groups/{samarinda.slug}/ledger?limit=2&cursor={first['next_cursor']}", headers=chair
    ).json
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert len(ids) == 3 and ids == sorted(ids, reverse=True) and rest["next_cursor"] is None
    assert {(i["kind"], i["state"]) for i in first["items"] + rest["items"]} == {("sale", "pending")}
    # the page: the chair sees it, a member is refused, an outsider finds nothing
    login(client, "anggota@uji.example")
    assert client.get(f"/groups/{samarinda.slug}/money").status_code == 403
    assert "Uang kelompok" not in client.get(f"/groups/{samarinda.slug}/manage").get_data(as_text=True)
    client.post("/logout")
    login(client, "orang.lain@uji.example")
    assert client.get(f"/groups/{samarinda.slug}/money").status_code == 404
    client.post("/logout")
    login(client, CHAIR)
    assert "Uang kelompok" in client.get(f"/groups/{samarinda.slug}/manage").get_data(as_text=True)
    page = client.get(f"/groups/{samarinda.slug}/money")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script" not in html
    for words in (
        "Menunggu pesanan diterima pembeli",
        "Bisa dicairkan",
        "Sudah dikirim ke rekening",
        "Diterima langsung",
    ):
        assert words in html
    assert html.count('id="order-') == 3
