"""Buying through the pages, without JavaScript: cart, checkout, bank transfer, the group's side."""

import io
import re

from app.extensions import db
from app.orders.models import Checkout
from app.orders.status import mark_paid, move_by_group
from tests.support.buying import checkout_body, stock_of, two_groups
from tests.support.factories import document, fetch, jpeg, login, token

FORM = {
    "name": "Budi Santoso",
    "ship_phone": "081234500000",
    "street": "Jl. Pahlawan No. 5",
    "village": "Sidodadi",
    "district": "Samarinda Ulu",
    "regency": "64.72",
    "postal_code": "75123",
    "payment_method": "bank_transfer",
}


def shown_total(html: str) -> int:
    return int(re.search(r'name="shown_total" value="(\d+)"', html).group(1))


def test_guest_buys_from_two_groups_by_bank_transfer(app, client, make):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "3"})
    client.post("/cart/add", data={"product_id": keripik.id, "quantity": "2"})
    cart = client.get("/cart").get_data(as_text=True)
    assert "UPPKS Mawar" in cart and "UPPKS Bunga Tanjung" in cart and "Rp109.000" in cart  # 75.000 + 34.000
    page = client.post("/checkout", data=dict(FORM, action="quote")).get_data(as_text=True)
    assert "Rp10.000" in page and "Rp35.000" in page  # each group's shipping shown before paying
    assert shown_total(page) == 154000
    missing = client.post("/checkout", data=dict(FORM, action="place", shown_total=shown_total(page)))
    assert missing.status_code == 422 and "Alamat email tidak valid." in missing.get_data(as_text=True)
    assert 'value="Jl. Pahlawan No. 5"' in missing.get_data(as_text=True)
    placed = client.post(
        "/checkout",
        data=dict(
            FORM,
            action="place",
            email="tamu@uji.example",
            phone="081299990000",
            shown_total=shown_total(missing.get_data(as_text=True)),
        ),
    )
    assert placed.status_code == 302
    checkout = db.session.scalars(db.select(Checkout)).one()
    assert checkout.user_id is None and checkout.email == "tamu@uji.example" and checkout.total_idr == 109000 + 45000
    assert client.get("/cart").get_data(as_text=True).count("Keranjang kosong") == 1
    page = client.get(placed.headers["Location"]).get_data(as_text=True)
    assert "Rp154.000" in page and "Pasar UPPKS (rekening bersama)" in page and "Bayar sebelum" in page
    assert "<script" not in page  # paying by transfer needs no script
    bad = client.post(
        f"/checkout/{checkout.access_key}/proof",
        data={"file": (io.BytesIO(b"not an image"), "x.txt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "bukan gambar" in bad.get_data(as_text=True)
    ok = client.post(
        f"/checkout/{checkout.access_key}/proof",
        data={"file": (io.BytesIO(jpeg()), "bukti.jpg")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert ok.get_data(as_text=True).count("Bukti transfer sudah diterima") == 1  # one message, not two
    # the platform's account: the admin confirms
    admin = make.admin()
    admin_client = app.test_client()
    login(admin_client, admin.email)
    assert checkout.number in admin_client.get("/admin/transfers").get_data(as_text=True)
    group_client = app.test_client()
    login(group_client, "ketua.smd@uji.example")
    assert group_client.post(f"/transfers/{checkout.id}/confirm").status_code == 404  # not the group's account
    assert admin_client.post(f"/transfers/{checkout.id}/confirm").status_code == 302
    db.session.expire_all()
    assert checkout.status == "paid" and {o.status for o in checkout.orders} == {"paid"}
    # the group sees its order, and only its own
    orders_page = group_client.get(f"/groups/{samarinda.slug}/orders").get_data(as_text=True)
    assert "Amplang Pipih" in orders_page and "Keripik Pisang" not in orders_page
    assert group_client.get(f"/groups/{bengkulu.slug}/orders").status_code == 404
    smd_order = next(o for o in checkout.orders if o.group_id == samarinda.id)
    group_client.post(f"/orders/{smd_order.id}/move", data={"to": "processing"})
    refused = group_client.post(f"/orders/{smd_order.id}/move", data={"to": "shipped"}, follow_redirects=True)
    assert "Wajib diisi." in refused.get_data(as_text=True)
    group_client.post(f"/orders/{smd_order.id}/move", data={"to": "shipped", "tracking_number": "JNE0001"})
    buyer_view = client.get(f"/checkout/{checkout.access_key}").get_data(as_text=True)
    assert "JNE0001" in buyer_view and "Dikirim" in buyer_view
    assert stock_of(amplang) == 47 and stock_of(keripik) == 28


def test_group_account_gets_the_transfer_and_the_group_confirms(app, client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    chair.post(
        f"/groups/{samarinda.slug}/payout",
        data={
            "payout_bank": "Bank Kaltimtara",
            "payout_account_number": "0012-3456-789",
            "payout_account_name": "UPPKS Mawar",
        },
    )
    make.user("pembeli@uji.example")
    login(client, "pembeli@uji.example")
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    page = client.post("/checkout", data=dict(FORM, action="quote")).get_data(as_text=True)
    location = client.post("/checkout", data=dict(FORM, action="place", shown_total=shown_total(page))).headers[
        "Location"
    ]
    page = client.get(location).get_data(as_text=True)
    assert "ke rekening Bank Kaltimtara" in page and 'id="transfer-account">00123456789<' in page
    access_key = location.rsplit("/", 1)[-1]
    outbox = app.extensions.setdefault("mail_outbox", [])
    client.post(
        f"/checkout/{access_key}/proof",
        data={"file": (io.BytesIO(jpeg()), "b.jpg")},
        content_type="multipart/form-data",
    )
    checkout = db.session.scalars(db.select(Checkout)).one()
    order = checkout.orders[0]
    assert any("Bukti transfer untuk " + order.number in m["Subject"] for m in outbox)  # the group is told
    orders_page = chair.get(f"/groups/{samarinda.slug}/orders").get_data(as_text=True)
    section = orders_page[orders_page.index(f'id="order-{order.id}"') :]
    assert order.number in section and "Bukti transfer sudah diunggah" in section and "Dana sudah masuk" in section
    assert checkout.number not in orders_page  # the group works with its order numbers (PU…)
    assert document(chair.get(f"/transfers/{checkout.id}/proof"))[0] == 200
    # the money is not there yet: refused with a reason the buyer sees; a new proof asks again
    assert (
        chair.post(f"/transfers/{checkout.id}/refuse", data={"reason": "x"}, follow_redirects=True).status_code == 200
    )
    chair.post(f"/transfers/{checkout.id}/refuse", data={"reason": "Belum ada dana Rp35.000 masuk hari ini."})
    buyer_page = client.get(location).get_data(as_text=True)
    assert "Belum ada dana Rp35.000 masuk hari ini." in buyer_page and "Kirim bukti baru" in buyer_page
    assert "Dana sudah masuk" not in chair.get(f"/groups/{samarinda.slug}/orders").get_data(as_text=True)
    client.post(
        f"/checkout/{access_key}/proof",
        data={"file": (io.BytesIO(jpeg()), "b2.jpg")},
        content_type="multipart/form-data",
    )
    assert "Dana sudah masuk" in chair.get(f"/groups/{samarinda.slug}/orders").get_data(as_text=True)
    assert chair.post(f"/transfers/{checkout.id}/confirm").status_code == 302
    db.session.expire_all()
    assert checkout.status == "paid"
    mine = client.get("/orders").get_data(as_text=True)
    assert re.search(r"PU\d{6}-\d{6}", mine) and "Dibayar" in mine


def test_admin_edits_the_shipping_rates(app, client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    admin = make.admin()
    login(client, admin.email)
    client.post("/admin/shipping", data={"zone": "dalam_provinsi", "first_kg_idr": "12000", "next_kg_idr": "6000"})
    bad = client.post(
        "/admin/shipping",
        data={"zone": "dalam_provinsi", "first_kg_idr": "murah", "next_kg_idr": "1"},
        follow_redirects=True,
    )
    assert "Tarif harus angka" in bad.get_data(as_text=True)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "6"})  # 1.2 kg
    page = client.post("/checkout", data=dict(FORM, action="quote")).get_data(as_text=True)
    assert "Rp18.000" in page
    from app.orders.shipping import update_rate

    update_rate(admin, "dalam_provinsi", 10000, 5000)  # the rates table is kept between tests


def test_the_total_charged_is_the_total_shown(app, client, make):
    """Pressing "Buat pesanan" on a page that showed no shipping yet places nothing: the page comes back
    with the total for the address, and the order then costs exactly that."""
    _s, _b, amplang, _k = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "2"})
    first = client.get("/checkout").get_data(as_text=True)
    assert shown_total(first) == 50000 and "Belum termasuk ongkos kirim" in first
    refused = client.post(
        "/checkout",
        data=dict(FORM, action="place", email="tamu@uji.example", phone="081299990000", shown_total=shown_total(first)),
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Rp60.000" in html and "bukan Rp50.000" in html
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 0 and stock_of(amplang) == 50
    assert shown_total(html) == 60000 and 'value="Jl. Pahlawan No. 5"' in html  # nothing typed is lost
    placed = client.post(
        "/checkout",
        data=dict(FORM, action="place", email="tamu@uji.example", phone="081299990000", shown_total=shown_total(html)),
    )
    assert placed.status_code == 302
    assert db.session.scalars(db.select(Checkout)).one().total_idr == 60000
    # a form without the figure it showed is refused too
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    assert (
        client.post(
            "/checkout", data=dict(FORM, action="place", email="tamu@uji.example", phone="081299990000")
        ).status_code
        == 409
    )


def test_a_signed_in_buyer_starts_from_the_last_address(app, client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    login(client, "pembeli@uji.example")
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "2"})
    page = client.post("/checkout", data=dict(FORM, action="quote")).get_data(as_text=True)
    assert client.post("/checkout", data=dict(FORM, action="place", shown_total=shown_total(page))).status_code == 302
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    again = client.get("/checkout").get_data(as_text=True)
    assert 'value="Jl. Pahlawan No. 5"' in again and shown_total(again) == 25000 + 10000  # shipping priced at once


def header_status(html: str) -> str:
    """The words next to the total at the top of the checkout page, tags stripped."""
    start = html.index('id="progress"')
    return " ".join(re.sub(r"<[^>]+>", "", html[start : html.index("</p>", start)].split(">", 1)[1]).split())


def test_buyer_who_confirms_receipt_sees_each_orders_progress_in_the_header(app, client, make):
    _s, _b, amplang, keripik = two_groups(make)
    make.user("pembeli@uji.example")
    body = client.post(
        "/api/v1/checkouts",
        headers=token(client, "pembeli@uji.example"),
        json=checkout_body([(amplang.id, 1), (keripik.id, 2)]),
    ).json
    checkout = db.session.get(Checkout, body["id"])
    mark_paid(checkout)
    first, second = checkout.orders
    for order in (first, second):
        for to, extra in (("processing", {}), ("shipped", {"tracking_number": "J1"}), ("delivered", {})):
            move_by_group(make.chair_of(order.group), order.id, to, **extra)
    login(client, "pembeli@uji.example")
    page = f"/checkout/{checkout.access_key}"
    assert header_status(client.get(page).get_data(as_text=True)) == "Sampai"
    client.post(f"{page}/orders/{first.id}/received")
    header = header_status(client.get(page).get_data(as_text=True))
    assert f"{first.number}: Selesai" in header and f"{second.number}: Sampai" in header and "Dibayar" not in header
    client.post(f"{page}/orders/{second.id}/received")
    header = header_status(client.get(page).get_data(as_text=True))
    assert header == "Selesai"  # every order of the checkout is done, whatever the payment said


def test_buyer_who_uploads_a_transfer_proof_sees_it_waiting_to_be_checked(client, make):
    _s, _b, amplang, _k = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    page = client.post("/checkout", data=dict(FORM, action="quote")).get_data(as_text=True)
    location = client.post(
        "/checkout",
        data=dict(FORM, action="place", email="tamu@uji.example", phone="081299990000", shown_total=shown_total(page)),
    ).headers["Location"]
    assert header_status(client.get(location).get_data(as_text=True)) == "Menunggu pembayaran"
    access_key = location.rsplit("/", 1)[-1]
    client.post(
        f"/checkout/{access_key}/proof",
        data={"file": (io.BytesIO(jpeg()), "bukti.jpg")},
        content_type="multipart/form-data",
    )
    header = header_status(client.get(location).get_data(as_text=True))
    assert header == "Bukti transfer menunggu diperiksa"


def test_only_a_guest_is_told_to_save_the_order_pages_link(app, client, make):
    _s, _b, amplang, _k = two_groups(make)
    advice = "Simpan tautan halaman ini"
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    page = client.post("/checkout", data=dict(FORM, action="quote")).get_data(as_text=True)
    guest_page = client.post(
        "/checkout",
        data=dict(FORM, action="place", email="tamu@uji.example", phone="081299990000", shown_total=shown_total(page)),
        follow_redirects=True,
    )
    assert advice in guest_page.get_data(as_text=True)
    make.user("pembeli@uji.example")
    buyer = app.test_client()
    login(buyer, "pembeli@uji.example")
    buyer.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    page = buyer.post("/checkout", data=dict(FORM, action="quote")).get_data(as_text=True)
    own_page = buyer.post(
        "/checkout", data=dict(FORM, action="place", shown_total=shown_total(page)), follow_redirects=True
    )
    html = own_page.get_data(as_text=True)
    assert 'id="total"' in html and advice not in html


def test_buyer_sees_what_each_order_holds_in_their_order_list(client, make):
    _s, _b, amplang, keripik = two_groups(make)
    make.photo(amplang)
    make.user("pembeli@uji.example")
    client.post(
        "/api/v1/checkouts",
        headers=token(client, "pembeli@uji.example"),
        json=checkout_body([(amplang.id, 3), (keripik.id, 2)]),
    )
    login(client, "pembeli@uji.example")
    html = client.get("/orders").get_data(as_text=True)
    checkout = db.session.scalars(db.select(Checkout)).one()
    smd, bkl = sorted(checkout.orders, key=lambda o: o.group.name != "UPPKS Mawar")
    mawar = html[html.index(f'id="order-{smd.id}"') :].split("</li>", 1)[0]
    tanjung = html[html.index(f'id="order-{bkl.id}"') :].split("</li>", 1)[0]
    assert "3 × Amplang Pipih" in mawar and "UPPKS Mawar" in mawar and "Keripik" not in mawar
    assert "2 × Keripik Pisang" in tanjung and "UPPKS Bunga Tanjung" in tanjung
    photo = re.search(r'<img src="([^"]+)"[^>]*srcset="[^"]+ \d+w', mawar)
    assert photo and fetch(client, photo.group(1))[0] == 200  # the amplang's photo, small (local or in the bucket)
    assert "<img" not in tanjung  # no photo uploaded: no broken image
