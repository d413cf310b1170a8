from datetime import timedelta

import pytest

from app.core.timefmt import today_wib
from app.extensions import db
from app.orders.models import Checkout, Order
from app.wholesale.models import Invoice, Organisation, QuoteRequest
from tests.support import ARTIFACTS
from tests.support.buying import ADDRESS, checkout_body, stock_of
from tests.support.factories import invitation_path, login, token
from tests.support.wholesale import HOTEL, amplang_groups, soon, verified_hotel


def problem(r, status):
    assert r.status_code == status, r.get_data(as_text=True)
    assert r.mimetype == "application/problem+json"
    return r.json


def test_organisation_registration_npwp_staff_and_verification(app, client, make):
    make.user("pembelian@hotel.example")
    make.user("staf2@hotel.example")
    auth = token(client, "pembelian@hotel.example")
    bad = problem(
        client.post("/api/v1/organisations", headers=auth, json=dict(HOTEL, npwp="12345", regency="99.99")), 422
    )
    assert {"npwp", "regency"} <= set(bad["errors"])
    assert (
        "type"
        in problem(client.post("/api/v1/organisations", headers=auth, json=dict(HOTEL, type="castle")), 422)["errors"]
    )
    created = client.post("/api/v1/organisations", headers=auth, json=HOTEL)
    assert (
        created.status_code == 201 and created.json["status"] == "pending" and created.json["npwp"] == "012345678901000"
    )
    org_id = created.json["id"]
    problem(client.post("/api/v1/organisations", headers=auth, json=HOTEL), 409)  # one organisation per user
    staff = client.post(f"/api/v1/organisations/{org_id}/staff", headers=auth, json={"email": "staf2@hotel.example"})
    assert staff.status_code == 202 and staff.json["email"] == "staf2@hotel.example"  # invited, whoever it is
    assert client.get("/api/v1/me", headers=token(client, "staf2@hotel.example")).json["organisation"] is None
    colleague = app.test_client()
    login(colleague, "staf2@hotel.example")
    colleague.post(invitation_path(app), data={})
    assert client.get("/api/v1/me", headers=token(client, "staf2@hotel.example")).json["organisation"]["id"] == org_id
    # until verified: no invoice, no quotes
    problem(
        client.post(
            "/api/v1/quotes",
            headers=auth,
            json={
                "category": "amplang",
                "description": "Amplang",
                "quantity": 300,
                "needed_by": soon(),
                "delivery_regency": "64.72",
            },
        ),
        403,
    )
    # an officer of another province cannot verify it; one of Kalimantan Timur can
    make.user("petugas.bali@uji.example", role="officer", province="51")
    make.user("petugas.kaltim@uji.example", role="officer", province="64")
    problem(
        client.post(
            f"/api/v1/organisations/{org_id}/verify",
            headers=token(client, "petugas.bali@uji.example"),
            json={"payment_terms_days": 30},
        ),
        403,
    )
    problem(client.post(f"/api/v1/organisations/{org_id}/verify", headers=auth, json={"payment_terms_days": 30}), 403)
    ok = client.post(
        f"/api/v1/organisations/{org_id}/verify",
        headers=token(client, "petugas.kaltim@uji.example"),
        json={"payment_terms_days": 30},
    )
    assert ok.status_code == 200 and (ok.json["status"], ok.json["payment_terms_days"]) == ("verified", 30)


def test_only_a_verified_buyer_with_terms_pays_by_invoice(client, make):
    group = make.group()
    product = make.product(group, stock=100)
    make.user("konsumen@uji.example")
    problem(
        client.post(
            "/api/v1/checkouts",
            headers=token(client, "konsumen@uji.example"),
            json=checkout_body([(product.id, 2)], method="invoice"),
        ),
        403,
    )
    _staff, auth, org_id = verified_hotel(client, make, terms=0)
    problem(
        client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 2)], method="invoice")), 403
    )
    db.session.get(Organisation, org_id).payment_terms_days = 14
    db.session.commit()
    r = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 2)], method="invoice"))
    assert r.status_code == 201, r.json
    assert r.json["status"] == "invoiced" and r.json["orders"][0]["status"] == "invoiced"
    invoice = db.session.scalars(db.select(Invoice)).one()
    assert (
        invoice.due_on == invoice.issued_on + timedelta(days=14)
        and invoice.amount_idr == r.json["orders"][0]["total_idr"]
    )
    # overdue: no new terms until it is paid
    invoice.due_on = today_wib() - timedelta(days=1)
    db.session.commit()
    blocked = problem(
        client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 1)], method="invoice")), 403
    )
    assert "lewat jatuh tempo" in blocked["detail"]
    group_auth = token(client, make.chair_of(group).email)
    paid = client.post(f"/api/v1/invoices/{invoice.id}/paid", headers=group_auth)
    assert paid.status_code == 200 and paid.json["status"] == "paid"
    assert (
        client.post(
            "/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 1)], method="invoice")
        ).status_code
        == 201
    )


def test_pooled_supply_for_a_hotel(client, make):
    a, b, pa, pb = amplang_groups(make)
    other = make.group(make.user("ketua.bali@uji.example"), name="UPPKS Bali", regency="51.05")
    make.product(other, name="Amplang Bali", stock=500)  # amplang too, but far from the hotel: not asked
    _staff, auth, org_id = verified_hotel(client, make)
    q = client.post(
        "/api/v1/quotes",
        headers=auth,
        json={
            "category": "amplang",
            "description": "Amplang untuk kamar tamu",
            "quantity": 300,
            "needed_by": soon(),
            "delivery_regency": "64.72",
        },
    )
    assert q.status_code == 201 and q.json["groups_asked"] == 2
    quote_id = q.json["id"]
    auth_a, auth_b = token(client, "ketua.a@uji.example"), token(client, "ketua.b@uji.example")
    auth_bali = token(client, "ketua.bali@uji.example")
    problem(client.get(f"/api/v1/quotes/{quote_id}", headers=auth_bali), 404)  # a group sees only quotes it was asked
    offer_a = client.post(
        f"/api/v1/quotes/{quote_id}/offers",
        headers=auth_a,
        json={"unit_price_idr": 21000, "quantity": 200, "lead_time_days": 5, "valid_until": soon(7)},
    )
    assert offer_a.status_code == 201, offer_a.json
    offer_b = client.post(
        f"/api/v1/quotes/{quote_id}/offers",
        headers=auth_b,
        json={"unit_price_idr": 20500, "quantity": 150, "lead_time_days": 3, "valid_until": soon(7)},
    )
    assert offer_b.status_code == 201, offer_b.json
    problem(
        client.post(
            f"/api/v1/quotes/{quote_id}/offers",
            headers=auth_b,
            json={"unit_price_idr": 1000, "quantity": 1, "lead_time_days": 1, "valid_until": soon(7)},
        ),
        409,
    )
    seen_by_b = client.get(f"/api/v1/quotes/{quote_id}", headers=auth_b).json["offers"]
    assert [o["id"] for o in seen_by_b] == [offer_b.json["id"]]  # a group sees only its own offer
    assert len(client.get(f"/api/v1/quotes/{quote_id}", headers=auth).json["offers"]) == 2
    # each offer states its shipping to the hotel's kabupaten/kota and its total before acceptance
    assert offer_a.json["shipping_idr"] > 0 and offer_a.json["total_idr"] == 200 * 21000 + offer_a.json["shipping_idr"]
    # one offer alone, for less than asked: its group's order at once, the rest stays open
    first = client.post(f"/api/v1/quotes/{quote_id}/offers/{offer_a.json['id']}/accept", headers=auth, json={})
    assert first.status_code == 201, first.json
    assert [o["group"]["slug"] for o in first.json["orders"]] == [a.slug]
    assert first.json["total_idr"] == offer_a.json["total_idr"]  # the order costs what the offer said
    state = client.get(f"/api/v1/quotes/{quote_id}", headers=auth).json
    assert (state["status"], state["accepted_quantity"], state["uncovered_quantity"]) == ("open", 200, 100)
    again = problem(
        client.post(f"/api/v1/quotes/{quote_id}/offers/{offer_a.json['id']}/accept", headers=auth, json={}), 409
    )
    assert "sudah diterima" in again["detail"]
    second = client.post(f"/api/v1/quotes/{quote_id}/offers/{offer_b.json['id']}/accept", headers=auth, json={})
    assert second.status_code == 201, second.json
    state = client.get(f"/api/v1/quotes/{quote_id}", headers=auth).json
    assert (state["status"], state["uncovered_quantity"]) == ("accepted", 0)  # covered
    orders = first.json["orders"] + second.json["orders"]
    assert {(o["lines"][0]["quantity"], o["lines"][0]["unit_price_idr"]) for o in orders} == {
        (200, 21000),
        (150, 20500),
    }
    assert first.json["status"] == second.json["status"] == "invoiced"
    for answer in (first, second):
        checkout = db.session.get(Checkout, answer.json["id"])
        assert checkout.purchase_number == db.session.get(QuoteRequest, quote_id).purchase_number
    assert (stock_of(pa), stock_of(pb)) == (50, 50)
    # both groups see their orders; each invoice opens as a PDF
    for group, group_auth in ((a, auth_a), (b, auth_b)):
        listed = client.get(f"/api/v1/groups/{group.slug}/orders", headers=group_auth).json["items"]
        assert len(listed) == 1 and listed[0]["status"] == "invoiced"
    numbers = sorted(i.number for i in db.session.scalars(db.select(Invoice)))
    assert len(numbers) == 2 and numbers[0].endswith("000001") and numbers[1].endswith("000002")
    inv = db.session.scalars(db.select(Invoice)).first()
    pdf = client.get(f"/api/v1/invoices/{inv.id}/pdf", headers=auth)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    problem(client.get(f"/api/v1/invoices/{inv.id}", headers=auth_bali), 404)


def test_expired_offers_and_gone_stock_create_nothing(client, make):
    a, b, pa, pb = amplang_groups(make)
    _staff, auth, _org = verified_hotel(client, make)
    quote_id = client.post(
        "/api/v1/quotes",
        headers=auth,
        json={
            "product_id": pa.id,
            "description": "Amplang",
            "quantity": 100,
            "needed_by": soon(),
            "delivery_regency": "64.72",
        },
    ).json["id"]
    auth_a = token(client, "ketua.a@uji.example")
    offer = client.post(
        f"/api/v1/quotes/{quote_id}/offers",
        headers=auth_a,
        json={"unit_price_idr": 22000, "quantity": 100, "lead_time_days": 2, "valid_until": soon(3)},
    ).json
    from app.wholesale.models import Offer

    row = db.session.get(Offer, offer["id"])
    row.valid_until = today_wib() - timedelta(days=1)
    db.session.commit()
    expired = problem(client.post(f"/api/v1/quotes/{quote_id}/offers/{offer['id']}/accept", headers=auth, json={}), 409)
    assert "tidak berlaku" in expired["detail"]
    row.valid_until = today_wib() + timedelta(days=3)
    pa.stock = 20
    db.session.commit()
    gone = problem(client.post(f"/api/v1/quotes/{quote_id}/offers/{offer['id']}/accept", headers=auth, json={}), 409)
    assert "Amplang Pipih: stok tinggal 20." in str(gone["errors"])
    db.session.expire_all()
    assert db.session.get(QuoteRequest, quote_id).status == "open"
    assert db.session.scalar(db.select(db.func.count(Order.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Invoice.id))) == 0
    assert stock_of(pa) == 20


def test_staff_see_only_their_organisations_things(app, client, make):
    a, _b, pa, _pb = amplang_groups(make)
    _staff, auth, _org = verified_hotel(client, make)
    order_id = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(pa.id, 2)], method="invoice")).json[
        "orders"
    ][0]["id"]
    make.user("staf2@hotel.example")
    assert (
        client.post(
            f"/api/v1/organisations/{_org}/staff", headers=auth, json={"email": "staf2@hotel.example"}
        ).status_code
        == 202
    )
    colleague = app.test_client()
    login(colleague, "staf2@hotel.example")
    colleague.post(invitation_path(app))
    assert client.get(f"/api/v1/orders/{order_id}", headers=token(client, "staf2@hotel.example")).status_code == 200
    make.user("lain@super.example")
    other = token(client, "lain@super.example")
    client.post("/api/v1/organisations", headers=other, json=dict(HOTEL, name="Supermarket Lain", type="supermarket"))
    problem(client.get(f"/api/v1/orders/{order_id}", headers=other), 404)
    assert client.get("/api/v1/orders", headers=other).json["items"] == []
    inv = db.session.scalars(db.select(Invoice)).one()
    problem(client.get(f"/api/v1/invoices/{inv.id}", headers=other), 404)
    problem(
        client.post(f"/api/v1/invoices/{inv.id}/paid", headers=auth), 404
    )  # the buyer cannot mark its own invoice paid


def test_partners_after_two_completed_orders(app, client, make):
    from app.orders import status as orders

    a, _b, pa, _pb = amplang_groups(make)
    _staff, auth, org_id = verified_hotel(client, make)
    chair = make.chair_of(a)
    for _ in range(2):
        body = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(pa.id, 1)], method="invoice")).json
        oid = body["orders"][0]["id"]
        for to, extra in (("processing", {}), ("shipped", {"tracking_number": "J1"}), ("delivered", {})):
            orders.move_by_group(chair, oid, to, **extra)
        client.post(f"/api/v1/orders/{oid}/status", headers=auth, json={"status": "completed"})
    from app.wholesale import organisations as services

    assert [o.id for o in services.partners_of_group(a)] == [org_id]
    assert "Hotel Mesra Samarinda" in client.get(f"/g/{a.slug}").get_data(as_text=True)
    login(client, "pembelian@hotel.example")
    assert "UPPKS Mawar" in client.get("/business").get_data(as_text=True)


def test_repeat_an_order_at_todays_prices(client, make):
    a, _b, pa, _pb = amplang_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    oid = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(pa.id, 5)])).json["orders"][0]["id"]
    pa.price_idr, pa.stock = 27000, 3
    db.session.commit()
    login(client, "pembeli@uji.example")
    page = client.post(f"/orders/{oid}/repeat", follow_redirects=True).get_data(as_text=True)
    assert "stok tinggal 3" in page and "Rp25.000 menjadi Rp27.000" in page
    assert "Rp81.000" in page  # 3 × 27.000 in the cart


@pytest.mark.postgresql_only
def test_invoice_numbers_never_repeat_or_skip_under_concurrency(backend, app, make, migrated, tmp_path):
    import threading

    from app import create_app
    from app.orders import checkout as orders

    group = make.group()
    # one product for each buyer: no shared stock row whose lock would line the checkouts up
    product_ids = [make.product(group, name=f"Amplang {i}", stock=10).id for i in range(16)]
    staff = make.user("pembelian@hotel.example")
    from app.wholesale import organisations as services

    org = services.register_org(staff, HOTEL)
    services.verify_org(make.admin(), org.id, 30)
    staff_id = staff.id
    worker_app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": migrated,
            "MEDIA_ROOT": str(tmp_path),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 0},
        }
    )
    start = threading.Barrier(16)
    errors = []

    def buy(product_id):
        with worker_app.app_context():
            from app.accounts.models import User

            user = db.session.get(User, staff_id)
            req = orders.CheckoutRequest(items=[(product_id, 1)], shipping_address=ADDRESS, payment_method="invoice")
            start.wait(timeout=30)
            try:
                orders.place_checkout(user, req)
            except Exception as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=buy, args=(pid,)) for pid in product_ids]
    [t.start() for t in threads]
    [t.join(timeout=60) for t in threads]
    with worker_app.app_context():
        db.engine.dispose()
    assert errors == []
    sequences = sorted(db.session.scalars(db.select(Invoice.sequence)))
    assert sequences == list(range(1, 17))


def test_offers_say_where_the_goods_come_from_and_quotes_close(app, client, make):
    a, b, pa, pb = amplang_groups(make)  # 250 and 200 packs in stock
    _staff, auth, _org = verified_hotel(client, make)
    quote_id = client.post(
        "/api/v1/quotes",
        headers=auth,
        json={
            "category": "amplang",
            "description": "Amplang untuk kamar tamu",
            "quantity": 600,
            "needed_by": soon(30),
            "delivery_regency": "64.72",
        },
    ).json["id"]
    auth_a, auth_b = token(client, "ketua.a@uji.example"), token(client, "ketua.b@uji.example")
    offer = {"unit_price_idr": 21000, "quantity": 300, "lead_time_days": 2, "valid_until": soon(7)}
    too_many = problem(client.post(f"/api/v1/quotes/{quote_id}/offers", headers=auth_a, json=offer), 422)
    assert "Stok Amplang Pipih tinggal 250" in too_many["errors"]["quantity"][0]  # never promise what is not there
    no_time = problem(
        client.post(
            f"/api/v1/quotes/{quote_id}/offers", headers=auth_a, json=dict(offer, from_stock=False, lead_time_days=0)
        ),
        422,
    )
    assert "lead_time_days" in no_time["errors"]
    made = client.post(
        f"/api/v1/quotes/{quote_id}/offers", headers=auth_a, json=dict(offer, from_stock=False, lead_time_days=10)
    )
    assert made.status_code == 201 and made.json["from_stock"] is False
    client.post(
        f"/api/v1/quotes/{quote_id}/offers",
        headers=auth_b,
        json={"unit_price_idr": 20500, "quantity": 100, "lead_time_days": 2, "valid_until": soon(7)},
    )
    accepted = client.post(f"/api/v1/quotes/{quote_id}/offers/{made.json['id']}/accept", headers=auth, json={})
    assert accepted.status_code == 201
    assert stock_of(pa) == 250  # made to order: the stock on the shelf is not drawn
    told_a = [m for m in app.extensions.get("mail_outbox", []) if m["Subject"].startswith("Penawaran Anda")]
    assert len(told_a) == 1 and "ketua.a@uji.example" in told_a[0]["To"]  # the accepted group is told
    invoice = db.session.scalars(db.select(Invoice)).one()
    assert invoice.amount_idr == made.json["total_idr"]  # the invoice equals what was accepted
    # the hotel closes the rest: UPPKS Melati's open offer is declined and its members told
    outbox = app.extensions.setdefault("mail_outbox", [])
    before = len(outbox)
    closed = client.post(f"/api/v1/quotes/{quote_id}/close", headers=auth)
    assert closed.status_code == 200 and closed.json["status"] == "closed" and closed.json["uncovered_quantity"] == 300
    assert {o["status"] for o in closed.json["offers"]} == {"accepted", "declined"}
    told = [m for m in outbox[before:] if "tidak dipilih" in m["Subject"]]
    assert len(told) == 1 and "ketua.b@uji.example" in told[0]["To"]
    problem(client.post(f"/api/v1/quotes/{quote_id}/close", headers=auth), 409)
    problem(client.post(f"/api/v1/quotes/{quote_id}/close", headers=auth_a), 404)  # only the buyer closes it


def test_the_invoice_lays_out_long_fields_without_overlap(app, client, make, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.fail("poppler-utils (pdftotext, pdftoppm) are needed: the README's test command installs them")
    long_group = "UPPKS Mawar Sungai Kapih Sejahtera Bersama Kelurahan Sungai Kapih Sambutan"
    group = make.group(
        make.user("ketua.panjang@uji.example"),
        name=long_group,
        regency="64.72",
        district="Sambutan",
        village="Sungai Kapih",
    )
    from app.groups.services import update_payout

    update_payout(
        make.chair_of(group),
        group.slug,
        "Bank Pembangunan Daerah Kalimantan Timur dan Utara",
        "0012345678901234",
        "Kelompok UPPKS Mawar Sungai Kapih Sejahtera Bersama",
    )
    long_product = "Amplang Ikan Belida Istimewa Rasa Original Kemasan Toples Besar Untuk Hotel Dan Restoran"
    product = make.product(group, name=long_product, stock=500, price_idr=32500)
    _staff, auth, _org = verified_hotel(client, make)
    answer = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 120)], method="invoice"))
    assert answer.status_code == 201, answer.json
    invoice = db.session.scalars(db.select(Invoice)).one()
    pdf = client.get(f"/api/v1/invoices/{invoice.id}/pdf", headers=auth)
    path = tmp_path / "invoice.pdf"
    path.write_bytes(pdf.data)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout.split()
    )
    for value in (
        invoice.number,
        "Sungai Kapih Sejahtera",
        "Bank Pembangunan Daerah",
        "0012345678901234",
        "Rasa Original",
        "Kemasan Toples Besar",
        "Restoran",
        "Hotel Mesra Samarinda",
        "Rp3.900.000",
        "Ongkos kirim",
        "TOTAL",
    ):
        assert value in text, text
    # nothing drawn over anything: the seller's long name and address end above the table's first rule, and
    # the bank account (how to pay) comes after the totals
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True).stdout
    import re as _re

    words = [
        (float(m.group(2)), float(m.group(4)), m.group(5))
        for m in _re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', boxes
        )
    ]
    seller_bottom = max(bottom for top, bottom, w in words if w == "Sambutan")
    header_top = min(top for top, bottom, w in words if w == "Barang")
    total_bottom = max(bottom for top, bottom, w in words if w == "TOTAL")
    bank_top = min(top for top, bottom, w in words if w == "0012345678901234")
    assert seller_bottom < header_top and total_bottom < bank_top
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / "invoice-long")], check=True
    )


def test_a_group_prepares_and_ships_a_hotels_invoiced_order_from_its_orders_page(app, make):
    group = make.group()
    product = make.product(group, stock=100)
    hotel_client, group_client = app.test_client(), app.test_client()
    _staff, auth, _org_id = verified_hotel(hotel_client, make, terms=14)
    made = hotel_client.post(
        "/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 10)], method="invoice")
    )
    assert made.status_code == 201 and made.json["orders"][0]["status"] == "invoiced"
    order_id = made.json["orders"][0]["id"]
    login(group_client, make.chair_of(group).email)
    page = group_client.get(f"/groups/{group.slug}/orders").get_data(as_text=True)
    assert "Siapkan pesanan" in page and f'action="/orders/{order_id}/move"' in page  # the invoiced order can move
    steps = [("processing", {}), ("shipped", {"tracking_number": "JNE-0012345"}), ("delivered", {})]
    for to, extra in steps:
        moved = group_client.post(f"/orders/{order_id}/move", data={"to": to, **extra})
        assert moved.status_code == 302
        db.session.expire_all()
        assert db.session.get(Order, order_id).status == to
    assert db.session.get(Order, order_id).tracking_number == "JNE-0012345"
    page = group_client.get(f"/groups/{group.slug}/orders?status=invoiced")
    assert page.status_code == 200  # every status, invoiced too, can be picked in the filter


def test_a_hotel_with_no_saved_outlet_accepts_an_offer_without_a_body_and_it_goes_where_its_last_order_went(
    client, make
):
    from app.wholesale import organisations as services

    a, _b, amplang, _m = amplang_groups(make)
    staff = make.user("pembelian@hotel.example", name="Bu Rina (Hotel)")
    auth = token(client, "pembelian@hotel.example")
    org_id = client.post("/api/v1/organisations", headers=auth, json=HOTEL).json["id"]
    services.verify_org(make.admin(), org_id, 30)
    ask = {
        "category": "amplang",
        "description": "Amplang",
        "quantity": 50,
        "needed_by": soon(),
        "delivery_regency": "64.72",
    }

    def offer_on_a_new_quote() -> tuple[int, int]:
        quote_id = client.post("/api/v1/quotes", headers=auth, json=ask).json["id"]
        offer = client.post(
            f"/api/v1/quotes/{quote_id}/offers",
            headers=token(client, "ketua.a@uji.example"),
            json={"unit_price_idr": 21000, "quantity": 50, "lead_time_days": 5, "valid_until": soon(7)},
        )
        return quote_id, offer.json["id"]

    quote_id, offer_id = offer_on_a_new_quote()
    nowhere = problem(client.post(f"/api/v1/quotes/{quote_id}/offers/{offer_id}/accept", headers=auth), 422)
    assert "alamat pengiriman" in nowhere["detail"]  # no outlet saved and no order yet: it must say where
    bought = client.post(
        "/api/v1/checkouts",
        headers=auth,
        json={
            **checkout_body([(amplang.id, 2)], "invoice"),
            "shipping_address": {**ADDRESS, "street": "Jl. Mulawarman 9"},
        },
    )
    assert bought.status_code == 201, bought.json
    accepted = client.post(f"/api/v1/quotes/{quote_id}/offers/{offer_id}/accept", headers=auth)
    assert accepted.status_code == 201, accepted.json
    checkout = db.session.get(Checkout, accepted.json["id"])
    assert (checkout.ship_street, checkout.ship_regency_code) == ("Jl. Mulawarman 9", "64.72")
    assert staff.id == checkout.user_id


def test_a_hotel_gives_its_own_po_number_and_finds_it_on_the_order_the_invoice_and_the_groups_page(
    client, make, tmp_path
):
    import subprocess

    a, _b, amplang, _m = amplang_groups(make)
    _staff, auth, _org = verified_hotel(client, make)
    too_long = client.post(
        "/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 10)], "invoice", po_number="P" * 41)
    )
    assert problem(too_long, 422)["errors"]["po_number"]
    placed = client.post(
        "/api/v1/checkouts",
        headers=auth,
        json=checkout_body([(amplang.id, 10)], "invoice", po_number="PO/HMS/2026/0117"),
    )
    assert placed.status_code == 201, placed.json
    assert placed.json["po_number"] == "PO/HMS/2026/0117"
    order_id = placed.json["orders"][0]["id"]
    assert client.get(f"/api/v1/orders/{order_id}", headers=auth).json["po_number"] == "PO/HMS/2026/0117"
    invoice = db.session.scalars(db.select(Invoice)).one()
    path = tmp_path / "invoice.pdf"
    path.write_bytes(client.get(f"/api/v1/invoices/{invoice.id}/pdf", headers=auth).data)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "Nomor PO pembeli" in text and "PO/HMS/2026/0117" in text
    login(client, "ketua.a@uji.example")
    assert "Nomor PO pembeli: PO/HMS/2026/0117" in client.get(f"/groups/{a.slug}/orders").get_data(as_text=True)
    # the checkout page asks a business buyer for it, a consumer never
    login(client, "pembelian@hotel.example")
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": 10})
    assert "Nomor PO Anda" in client.get("/checkout").get_data(as_text=True)
    make.user("pembeli@uji.example")
    login(client, "pembeli@uji.example")
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": 1})
    assert "Nomor PO Anda" not in client.get("/checkout").get_data(as_text=True)


def test_a_hotel_takes_part_of_an_offer_down_to_the_least_the_group_allows(client, make):
    a, b, amplang_a, amplang_b = amplang_groups(make)
    _staff, auth, _org = verified_hotel(client, make)
    ask = {
        "category": "amplang",
        "description": "Amplang",
        "quantity": 300,
        "needed_by": soon(),
        "delivery_regency": "64.72",
    }
    quote_id = client.post("/api/v1/quotes", headers=auth, json=ask).json["id"]
    offer = client.post(
        f"/api/v1/quotes/{quote_id}/offers",
        headers=token(client, "ketua.a@uji.example"),
        json={
            "unit_price_idr": 21000,
            "quantity": 200,
            "min_quantity": 100,
            "lead_time_days": 5,
            "valid_until": soon(7),
        },
    ).json
    assert offer["min_quantity"] == 100
    too_few = problem(
        client.post(f"/api/v1/quotes/{quote_id}/offers/{offer['id']}/accept", headers=auth, json={"quantity": 50}), 422
    )
    assert "antara 100 dan 200" in too_few["errors"]["quantity"][0]
    taken = client.post(f"/api/v1/quotes/{quote_id}/offers/{offer['id']}/accept", headers=auth, json={"quantity": 150})
    assert taken.status_code == 201, taken.json
    order = taken.json["orders"][0]
    assert order["lines"][0]["quantity"] == 150 and order["goods_idr"] == 150 * 21000
    assert order["shipping_idr"] == -(-offer["shipping_idr"] * 150 // 200)  # its share of the offer's shipping
    assert stock_of(amplang_a) == 250 - 150
    state = client.get(f"/api/v1/quotes/{quote_id}", headers=auth).json
    assert (state["status"], state["accepted_quantity"], state["uncovered_quantity"]) == ("open", 150, 150)
    assert state["offers"][0]["accepted_quantity"] == 150
    # on the page: the other group's offer, part of it, with the number typed in its box
    second = client.post(
        f"/api/v1/quotes/{quote_id}/offers",
        headers=token(client, "ketua.b@uji.example"),
        json={"unit_price_idr": 20500, "quantity": 150, "lead_time_days": 3, "valid_until": soon(7)},
    ).json
    login(client, "pembelian@hotel.example")
    page = client.get(f"/quotes/{quote_id}").get_data(as_text=True)
    assert f'name="quantity_{second["id"]}" value="150"' in page and "Diambil 150 dari 200" in page
    done = client.post(
        f"/quotes/{quote_id}/accept",
        data={"offer_id": second["id"], f"quantity_{second['id']}": "120"},
        follow_redirects=True,
    )
    assert "1 pesanan dibuat" in done.get_data(as_text=True)
    assert stock_of(amplang_b) == 200 - 120
    state = client.get(f"/api/v1/quotes/{quote_id}", headers=auth).json
    assert (state["accepted_quantity"], state["uncovered_quantity"]) == (270, 30)


def test_ordering_a_negotiated_deal_again_asks_the_same_group_with_the_last_terms_written_in(client, make):
    a, _b, amplang_a, _pb = amplang_groups(make)
    _staff, auth, _org = verified_hotel(client, make)
    ask = {
        "product_id": amplang_a.id,
        "description": "Amplang",
        "quantity": 300,
        "needed_by": soon(),
        "delivery_regency": "64.72",
    }
    quote_id = client.post("/api/v1/quotes", headers=auth, json=ask).json["id"]
    offer = client.post(
        f"/api/v1/quotes/{quote_id}/offers",
        headers=token(client, "ketua.a@uji.example"),
        json={"unit_price_idr": 21000, "quantity": 200, "lead_time_days": 5, "valid_until": soon(7)},
    ).json
    order_id = client.post(f"/api/v1/quotes/{quote_id}/offers/{offer['id']}/accept", headers=auth).json["orders"][0][
        "id"
    ]
    order = db.session.get(Order, order_id)
    order.status = "completed"
    db.session.commit()
    login(client, "pembelian@hotel.example")
    again = client.post(f"/orders/{order_id}/repeat")
    assert again.status_code == 302 and f"repeat={order_id}" in again.headers["Location"]
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert 'value="200"' in page and "harga terakhir Rp21.000" in page  # not the catalogue's price and stock
    assert client.get("/cart").get_data(as_text=True).count("Amplang Pipih") == 0  # nothing put in the cart
    before = db.session.scalar(db.select(db.func.count()).select_from(QuoteRequest))
    sent = client.post(
        "/business/quotes/new",
        data={
            "product_id": amplang_a.id,
            "category": "amplang",
            "description": "Pesan lagi seperti pesanan sebelumnya",
            "quantity": 200,
            "needed_by": soon(),
            "delivery_regency": "64.72",
        },
    )
    assert sent.status_code == 302
    new = db.session.scalars(db.select(QuoteRequest).order_by(QuoteRequest.id.desc())).first()
    assert db.session.scalar(db.select(db.func.count()).select_from(QuoteRequest)) == before + 1
    assert [r.group_id for r in new.recipients] == [a.id] and new.quantity == 200


def _pdf_text(client, url, path) -> str:
    import subprocess

    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf", url
    path.write_bytes(answer.data)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout.split()
    )


def test_a_finance_department_gets_an_invoice_it_can_file_and_the_goods_travel_with_a_delivery_note(
    client, make, tmp_path
):
    import subprocess

    from app.groups.services import update_payout

    a, _b, amplang, _m = amplang_groups(make)
    chair = make.chair_of(a)
    update_payout(chair, a.slug, "BRI", "0012-01-000123-30-1", "UPPKS Mawar")
    a.whatsapp = "+6281234567890"
    db.session.commit()
    login(client, "ketua.a@uji.example")
    bad = client.post(f"/groups/{a.slug}/documents", data={"npwp": "01.234.567.8-901.000", "nib": "12345"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "NIB 13 angka" in page and 'value="01.234.567.8-901.000"' in page  # what was typed stays
    client.post(f"/groups/{a.slug}/documents", data={"npwp": "012345678901000", "nib": "9120001234567"})
    _staff, auth, org_id = verified_hotel(client, make)
    placed = client.post(
        "/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 240)], "invoice", po_number="PO-HMS-88")
    )
    assert placed.status_code == 201, placed.json
    order_id = placed.json["orders"][0]["id"]
    invoice = db.session.scalars(db.select(Invoice)).one()
    login(client, "pembelian@hotel.example")
    text = _pdf_text(client, f"/invoices/{invoice.id}.pdf", tmp_path / "invoice.pdf")
    for value in (
        "Telp/WA +6281234567890",
        "ketua.a@uji.example",
        "NPWP 01.234.567.8-901.000",
        "NIB 9120001234567",
        "NPWP 01.234.567.8-901.000",
        "Terbilang: Enam juta",
        "rupiah",
        "BRI 001201000123301",
        "PO-HMS-88",
        "Hormat kami",
        "bea meterai Rp10.000",  # over Rp5.000.000
        "bukan Pengusaha Kena Pajak",
    ):
        assert value in text, (value, text)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "invoice.pdf"),
            str(ARTIFACTS / "invoice-filed"),
        ],
        check=True,
    )
    # the page says the same, and the order links to it and to the delivery note
    html = client.get(f"/invoices/{invoice.id}").get_data(as_text=True)
    assert "240 " in html and "× Amplang Pipih" in html, html[html.find("<main") :][:3000]
    assert "BRI 001201000123301" in html and "Terbilang" in html
    checkout_page = client.get(f"/checkout/{db.session.get(Order, order_id).checkout.access_key}").get_data(
        as_text=True
    )
    assert f"/orders/{order_id}/invoice" in checkout_page and f"/orders/{order_id}/delivery-note.pdf" in checkout_page
    assert invoice.number in client.get(f"/orders/{order_id}/invoice", follow_redirects=True).get_data(as_text=True)
    note = _pdf_text(client, f"/orders/{order_id}/delivery-note.pdf", tmp_path / "sj.pdf")
    assert "SURAT JALAN" in note and f"240 {amplang.unit}" in note and "Rp" not in note and "Penerima" in note
    assert client.get(f"/orders/{order_id}/acceptance-record.pdf").status_code == 404  # a hotel files none
    # a consumer's order has no business papers; a stranger sees nothing
    make.user("pembeli@uji.example")
    login(client, "pembeli@uji.example")
    assert client.get(f"/orders/{order_id}/delivery-note.pdf").status_code == 404


def test_a_government_office_gets_the_withholding_line_and_an_acceptance_record(client, make, tmp_path):
    a, _b, amplang, _m = amplang_groups(make)
    _staff, auth, org_id = verified_hotel(client, make)
    db.session.get(Organisation, org_id).type = "government"
    db.session.commit()
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 100)], "invoice"))
    order_id = placed.json["orders"][0]["id"]
    invoice = db.session.scalars(db.select(Invoice)).one()
    login(client, "pembelian@hotel.example")
    text = _pdf_text(client, f"/invoices/{invoice.id}.pdf", tmp_path / "invoice.pdf")
    assert "PPh Pasal 22 1,5% dipungut pembeli: Rp37.500" in text  # 1.5 % of the goods' Rp2.500.000
    bast = _pdf_text(client, f"/orders/{order_id}/acceptance-record.pdf", tmp_path / "bast.pdf")
    assert "BERITA ACARA SERAH TERIMA" in bast and "PIHAK KEDUA" in bast and f"100 {amplang.unit}" in bast
    checkout = db.session.get(Order, order_id).checkout
    assert "Berita acara serah terima (PDF)" in client.get(f"/checkout/{checkout.access_key}").get_data(as_text=True)
    login(client, "ketua.a@uji.example")  # the group prints it too, to bring along with the goods
    assert "Berita acara serah terima (PDF)" in client.get(f"/groups/{a.slug}/orders").get_data(as_text=True)
    assert client.get(f"/orders/{order_id}/acceptance-record.pdf").status_code == 200
    # a group with the small-business certificate: the final 0.5 % instead
    a.final_tax_certificate = True
    db.session.commit()
    text = _pdf_text(client, f"/invoices/{invoice.id}.pdf", tmp_path / "invoice2.pdf")
    assert "PPh final 0,5%" in text and "Rp12.500" in text and "Pasal 22" not in text
