"""What a lender's statement and an officer's numbers count as sales, and who saw the money: the
platform (card, a transfer to its account), the group alone (a transfer to its own account that it
confirmed), or nobody (what the group declares in its sales book). A group buying from itself is no sale;
a made-up price or a declared month far above the group's history waits for an officer."""

import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from app.core.timefmt import today_wib
from app.extensions import db
from app.orders.models import Checkout, Order
from app.sales.models import OfflineSale
from app.sales.statements import _add_months
from tests.support.buying import ADDRESS, card_id, checkout_body, two_groups, wait_for
from tests.support.factories import login, token

LAST_MONTH = _add_months(today_wib().replace(day=1), -1)


def _as_last_month():
    """The orders placed in this test, as if placed on the 10th of last month (statements count whole
    months before this one)."""
    for order in db.session.scalars(db.select(Order)):
        order.created_at = datetime(LAST_MONTH.year, LAST_MONTH.month, 10, tzinfo=UTC)
    db.session.commit()


def _own_account(make, group):
    from app.groups import services as groups

    groups.update_payout(make.chair_of(group), group.slug, "Bank Kaltimtara", "00123456789", group.name)


def _statement(client, group, chair_email):
    made = client.post(
        f"/api/v1/groups/{group.slug}/statements", headers=token(client, chair_email), json={"months": 3}
    )
    assert made.status_code == 201, made.json
    return made.json


def _pdf_text(chair, group, code, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("poppler-utils are needed (the README's test command installs them)")
    path = tmp_path / f"{code}.pdf"
    path.write_bytes(chair.get(f"/groups/{group.slug}/statements/{code}.pdf").data)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def _stats(client, make):
    officer = make.user(f"petugas{next(_n)}@uji.example", role="officer", province="64")
    return client.get("/api/v1/stats?province=64", headers=token(client, officer.email)).json


_n = iter(range(1, 1000))


def test_a_chair_buying_from_her_own_group_at_a_made_up_price_is_no_sale(app, client, make, tmp_path):
    samarinda, _b, amplang, _k = two_groups(make)
    _own_account(make, samarinda)
    chair_auth = token(client, "ketua.smd@uji.example")
    # the price of a house for a pack of amplang, and a million of them in stock
    changed = client.patch(
        f"/api/v1/products/{amplang.id}",
        headers=chair_auth,
        json={"price_idr": 1_000_000_000, "stock": 1_000_000, "price_tiers": []},
    )
    assert changed.status_code == 200 and changed.json["price_idr"] == 1_000_000_000
    # she buys 100 from her own group with her own account, by transfer to the group's own account
    placed = client.post("/api/v1/checkouts", headers=chair_auth, json=checkout_body([(amplang.id, 100)]))
    assert placed.status_code == 201 and placed.json["orders"][0]["goods_idr"] == 100_000_000_000
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    assert chair.post(f"/transfers/{placed.json['id']}/confirm").status_code == 302  # no proof needed
    assert db.session.get(Checkout, placed.json["id"]).status == "paid"
    _as_last_month()
    # and declares one entry of 20 × Rp1.000.000.000 in the sales book
    declared = client.post(
        f"/api/v1/groups/{samarinda.slug}/offline-sales",
        headers=chair_auth,
        json={
            "sold_on": LAST_MONTH.replace(day=12).isoformat(),
            "place": "Pasar Segiri",
            "lines": [{"product_id": amplang.id, "quantity": 1, "amount_idr": 1_000_000_000}] * 20,
        },
    )
    assert declared.status_code == 201  # kept in the group's book ...
    assert declared.json["review"]["status"] == "open"  # ... waiting for an officer

    made = _statement(client, samarinda, "ketua.smd@uji.example")
    s = made["snapshot"]
    assert (s["platform_idr"], s["seen_idr"], s["group_received_idr"], s["offline_idr"]) == (0, 0, 0, 0)
    assert s["platform_orders"] == 0 and s["buyers"] == 0
    assert s["held_idr"] == 20_000_000_000  # the declared entry, marked, counted nowhere
    assert made["vouched_idr"] == 0 and made["version"] == 2
    assert client.get(f"/api/v1/statements/{made['code']}").json["snapshot"]["platform_idr"] == 0
    # the page a lender opens
    page = app.test_client().get(f"/s/{made['code']}").get_data(as_text=True)
    assert "Asli dan berlaku" in page and "Rp100.000.000.000" not in page
    seen_total = page.split('id="seen-total">')[1].split("<")[0]
    assert seen_total == "Rp0"
    assert "menunggu pemeriksaan petugas" in page.split('id="held">')[1].split("</p>")[0]
    # the PDF
    text = _pdf_text(chair, samarinda, made["code"], tmp_path)
    assert "Rp100.000.000.000" not in text and "Jumlah / Total Rp0 Rp0 Rp0 Rp0" in text
    assert (
        "Menunggu pemeriksaan petugas, tidak dihitung / Waiting for an officer, not counted: Rp20.000.000.000" in text
    )
    # the group's own pages
    statements_page = chair.get(f"/groups/{samarinda.slug}/statements").get_data(as_text=True)
    assert "Rp100.000.000.000" not in statements_page and "Dilihat Pasar UPPKS: Rp0" in statements_page
    book = client.get(
        f"/api/v1/groups/{samarinda.slug}/offline-sales?month={LAST_MONTH:%Y-%m}", headers=chair_auth
    ).json
    assert (book["platform_idr"], book["platform_orders"], book["offline_idr"]) == (0, 0, 0)
    # the province officer's numbers
    stats = _stats(client, make)
    assert (stats["sales_idr"], stats["orders"], stats["offline_sales_idr"]) == (0, 0, 0)
    assert stats["held_offline_sales_idr"] == 20_000_000_000 and stats["figures_to_check"] == 2  # the price, the entry


def test_an_honest_card_sale_is_money_the_platform_saw(stripe_app, client, make, localstripe):
    samarinda, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    body = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 4)], method="stripe")).json
    from app.payments import cards as payments

    payments.pay_by_card(db.session.get(Checkout, body["id"]), card_id(localstripe))
    assert wait_for(lambda: db.session.get(Checkout, body["id"]).status == "paid"), "no webhook arrived"
    _as_last_month()
    made = _statement(client, samarinda, "ketua.smd@uji.example")
    s = made["snapshot"]
    assert (s["seen_idr"], s["seen_orders"], s["group_received_idr"], s["platform_idr"]) == (100000, 1, 0, 100000)
    assert made["vouched_idr"] == 100000
    page = stripe_app.test_client().get(f"/s/{made['code']}").get_data(as_text=True)
    assert page.split('id="seen-total">')[1].split("<")[0] == "Rp100.000"
    stats = _stats(client, make)
    assert (stats["sales_idr"], stats["sales_seen_idr"], stats["sales_group_received_idr"]) == (100000, 100000, 0)


def test_each_kind_of_money_in_its_own_place(app, client, make, tmp_path):
    """A transfer to the group's own account that the group confirmed is its word; a transfer to the
    platform's account confirmed by an admin is money the platform saw; the sales book is declared; an
    account nobody proved and a member's guest checkout count nowhere."""
    from app.orders import checkout as orders

    samarinda, _b, amplang, _k = two_groups(make)
    buyer = make.user("pembeli@uji.example")
    auth = token(client, buyer.email)
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    # to the platform's account (the group had none yet): only an admin confirms it
    to_platform = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)])).json
    admin = app.test_client()
    login(admin, make.admin().email)
    assert admin.post(f"/transfers/{to_platform['id']}/confirm").status_code == 302
    # to the group's own account, confirmed by the chair
    _own_account(make, samarinda)
    to_group = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 4)])).json
    assert chair.post(f"/transfers/{to_group['id']}/confirm").status_code == 302
    # an account made through the API, its address never proven
    made = client.post(
        "/api/v1/accounts", json={"email": "siapa@uji.example", "password": "kopi-susu-gula-aren", "name": "Siapa"}
    )
    assert made.status_code == 201
    unproven = client.post(
        "/api/v1/checkouts",
        headers=token(client, "siapa@uji.example", "kopi-susu-gula-aren"),
        json=checkout_body([(amplang.id, 3)]),
    ).json
    assert chair.post(f"/transfers/{unproven['id']}/confirm").status_code == 302
    # a member checking out as a guest with her own address
    member = make.user("anggota.smd@uji.example")
    from app.groups.services import add_member

    add_member(make.chair_of(samarinda), samarinda.slug, member.email)
    guest = orders.place_checkout(
        None,
        orders.CheckoutRequest(
            items=[(amplang.id, 5)],
            shipping_address=dict(ADDRESS),
            payment_method="bank_transfer",
            email=member.email,
            phone="081299990000",
        ),
    )
    assert chair.post(f"/transfers/{guest.id}/confirm").status_code == 302
    # a stranger checking out as a guest: counts, as what the group says it received
    stranger = orders.place_checkout(
        None,
        orders.CheckoutRequest(
            items=[(amplang.id, 1)],
            shipping_address=dict(ADDRESS),
            payment_method="bank_transfer",
            email="tamu@uji.example",
            phone="081299991111",
        ),
    )
    assert chair.post(f"/transfers/{stranger.id}/confirm").status_code == 302
    _as_last_month()
    db.session.add(
        OfflineSale(
            group_id=samarinda.id,
            sold_on=LAST_MONTH.replace(day=12),
            place="Pasar Segiri",
            total_idr=150000,
            reduce_stock=False,
        )
    )
    db.session.commit()

    s = _statement(client, samarinda, "ketua.smd@uji.example")["snapshot"]
    assert (s["seen_idr"], s["seen_orders"]) == (50000, 1)  # the transfer to the platform's account
    assert (s["group_received_idr"], s["group_received_orders"]) == (125000, 2)  # the buyer's and the stranger's
    assert s["offline_idr"] == 150000 and s["platform_idr"] == 175000 and s["buyers"] == 2
    page = app.test_client().get(f"/s/{s['code']}").get_data(as_text=True)
    for marker, value in (
        ("seen-total", "Rp50.000"),
        ("group-received-total", "Rp125.000"),
        ("offline-total", "Rp150.000"),
    ):
        assert page.split(f'id="{marker}">')[1].split("<")[0] == value, marker
    text = _pdf_text(chair, samarinda, s["code"], tmp_path)
    assert "Jumlah / Total Rp50.000 Rp125.000 Rp0 Rp150.000" in text
    stats = _stats(client, make)
    assert (stats["sales_idr"], stats["sales_seen_idr"], stats["sales_group_received_idr"]) == (175000, 50000, 125000)
    assert stats["offline_sales_idr"] == 150000 and stats["orders"] == 3
    # once the account's address is proven (the link e-mailed to it), its purchase counts
    from tests.support.factories import last_link

    assert client.get(last_link(app, "/register/confirm/")).status_code == 302
    assert _stats(client, make)["sales_group_received_idr"] == 125000 + 75000


def test_a_price_far_above_its_category_waits_for_an_officer(app, client, make):
    from app.catalog.models import PriceFlag

    samarinda, _b, amplang, _k = two_groups(make)
    elsewhere = make.group(make.user("ketua.lain@uji.example"), name="UPPKS Lain", regency="64.71")
    for price in (20000, 25000, 30000):
        make.product(elsewhere, name=f"Amplang {price}", price_idr=price)
    chair_auth = token(client, "ketua.smd@uji.example")
    # twenty times the median elsewhere is allowed without a check (and nothing below Rp2.000.000 is checked)
    assert (
        client.patch(f"/api/v1/products/{amplang.id}", headers=chair_auth, json={"price_idr": 500_000}).status_code
        == 200
    )
    assert db.session.scalar(db.select(db.func.count(PriceFlag.id))) == 0
    answer = client.patch(f"/api/v1/products/{amplang.id}", headers=chair_auth, json={"price_idr": 5_000_000})
    assert answer.status_code == 200  # not refused: the product stays on sale
    flag = db.session.scalars(db.select(PriceFlag)).one()
    assert (flag.status, flag.price_idr, flag.threshold_idr, flag.median_idr) == ("open", 5_000_000, 2_000_000, 25000)
    # a buyer pays it to the platform's account
    make.user("pembeli@uji.example")
    placed = client.post(
        "/api/v1/checkouts", headers=token(client, "pembeli@uji.example"), json=checkout_body([(amplang.id, 1)])
    ).json
    admin = app.test_client()
    login(admin, make.admin().email)
    admin.post(f"/transfers/{placed['id']}/confirm")
    _as_last_month()
    s = _statement(client, samarinda, "ketua.smd@uji.example")["snapshot"]
    assert (s["seen_idr"], s["platform_idr"], s["held_idr"], s["held_orders"]) == (0, 0, 5_000_000, 1)
    assert _stats(client, make)["held_sales_idr"] == 5_000_000
    # the officer of another province cannot decide; Kalimantan Timur's sees it and accepts it
    bali = app.test_client()
    login(bali, make.user("bali@uji.example", role="officer", province="51").email)
    assert "Amplang Pipih" not in bali.get("/officer/queue").get_data(as_text=True)
    assert bali.post(f"/officer/prices/{flag.id}/decide", data={"decision": "accepted"}).status_code == 403
    officer = app.test_client()
    login(officer, make.user("kaltim@uji.example", role="officer", province="64").email)
    queue = officer.get("/officer/queue").get_data(as_text=True)
    assert f'id="price-flag-{flag.id}"' in queue and "Rp5.000.000" in queue
    assert "1 angka perlu diperiksa" in officer.get("/officer").get_data(as_text=True)
    officer.post(f"/officer/prices/{flag.id}/decide", data={"decision": "rejected"})  # a refusal needs a reason
    db.session.expire_all()
    assert db.session.get(PriceFlag, flag.id).status == "open"
    officer.post(f"/officer/prices/{flag.id}/decide", data={"decision": "accepted"})
    db.session.expire_all()
    assert db.session.get(PriceFlag, flag.id).status == "accepted"
    s = _statement(client, samarinda, "ketua.smd@uji.example")["snapshot"]
    assert (s["seen_idr"], s["held_idr"]) == (5_000_000, 0)
    # a higher price later is a new question
    client.patch(f"/api/v1/products/{amplang.id}", headers=chair_auth, json={"price_idr": 9_000_000})
    assert db.session.scalar(db.select(db.func.count(PriceFlag.id)).where(PriceFlag.status == "open")) == 1


def test_a_declared_month_far_above_the_groups_history_waits_for_an_officer(app, client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    chair_auth = token(client, "ketua.smd@uji.example")

    def declare(amount, quantity=300):
        return client.post(
            f"/api/v1/groups/{samarinda.slug}/offline-sales",
            headers=chair_auth,
            json={
                "sold_on": LAST_MONTH.replace(day=12).isoformat(),
                "place": "Hotel Mesra",
                "reduce_stock": False,  # made to order, not out of the online stock
                "lines": [{"product_id": amplang.id, "quantity": quantity, "amount_idr": amount}],
            },
        )

    honest = declare(9_000_000)  # 300 packs to a hotel: a group without history may declare that, unchecked
    assert honest.status_code == 201 and honest.json["review"] is None
    big = declare(50_000_000, quantity=2000)
    assert big.status_code == 201 and big.json["review"] == {"status": "open", "limit_idr": 20_000_000, "reason": None}
    month = client.get(
        f"/api/v1/groups/{samarinda.slug}/offline-sales?month={LAST_MONTH:%Y-%m}", headers=chair_auth
    ).json
    assert (month["offline_idr"], month["held_idr"]) == (9_000_000, 50_000_000)
    s = _statement(client, samarinda, "ketua.smd@uji.example")["snapshot"]
    assert (s["offline_idr"], s["held_idr"], s["held_entries"]) == (9_000_000, 50_000_000, 1)
    officer = app.test_client()
    login(officer, make.user("kaltim@uji.example", role="officer", province="64").email)
    assert f'id="offline-flag-{big.json["id"]}"' in officer.get("/officer/queue").get_data(as_text=True)
    officer.post(
        f"/officer/offline-sales/{big.json['id']}/decide",
        data={"decision": "rejected", "reason": "Tidak ada nota dari pembeli"},
    )
    assert db.session.get(OfflineSale, big.json["id"]).review_status == "rejected"
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    book = chair.get(f"/groups/{samarinda.slug}/sales?month={LAST_MONTH:%Y-%m}").get_data(as_text=True)
    assert "ditolak petugas" in book
    stats = _stats(client, make)
    assert (stats["offline_sales_idr"], stats["held_offline_sales_idr"], stats["figures_to_check"]) == (
        9_000_000,
        50_000_000,
        0,
    )
    # with an accepted big month behind it, the group may declare up to ten times that unchecked
    officer.post(f"/officer/offline-sales/{declare(30_000_000).json['id']}/decide", data={"decision": "accepted"})
    from app.sales.services import review_limit

    # ten times the 30 million an officer accepted last month (entries nobody checked build no history)
    assert review_limit(samarinda, today_wib()) == 300_000_000


def test_purchases_by_the_group_make_no_partner_and_no_search_points(app, client, make, backend):
    from app.catalog import search
    from app.groups.services import add_member
    from app.orders import status as orders
    from app.wholesale import organisations as wholesale
    from tests.support.wholesale import amplang_groups, verified_hotel

    a, _b, pa, _pb = amplang_groups(make)
    staff, auth, org_id = verified_hotel(client, make)
    add_member(make.chair_of(a), a.slug, staff.email)  # the hotel's buyer is a member of the group
    chair = make.chair_of(a)
    for _ in range(2):
        oid = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(pa.id, 20)], method="invoice")).json[
            "orders"
        ][0]["id"]
        for to, extra in (("processing", {}), ("shipped", {"tracking_number": "J1"}), ("delivered", {})):
            orders.move_by_group(chair, oid, to, **extra)
        client.post(f"/api/v1/orders/{oid}/status", headers=auth, json={"status": "completed"})
    assert wholesale.partners_of_group(a) == []
    stats = _stats(client, make)
    assert (stats["partnerships"], stats["orders"], stats["sales_invoiced_idr"]) == (0, 0, 0)
    if backend == "postgresql":  # the stored quality score is PostgreSQL's
        search.refresh_all_scores()
        score = db.session.scalar(db.text("SELECT score FROM product_fts WHERE product_id = :id"), {"id": pa.id})
        assert score == 0  # no photo, permit or review, and nothing for the 40 packs its own member bought
